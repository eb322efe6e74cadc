'use client';

import { TimeRangePicker } from '@/components/ui/time-range-picker';
import { useTimeRange } from '@/components/ui/use-time-range';
import { FleetHealthCard } from './fleet-health';
import { OpenDetections } from './open-detections';
import { SensitiveByClass } from './sensitive-classes';
import { StatTiles } from './stat-tiles';
import { TopEdges, TopServices } from './top-talkers';
import { TopTokens } from './top-tokens';
import { LatencyChart, RequestsChart } from './traffic-charts';

export function OverviewView() {
  const range = useTimeRange();
  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p>Traffic, errors, latency and sensitive data across the mesh. Every figure opens its detail.</p>
        </div>
        <TimeRangePicker range={range} />
      </div>
      <StatTiles range={range} />
      <OpenDetections range={range} />
      <div className="ov-row ov-row-charts">
        <RequestsChart range={range} />
        <LatencyChart range={range} />
      </div>
      <div className="ov-row">
        <TopEdges range={range} />
        <TopServices range={range} />
      </div>
      <div className="ov-row ov-row-3">
        <SensitiveByClass range={range} />
        <TopTokens range={range} />
        <FleetHealthCard />
      </div>
    </div>
  );
}
