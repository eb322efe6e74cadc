'use client';

import { useMemo } from 'react';
import { Chart, PALETTE, type ChartOption } from '@/components/ui/chart';
import { full } from '@/components/ui/format';
import { localStamp } from '@/components/ui/time';
import type { Backtest } from './types';

const HOUR = 3_600_000;

/** Detections (bars) and the actors they name (lines) per hour, with the thresholds in force and with the candidate. */
export function BacktestChart({ result }: { result: Backtest }) {
  const option = useMemo<ChartOption>(() => {
    // the hours before the first stored event replayed have nothing to show: a console that has
    // kept half an hour of traffic would otherwise chart seven empty days
    const since = result.coveredFrom ? new Date(result.coveredFrom).getTime() - HOUR : Number.NEGATIVE_INFINITY;
    const hours = result.hours.filter((h) => h.t > since);
    const long = hours.length > 30;
    // a line through an hour or two is too short to see: its points are drawn
    const showSymbol = hours.length <= 48;
    const stamp = (t: number) => localStamp(new Date(t)).slice(long ? 5 : 11, 16);
    return {
      grid: { left: 44, right: 44, top: 48, bottom: 24 },
      legend: { data: ['detections now', 'detections candidate', 'actors now', 'actors candidate'] },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? full(v) : '—') },
      xAxis: { type: 'category', data: hours.map((h) => stamp(h.t)), axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', name: 'detections', nameGap: 10, minInterval: 1, splitNumber: 3, nameTextStyle: { align: 'left' } },
        { type: 'value', name: 'actors', nameGap: 10, minInterval: 1, splitNumber: 3, splitLine: { show: false }, nameTextStyle: { align: 'right' } },
      ],
      series: [
        { name: 'detections now', type: 'bar', color: PALETTE[7], data: hours.map((h) => h.current.detections), barGap: '10%', barMaxWidth: 40 },
        { name: 'detections candidate', type: 'bar', color: PALETTE[0], data: hours.map((h) => h.candidate.detections), barMaxWidth: 40 },
        { name: 'actors now', type: 'line', yAxisIndex: 1, showSymbol, color: PALETTE[2], lineStyle: { type: 'dashed' }, data: hours.map((h) => h.current.actors) },
        { name: 'actors candidate', type: 'line', yAxisIndex: 1, showSymbol, color: PALETTE[3], data: hours.map((h) => h.candidate.actors) },
      ],
    };
  }, [result]);
  return <Chart option={option} height={240} label="Backtest: detections and actors per hour, with the thresholds in force and with the candidate" />;
}
