'use client';

import { useMemo } from 'react';
import { Chart, PALETTE, type ChartOption } from '@/components/ui/chart';
import { compact, full } from '@/components/ui/format';
import { localStamp } from '@/components/ui/time';
import { everyMinute, type TimelinePoint } from './timeline-minutes';

/** up to this many minutes the chart has bars: a burst of one or two minutes is a line too short to see */
const BARS_UP_TO = 30;

/** Requests and refused/failed ones per minute of the incident's actors against the service. */
export function TimelineChart({ points }: { points: TimelinePoint[] }) {
  const option = useMemo<ChartOption>(() => {
    const minutes = everyMinute(points);
    const span = minutes.length ? minutes[minutes.length - 1].t - minutes[0].t : 0;
    const stamp = (t: number) => localStamp(new Date(t)).slice(span > 86_400_000 ? 5 : 11, 16);
    const bars = minutes.length <= BARS_UP_TO;
    const series = (name: string, color: string, data: number[], area: boolean) => (bars
      ? { name, type: 'bar', color, data, barMaxWidth: 28, barGap: '10%' }
      : { name, type: 'line', showSymbol: false, color, data, ...(area ? { areaStyle: { opacity: 0.15 } } : {}) });
    return {
      grid: { left: 48, right: 14, top: 28, bottom: 24 },
      legend: { data: ['requests', 'errors'] },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? full(v) : '—') },
      xAxis: { type: 'category', data: minutes.map((p) => stamp(p.t)), axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', splitNumber: 3, minInterval: 1, axisLabel: { formatter: (v: number) => compact(v) } },
      series: [
        series('requests', PALETTE[0], minutes.map((p) => p.requests), true),
        series('errors', PALETTE[3], minutes.map((p) => p.errors), false),
      ],
    };
  }, [points]);
  return <Chart option={option} height={200} label="Requests and errors per minute of this incident's actors" />;
}
