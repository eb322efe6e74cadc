'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/components/trpc';
import { IdentityWarning } from '@/components/fleet/identity-warning';
import { ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';

/** Proxies reporting or silent now, the silent ones by name, and the versions running. */
export function FleetHealthCard() {
  const trpc = useTRPC();
  const q = useQuery(trpc.overview.fleetHealth.queryOptions(undefined, { refetchInterval: 15_000 }));
  const f = q.data;
  const maxVersion = f?.versions[0]?.proxies ?? 0;
  return (
    <section className="card" aria-labelledby="fleet-health-title">
      <div className="card-head">
        <h2 id="fleet-health-title">Fleet health</h2>
        <span className="muted">now</span>
        <Link className="card-link" href="/fleet">Fleet →</Link>
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : !f ? (
        <div className="card-body"><div className="skeleton" style={{ height: 80 }} /></div>
      ) : f.total === 0 ? (
        <div className="card-body">
          <div className="chart-empty" style={{ minHeight: 140 }}>
            <strong>No proxies have reported yet</strong>
            <span>Create a proxy token in <Link href="/fleet">Fleet</Link> and point a proxy at <code>/v1/logs</code>.</span>
          </div>
        </div>
      ) : (
        <div className="card-body fleet-health">
          <div className="health-bar" role="img" aria-label={`${f.reporting} of ${f.total} proxies reporting, ${f.silent} silent`}>
            <span className="ok" style={{ flex: f.reporting }} />
            {f.silent ? <span className="danger" style={{ flex: f.silent }} /> : null}
          </div>
          <div className="health-legend">
            <span><span className="badge ok">reporting</span> {f.reporting}</span>
            <span><span className={f.silent ? 'badge danger' : 'badge'}>silent</span> {f.silent}</span>
            <span className="muted">{f.eventsPerMin.toLocaleString('en-US')} events/min</span>
          </div>
          <IdentityWarning compact />
          {f.silentProxies.length ? (
            <div>
              <div className="mini-title">Silent longest</div>
              <ul className="mini-list">
                {f.silentProxies.map((p) => (
                  <li key={p.id}>
                    <span className="mono ellipsis" title={p.id}>{p.id}</span>
                    <span className="faint ellipsis">{p.service ?? p.cluster ?? ''}</span>
                    <span className="danger-text nowrap">last <Time value={p.lastSeenAt} relative /></span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <div>
            <div className="mini-title">Versions running</div>
            <ul className="mini-list version-list">
              {f.versions.slice(0, 4).map((v) => (
                <li key={v.version ?? 'none'}>
                  <span className="mono ellipsis" title={v.version ?? undefined}>{v.version ?? <span className="faint">no heartbeat yet</span>}</span>
                  <span className="share-bar" aria-hidden="true"><span style={{ width: `${(v.proxies / maxVersion) * 100}%` }} /></span>
                  <span className="nowrap">{v.proxies} {v.proxies === 1 ? 'proxy' : 'proxies'}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}
