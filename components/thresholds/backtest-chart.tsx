'use client';

import { useMemo } from 'react';
import { Chart, PALETTE, type ChartOption } from '@/components/ui/chart';
import { full } from '@/components/ui/format';
import { localStamp } from '@/components/ui/time';
import type { Backtest } from './types';

/** Detections (bars) and the actors they name (lines) per hour, with the thresholds in force and with the candidate. */
export function BacktestChart({ result }: { result: Backtest }) {
  const option = useMemo<ChartOption>(() => {
    const long = result.hours.length > 30;
    const stamp = (t: number) => localStamp(new Date(t)).slice(long ? 5 : 11, 16);
    return {
      grid: { left: 44, right: 44, top: 48, bottom: 24 },
      legend: { data: ['detections now', 'detections candidate', 'actors now', 'actors candidate'] },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? full(v) : '—') },
      xAxis: { type: 'category', data: result.hours.map((h) => stamp(h.t)), axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', name: 'detections', nameGap: 10, minInterval: 1, splitNumber: 3, nameTextStyle: { align: 'left' } },
        { type: 'value', name: 'actors', nameGap: 10, minInterval: 1, splitNumber: 3, splitLine: { show: false }, nameTextStyle: { align: 'right' } },
      ],
      series: [
        { name: 'detections now', type: 'bar', color: PALETTE[7], data: result.hours.map((h) => h.current.detections), barGap: '10%' },
        { name: 'detections candidate', type: 'bar', color: PALETTE[0], data: result.hours.map((h) => h.candidate.detections) },
        { name: 'actors now', type: 'line', yAxisIndex: 1, showSymbol: false, color: PALETTE[2], lineStyle: { type: 'dashed' }, data: result.hours.map((h) => h.current.actors) },
        { name: 'actors candidate', type: 'line', yAxisIndex: 1, showSymbol: false, color: PALETTE[3], data: result.hours.map((h) => h.candidate.actors) },
      ],
    };
  }, [result]);
  return <Chart option={option} height={240} label="Backtest: detections and actors per hour, with the thresholds in force and with the candidate" />;
}
