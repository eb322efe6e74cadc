'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { ChartEmpty, ChartSkeleton } from '@/components/dataflow/chart-frame';
import { topLegend } from '@/components/dataflow/chart-legend';
import { graphHref, windowQuery } from '@/components/dataflow/links';
import { liveOptions } from '@/components/dataflow/live';
import { useTRPC } from '@/components/trpc';
import { Chart, PALETTE, type ChartOption } from '@/components/ui/chart';
import { compact, full, ms } from '@/components/ui/format';
import { ErrorState } from '@/components/ui/states';
import { useDisplayZone } from '@/components/ui/display-zone';
import { stepRange } from '@/components/ui/step-zoom';
import { localStamp } from '@/components/ui/time';
import type { TimeRangeState } from '@/components/ui/use-time-range';

const HEIGHT = 240;
const OK = PALETTE[0];
const CLIENT = PALETTE[2];
const SERVER = PALETTE[3];

type Point = { t: number; requests: number; errors: number; clientErrors: number; p50: number | null; p95: number | null; p99: number | null };

/** "12:07" for steps under a day apart, with the date when the range spans days; in the display zone. */
function stepLabel(t: number, stepS: number, zone: string) {
  const s = localStamp(new Date(t), zone);
  return stepS >= 3600 ? s.slice(5, 16) : s.slice(11, 16);
}

function tooltip(stepS: number, rows: (p: Point) => Array<[string, string, string]>, points: Point[], zone: string) {
  return (params: unknown) => {
    const first = (params as Array<{ dataIndex: number }>)[0];
    const p = points[first?.dataIndex ?? 0];
    if (!p) return '';
    const head = `<div style="margin-bottom:4px;font-weight:600">${stepLabel(p.t, stepS, zone)} – ${stepLabel(p.t + stepS * 1000, stepS, zone)}</div>`;
    const body = rows(p)
      .map(([color, name, value]) => `<div style="display:flex;gap:12px;justify-content:space-between"><span><span style="display:inline-block;width:8px;height:8px;border-radius:2px;background:${color};margin-right:6px"></span>${name}</span><b>${value}</b></div>`)
      .join('');
    return `${head}${body}<div style="margin-top:4px;opacity:.7">Click to open the graph for this interval · drag across steps to zoom</div>`;
  };
}

/**
 * The series; what a click on its step `i` does (open the graph for that interval); and what a
 * drag across steps `a`..`b` does (zoom every view to them: an absolute range in the URL).
 */
function useSeries(range: TimeRangeState) {
  const trpc = useTRPC();
  const router = useRouter();
  const q = useQuery(trpc.overview.series.queryOptions({ range: range.input }, liveOptions(range)));
  const openStep = (i: number | undefined) => {
    const pt = q.data?.points[i ?? -1];
    if (pt) router.push(graphHref(windowQuery(pt.t, pt.t + q.data!.range.stepS * 1000)));
  };
  const zoom = ([a, b]: [number, number]) => {
    if (!q.data) return;
    const z = stepRange(q.data.points.map((p) => new Date(p.t).getTime()), q.data.range.stepS, [a, b]);
    if (z) range.setAbsolute(...z);
  };
  return { q, openStep, zoom, zone: useDisplayZone() };
}

