'use client';

import { useMemo } from 'react';
import { Chart, type ChartOption } from '@/components/ui/chart';
import { full } from '@/components/ui/format';
import type { HistogramOutput } from '@/server/search/histogram';
import { stamp, type TimeZoneMode } from './columns';

const S = 1000;
const intervalText = (ms: number) =>
  ms < 60 * S ? `${ms / S} s` : ms < 3600 * S ? `${ms / 60 / S} min` : ms < 86_400 * S ? `${ms / 3600 / S} h` : `${ms / 86_400 / S} d`;

/**
 * Matches per interval over the searched range. Drag across it to zoom the search into that
 * span; click a bar to zoom into its interval (the keyboard way is the range picker).
 */
export function SearchHistogram({
  data, window, zone, onZoom,
}: {
  data: HistogramOutput;
  window: { from: Date; to: Date };
  zone: TimeZoneMode;
  onZoom: (from: Date, to: Date) => void;
}) {
  const option = useMemo<ChartOption>(() => {
    const half = data.intervalMs / 2;
    return {
      grid: { left: 52, right: 12, top: 12, bottom: 24 },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (items: { value: [number, number]; seriesName: string }[]) => {
          const t = items[0]?.value[0] - half;
          return `${stamp(new Date(t).toISOString(), zone)}<br/>${items.map((i) => `${i.seriesName}: ${full(i.value[1])}`).join('<br/>')}`;
        },
      },
      xAxis: { type: 'time', min: window.from.getTime(), max: window.to.getTime(), axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1, splitNumber: 3 },
      series: [
        // bars centred on their interval, so a bucket's bar spans the time it counts
        { name: 'Events', type: 'bar', stack: 'n', barCategoryGap: '10%', data: data.buckets.map((b) => [b.t + half, b.count - b.errors]), itemStyle: { color: '#4c8dff' } },
        { name: '5xx', type: 'bar', stack: 'n', data: data.buckets.map((b) => [b.t + half, b.errors]), itemStyle: { color: '#f0524f' } },
      ],
      useUTC: zone === 'utc',
    };
  }, [data, window, zone]);

  return (
    <div className="search-histogram">
      <Chart
        option={option}
        height={140}
        label={`Matching events per ${intervalText(data.intervalMs)}: ${full(data.total)} in the range. Drag across the chart to zoom in.`}
        onBrush={([a, b]) => {
          // snap to whole intervals, as the bars show them
          const iv = data.intervalMs;
          const from = Math.max(window.from.getTime(), Math.floor(a / iv) * iv);
          const to = Math.min(window.to.getTime(), Math.ceil(b / iv) * iv);
          if (to > from) onZoom(new Date(from), new Date(to));
        }}
        onClick={(p) => {
          const v = p.value as [number, number] | undefined;
          if (!v) return;
          const start = v[0] - data.intervalMs / 2;
          onZoom(new Date(Math.max(start, window.from.getTime())), new Date(Math.min(start + data.intervalMs, window.to.getTime())));
        }}
      />
      <p className="faint small search-histogram-note">Per {intervalText(data.intervalMs)} · drag across the chart to zoom in · red: 5xx</p>
    </div>
  );
}
