'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { dataHref, graphHref } from '@/components/dataflow/links';
import { liveOptions } from '@/components/dataflow/live';
import { useTRPC } from '@/components/trpc';
import { compact, full, ms, percent, perSecond } from '@/components/ui/format';
import { ErrorState } from '@/components/ui/states';
import type { TimeRangeState } from '@/components/ui/use-time-range';

function Tile({ href, label, value, sub, tone, title }: {
  href: string; label: string; value: ReactNode; sub: ReactNode; tone?: 'danger' | 'warn' | 'ok'; title?: string;
}) {
  return (
    <Link href={href} className={`stat tile${tone ? ` ${tone}` : ''}`} title={title}>
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      <span className="stat-sub">{sub}</span>
    </Link>
  );
}

const pending = <span className="skeleton" style={{ display: 'block', width: 80, height: 22, marginTop: 4 }} />;

/** The headline figures; each opens the view that explains it. */
export function StatTiles({ range }: { range: TimeRangeState }) {
  const trpc = useTRPC();
  const stats = useQuery(trpc.overview.stats.queryOptions({ range: range.input }, liveOptions(range)));
  const fleet = useQuery(trpc.overview.fleetHealth.queryOptions(undefined, { refetchInterval: 15_000 }));
  if (stats.isError) return <div className="card"><ErrorState error={stats.error} onRetry={() => stats.refetch()} /></div>;
  const s = stats.data;
  const f = fleet.data;
  const rateTone = !s ? undefined : s.errorRate >= 0.05 ? 'danger' : s.errorRate >= 0.01 ? 'warn' : undefined;
  return (
    <div className="tiles" data-testid="stat-tiles">
      <Tile href={graphHref(range.query)} label="Requests" title="Open the service graph for this range"
        value={s ? compact(s.requests) : pending} sub={s ? `${perSecond(s.requestsPerS)} · ${full(s.requests)} total` : '…'} />
      <Tile href={graphHref(range.query)} label="Error rate (5xx)" tone={rateTone} title="Open the service graph: edges coloured by error rate"
        value={s ? percent(s.errorRate) : pending} sub={s ? `${compact(s.errors)} 5xx · ${compact(s.clientErrors)} 4xx` : '…'} />
      <Tile href={graphHref(range.query)} label="Latency p95" title="Open the service graph for this range"
        value={s ? ms(s.p95) : pending} sub={s ? `p50 ${ms(s.p50)} · p99 ${ms(s.p99)}` : '…'} />
      <Tile href={dataHref(range.query)} label="Sensitive-data matches" tone={s?.sensitiveMatches ? 'warn' : undefined} title="Open the sensitive-data flows"
        value={s ? compact(s.sensitiveMatches) : pending}
        sub={s ? `${compact(s.sensitiveEvents)} events · ${s.sensitiveClasses} ${s.sensitiveClasses === 1 ? 'class' : 'classes'}` : '…'} />
      <Tile href="/fleet" label="Proxies reporting" title="Open the fleet"
        value={f ? <>{f.reporting}<span className="stat-of"> / {f.total}</span></> : pending}
        sub={f ? `${f.eventsPerMin.toLocaleString('en-US')} events/min now` : '…'} />
      <Tile href="/fleet" label="Silent proxies" tone={f?.silent ? 'danger' : f ? 'ok' : undefined} title="Proxies that missed two heartbeats (PCI-DSS 10.7)"
        value={f ? <>{f.silent ? '⚠ ' : ''}{f.silent}</> : pending}
        sub={f ? (f.silent ? 'missed two heartbeats' : 'all proxies reporting') : '…'} />
    </div>
  );
}