/** Requests per step, stacked by outcome; a click opens the graph for that interval. */
export function RequestsChart({ range }: { range: TimeRangeState }) {
  const { q, openStep, zoom, zone } = useSeries(range);
  const option = useMemo<ChartOption | null>(() => {
    if (!q.data) return null;
    const { points, range: r } = q.data;
    const labels = points.map((p) => stepLabel(p.t, r.stepS, zone));
    const bar = (name: string, color: string, pick: (p: Point) => number) => ({
      name, type: 'bar', stack: 'requests', color, barCategoryGap: '18%', data: points.map(pick), emphasis: { focus: 'series' },
    });
    return {
      grid: { left: 52, right: 12, top: 30, bottom: 26 },
      legend: topLegend(['2xx/3xx', '4xx', '5xx']),
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: tooltip(r.stepS, (p) => [
          [OK, '2xx/3xx', full(p.requests - p.errors - p.clientErrors)], [CLIENT, '4xx', full(p.clientErrors)], [SERVER, '5xx', full(p.errors)],
          ['transparent', 'Total', full(p.requests)],
        ], points, zone),
      },
      xAxis: { type: 'category', data: labels, axisTick: { alignWithLabel: true }, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', splitNumber: 4, axisLabel: { formatter: (v: number) => compact(v) } },
      series: [
        bar('2xx/3xx', OK, (p) => p.requests - p.errors - p.clientErrors),
        bar('4xx', CLIENT, (p) => p.clientErrors),
        bar('5xx', SERVER, (p) => p.errors),
      ],
    };
  }, [q.data, zone]);
  const empty = q.data && q.data.points.every((p) => p.requests === 0);
  return (
    <section className="card" aria-labelledby="req-chart-title">
      <div className="card-head">
        <h2 id="req-chart-title">Requests &amp; errors</h2>
        {q.data ? <span className="muted">per {stepName(q.data.range.stepS)}</span> : null}
        <Link className="card-link" href={graphHref(range.query)}>Service graph →</Link>
      </div>
      <div className="card-body chart-body">
        {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} />
          : !option ? <ChartSkeleton height={HEIGHT} />
          : empty ? <NoTraffic height={HEIGHT} />
          : (
            <Chart option={option} height={HEIGHT} label="Requests per interval by outcome: 2xx/3xx, 4xx and 5xx. Drag across the chart to zoom in."
              onClick={(p) => openStep(p.dataIndex)} onBrush={zoom} />
          )}
      </div>
    </section>
  );
}

/** Latency percentiles per step from the merged histograms; gaps where there was no traffic. */
export function LatencyChart({ range }: { range: TimeRangeState }) {
  const { q, openStep, zoom, zone } = useSeries(range);
  const option = useMemo<ChartOption | null>(() => {
    if (!q.data) return null;
    const { points, range: r } = q.data;
    const line = (name: string, color: string, pick: (p: Point) => number | null, width: number) => ({
      name, type: 'line', color, showSymbol: false, connectNulls: false, lineStyle: { width }, data: points.map(pick),
      emphasis: { focus: 'series' },
    });
    return {
      grid: { left: 60, right: 12, top: 30, bottom: 26 },
      legend: topLegend(['p50', 'p95', 'p99']),
      tooltip: {
        trigger: 'axis',
        formatter: tooltip(r.stepS, (p) => [[PALETTE[1], 'p50', ms(p.p50)], [PALETTE[2], 'p95', ms(p.p95)], [PALETTE[4], 'p99', ms(p.p99)]], points, zone),
      },
      xAxis: { type: 'category', boundaryGap: false, data: points.map((p) => stepLabel(p.t, r.stepS, zone)), axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', splitNumber: 4, axisLabel: { formatter: (v: number) => ms(v) } },
      series: [line('p50', PALETTE[1], (p) => p.p50, 1.5), line('p95', PALETTE[2], (p) => p.p95, 2), line('p99', PALETTE[4], (p) => p.p99, 1.5)],
    };
  }, [q.data, zone]);
  const empty = q.data && q.data.points.every((p) => p.p50 === null);
  return (
    <section className="card" aria-labelledby="lat-chart-title">
      <div className="card-head">
        <h2 id="lat-chart-title">Latency</h2>
        <span className="muted">p50 · p95 · p99, all services</span>
      </div>
      <div className="card-body chart-body">
        {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} />
          : !option ? <ChartSkeleton height={HEIGHT} />
          : empty ? <NoTraffic height={HEIGHT} />
          : (
            <Chart option={option} height={HEIGHT} label="Latency percentiles p50, p95 and p99 per interval. Drag across the chart to zoom in."
              onClick={(p) => openStep(p.dataIndex)} onBrush={zoom} />
          )}
      </div>
    </section>
  );
}

function stepName(stepS: number) {
  if (stepS < 3600) return `${stepS / 60} min`;
  if (stepS < 86_400) return stepS === 3600 ? 'hour' : `${stepS / 3600} h`;
  return 'day';
}

export function NoTraffic({ height }: { height: number }) {
  return (
    <ChartEmpty height={height} title="No traffic in this range">
      Widen the range, or check that proxies report in <Link href="/fleet">Fleet</Link>.
    </ChartEmpty>
  );
}
