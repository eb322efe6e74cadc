'use client';

import { useMemo } from 'react';
import { Chart, PALETTE, type ChartOption } from '@/components/ui/chart';
import { compact, full } from '@/components/ui/format';
import { stepRange } from '@/components/ui/step-zoom';
import { localStamp } from '@/components/ui/time';
import type { TokenActivity } from '@/server/traffic/token-activity';
import { ChartEmpty, ChartSkeleton } from './chart-frame';
import { topLegend } from './chart-legend';

const HEIGHT = 220;

/** Requests (bars, 5xx on top) and sensitive matches (line, right axis) per step. */
export function TokenVolumeChart({ activity, pending, onZoom }: { activity: TokenActivity | undefined; pending: boolean; onZoom?: (from: Date, to: Date) => void }) {
  const option = useMemo<ChartOption | null>(() => {
    if (!activity) return null;
    const { series, range } = activity;
    const label = (t: number) => {
      const s = localStamp(new Date(t));
      return range.stepS >= 3600 ? s.slice(5, 16) : s.slice(11, 16);
    };
    return {
      grid: { left: 52, right: 52, top: 30, bottom: 26 },
      legend: topLegend(['requests', '5xx', 'sensitive matches']),
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: (params: unknown) => {
          const p = series[(params as Array<{ dataIndex: number }>)[0]?.dataIndex ?? -1];
          if (!p) return '';
          return `<b>${label(p.t)} – ${label(p.t + range.stepS * 1000)}</b><br/>${full(p.requests)} requests (${full(p.errors)} 5xx)<br/>${full(p.matches)} sensitive matches`;
        },
      },
      xAxis: { type: 'category', data: series.map((p) => label(p.t)), axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', splitNumber: 4, axisLabel: { formatter: (v: number) => compact(v) } },
        // The right axis is the matches line's: its labels take the line's colour instead of a name the legend would collide with.
        { type: 'value', splitNumber: 4, splitLine: { show: false }, axisLabel: { formatter: (v: number) => compact(v), color: PALETTE[2] } },
      ],
      series: [
        { name: 'requests', type: 'bar', stack: 'r', color: PALETTE[0], data: series.map((p) => p.requests - p.errors), barCategoryGap: '18%' },
        { name: '5xx', type: 'bar', stack: 'r', color: PALETTE[3], data: series.map((p) => p.errors) },
        { name: 'sensitive matches', type: 'line', yAxisIndex: 1, color: PALETTE[2], showSymbol: false, lineStyle: { width: 2 }, data: series.map((p) => p.matches) },
      ],
    };
  }, [activity]);
  const empty = activity && activity.series.every((p) => p.requests === 0 && p.matches === 0);
  return (
    <section className="card" aria-labelledby="token-volume-title">
      <div className="card-head">
        <h2 id="token-volume-title">Volume over time</h2>
        <span className="muted">requests and sensitive-data matches</span>
      </div>
      <div className="card-body chart-body">
        {pending || !option ? <ChartSkeleton height={HEIGHT} /> : empty ? (
          <ChartEmpty height={HEIGHT} title="No activity with this token in this range">Widen the range to look further back.</ChartEmpty>
        ) : (
          <Chart option={option} height={HEIGHT} label={`Requests and sensitive-data matches of this token per interval${onZoom ? '. Drag across the chart to zoom in.' : ''}`}
            onBrush={onZoom && ((r) => {
              const z = stepRange(activity!.series.map((p) => new Date(p.t).getTime()), activity!.range.stepS, r);
              if (z) onZoom(...z);
            })} />
        )}
      </div>
    </section>
  );
}
