'use client';

import { useMemo } from 'react';
import { Chart, PALETTE, type ChartOption } from '@/components/ui/chart';
import { compact, full } from '@/components/ui/format';
import { localStamp } from '@/components/ui/time';

/** Requests and refused/failed ones per minute of the incident's actors against the service. */
export function TimelineChart({ points }: { points: { t: number; requests: number; errors: number }[] }) {
  const option = useMemo<ChartOption>(() => {
    const span = points.length ? points[points.length - 1].t - points[0].t : 0;
    const stamp = (t: number) => localStamp(new Date(t)).slice(span > 86_400_000 ? 5 : 11, 16);
    return {
      grid: { left: 48, right: 14, top: 28, bottom: 24 },
      legend: { data: ['requests', 'errors'] },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? full(v) : '—') },
      xAxis: { type: 'category', data: points.map((p) => stamp(p.t)), axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', splitNumber: 3, axisLabel: { formatter: (v: number) => compact(v) } },
      series: [
        { name: 'requests', type: 'line', showSymbol: false, areaStyle: { opacity: 0.15 }, color: PALETTE[0], data: points.map((p) => p.requests) },
        { name: 'errors', type: 'line', showSymbol: false, color: PALETTE[3], data: points.map((p) => p.errors) },
      ],
    };
  }, [points]);
  return <Chart option={option} height={200} label="Requests and errors per minute of this incident's actors" />;
}
