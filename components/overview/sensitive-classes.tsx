'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { ChartEmpty, ChartSkeleton } from '@/components/dataflow/chart-frame';
import { topLegend } from '@/components/dataflow/chart-legend';
import { classColor, classColorVar } from '@/components/dataflow/class-badge';
import { dataHref } from '@/components/dataflow/links';
import { liveOptions } from '@/components/dataflow/live';
import { useTRPC } from '@/components/trpc';
import { Chart, type ChartOption } from '@/components/ui/chart';
import { compact, full } from '@/components/ui/format';
import { ErrorState } from '@/components/ui/states';
import type { TimeRangeState } from '@/components/ui/use-time-range';

const ROW = 26;

/** The page's text colour for labels beside bars (a bar's own colour is too faint on the dark scheme); none when rendered on the server. */
const textColour = () => (typeof document === 'undefined' ? undefined : getComputedStyle(document.documentElement).getPropertyValue('--text').trim() || undefined);

/** Sensitive-data matches per class, split by direction; a bar (or its link below) opens /data for the class. */
export function SensitiveByClass({ range }: { range: TimeRangeState }) {
  const trpc = useTRPC();
  const router = useRouter();
  const q = useQuery(trpc.dataflow.classes.queryOptions({ range: range.input }, liveOptions(range)));
  const classes = q.data ?? [];
  const height = Math.max(120, classes.length * ROW + 44);
  const option = useMemo<ChartOption>(() => ({
    grid: { left: 92, right: 44, top: 26, bottom: 8 },
    legend: topLegend(['in responses', 'in requests']),
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const c = classes[(params as Array<{ dataIndex: number }>)[0]?.dataIndex ?? -1];
        if (!c) return '';
        return `<b>${c.class}</b><br/>${full(c.matches)} matches in ${full(c.events)} events<br/>responses ${full(c.responseMatches)} · requests ${full(c.requestMatches)}<br/>on ${c.edges} ${c.edges === 1 ? 'edge' : 'edges'}<div style="opacity:.7;margin-top:4px">Click to open its flows</div>`;
      },
    },
    xAxis: { type: 'value', splitNumber: 3, axisLabel: { formatter: (v: number) => compact(v) } },
    yAxis: { type: 'category', inverse: true, data: classes.map((c) => c.class), axisTick: { show: false }, axisLabel: { fontFamily: 'monospace' } },
    series: [
      {
        name: 'in responses', type: 'bar', stack: 'dir', barWidth: 14, data: classes.map((c) => ({ value: c.responseMatches, itemStyle: { color: classColor(c.class) } })),
        color: '#8797ab',
      },
      {
        name: 'in requests', type: 'bar', stack: 'dir', barWidth: 14,
        data: classes.map((c) => ({ value: c.requestMatches, itemStyle: { color: classColor(c.class), opacity: 0.45, decal: undefined } })),
        color: 'rgba(135,151,171,.45)',
        label: { show: true, position: 'right', color: textColour(), fontSize: 11, formatter: (p: { dataIndex: number }) => compact(classes[p.dataIndex]?.matches ?? 0) },
      },
    ],
  }), [classes]);
  return (
    <section className="card" aria-labelledby="classes-title">
      <div className="card-head">
        <h2 id="classes-title">Sensitive data by class</h2>
        <Link className="card-link" href={dataHref(range.query)}>All flows →</Link>
      </div>
      <div className="card-body chart-body">
        {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} />
          : q.isPending ? <ChartSkeleton height={160} />
          : classes.length === 0 ? (
            <ChartEmpty height={160} title="No sensitive data in this range">
              Proxies report matches as <code>meshward.sensitive</code>; widen the range to look further back.
            </ChartEmpty>
          ) : (
            <>
              <Chart option={option} height={height} label="Sensitive-data matches per class, in responses and in requests"
                onClick={(p) => { const c = classes[p.dataIndex ?? -1]; if (c) router.push(dataHref(range.query, c.class)); }} />
              <nav className="class-links" aria-label="Open a class in Sensitive data">
                {classes.map((c) => (
                  <Link key={c.class} href={dataHref(range.query, c.class)} data-testid="class-link" style={{ ['--class-color' as string]: classColorVar(c.class) }}>
                    {c.class}
                  </Link>
                ))}
              </nav>
            </>
          )}
      </div>
    </section>
  );
}
