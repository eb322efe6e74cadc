'use client';

import { useMemo } from 'react';
import { Chart, PALETTE, type ChartOption } from '@/components/ui/chart';
import { compact, full, ms } from '@/components/ui/format';
import { stepRange } from '@/components/ui/step-zoom';
import { localStamp } from '@/components/ui/time';
import type { SeriesPoint } from '@/server/traffic/graph-schemas';

const HEIGHT = 150;

/** Requests (2xx–4xx and 5xx stacked) per step with p95 latency on its own axis. */
export function PanelChart({ series, stepS, label, onZoom }: { series: SeriesPoint[]; stepS: number; label: string; onZoom?: (from: Date, to: Date) => void }) {
  const option = useMemo<ChartOption>(() => {
    const stamp = (t: Date) => localStamp(t).slice(stepS >= 3600 ? 5 : 11, 16);
    const muted = getComputedStyle(document.documentElement).getPropertyValue('--muted').trim();
    return {
      grid: { left: 40, right: 44, top: 24, bottom: 22 },
      legend: { data: ['requests', '5xx', 'p95'], top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { color: muted } },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? full(v) : '—'),
      },
      xAxis: { type: 'category', data: series.map((p) => stamp(p.t)), axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', splitNumber: 3, axisLabel: { formatter: (v: number) => compact(v) } },
        { type: 'value', splitNumber: 3, splitLine: { show: false }, axisLabel: { formatter: (v: number) => ms(v) } },
      ],
      series: [
        { name: 'requests', type: 'bar', stack: 'r', color: PALETTE[0], data: series.map((p) => p.requests - p.errors), barCategoryGap: '20%' },
        { name: '5xx', type: 'bar', stack: 'r', color: PALETTE[3], data: series.map((p) => p.errors) },
        {
          name: 'p95', type: 'line', yAxisIndex: 1, color: PALETTE[2], showSymbol: false, connectNulls: false,
          data: series.map((p) => p.p95Ms), tooltip: { valueFormatter: (v: unknown) => ms(typeof v === 'number' ? v : null) },
        },
      ],
    };
  }, [series, stepS]);
  const zoom = onZoom && ((r: [number, number]) => {
    const z = stepRange(series.map((p) => new Date(p.t).getTime()), stepS, r);
    if (z) onZoom(...z);
  });
  return <Chart option={option} height={HEIGHT} label={onZoom ? `${label}. Drag across the chart to zoom in.` : label} onBrush={zoom} />;
}
