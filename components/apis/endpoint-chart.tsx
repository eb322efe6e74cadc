'use client';

import { useMemo } from 'react';
import { Chart, PALETTE, type ChartOption } from '@/components/ui/chart';
import { compact, full } from '@/components/ui/format';
import { stepRange } from '@/components/ui/step-zoom';
import { localStamp } from '@/components/ui/time';

interface Point {
  t: Date;
  requests: number;
  errors: number;
  clientErrors: number;
}

/** Calls per step, stacked by outcome: success, 4xx, 5xx. */
export function EndpointChart({ series, stepS, onZoom }: { series: Point[]; stepS: number; onZoom?: (from: Date, to: Date) => void }) {
  const option = useMemo<ChartOption>(() => {
    const stamp = (t: Date) => localStamp(t).slice(stepS >= 3600 ? 5 : 11, 16);
    const muted = getComputedStyle(document.documentElement).getPropertyValue('--muted').trim();
    return {
      grid: { left: 44, right: 12, top: 26, bottom: 22 },
      legend: { data: ['ok', '4xx', '5xx'], top: 0, right: 0, itemWidth: 12, itemHeight: 8, textStyle: { color: muted } },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? full(v) : '—') },
      xAxis: { type: 'category', data: series.map((p) => stamp(p.t)), axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', splitNumber: 3, axisLabel: { formatter: (v: number) => compact(v) } },
      series: [
        { name: 'ok', type: 'bar', stack: 'r', color: PALETTE[0], data: series.map((p) => p.requests - p.errors - p.clientErrors), barCategoryGap: '20%' },
        { name: '4xx', type: 'bar', stack: 'r', color: PALETTE[2], data: series.map((p) => p.clientErrors) },
        { name: '5xx', type: 'bar', stack: 'r', color: PALETTE[3], data: series.map((p) => p.errors) },
      ],
    };
  }, [series, stepS]);
  const zoom = onZoom && ((r: [number, number]) => {
    const z = stepRange(series.map((p) => p.t.getTime()), stepS, r);
    if (z) onZoom(...z);
  });
  return <Chart option={option} height={180} label={`Calls to this endpoint per step, by outcome${onZoom ? '. Drag across the chart to zoom in.' : ''}`} onBrush={zoom} />;
}
