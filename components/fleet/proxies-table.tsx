'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { Pager } from '@/components/ui/pager';
import { RolloutBadge } from '@/components/policies/rollout-badge';

const PAGE = 50;

export function ProxiesTable() {
  const trpc = useTRPC();
  const q = useQuery(trpc.fleet.proxies.queryOptions(undefined, { refetchInterval: 10_000 }));
  const rollout = useQuery(trpc.policies.rollout.queryOptions(undefined, { refetchInterval: 10_000 }));
  const stateOf = useMemo(() => new Map((rollout.data ?? []).map((r) => [r.id, r.state])), [rollout.data]);
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const all = q.data ?? [];
    return f ? all.filter((p) => [p.id, p.service, p.cluster, p.node, p.version].some((v) => v?.toLowerCase().includes(f))) : all;
  }, [q.data, filter]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice(page * PAGE, page * PAGE + PAGE);

  return (
    <section className="card" aria-labelledby="proxies-title">
      <div className="card-head">
        <h2 id="proxies-title">Proxies</h2>
        <label className="visually-hidden" htmlFor="proxy-filter">Filter proxies</label>
        <input id="proxy-filter" className="input" placeholder="Filter by id, service, cluster…" value={filter}
          onChange={(e) => { setFilter(e.target.value); setPage(0); }} style={{ width: 240 }} />
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Proxy</th><th>Health</th><th>Service</th><th>Cluster</th><th>Node</th><th>Version</th>
                <th><abbr title="Policy revision the proxy last applied">Policy rev.</abbr></th><th>Last seen</th><th className="num">Events/min</th><th>Token</th>
              </tr>
            </thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={10} /> : shown.map((p) => (
                <tr key={p.id} data-testid="proxy-row">
                  <td className="mono proxy-id">{p.id}</td>
                  <td>
                    {p.silent
                      ? <span className="badge danger" title={`No contact for more than ${2 * p.intervalS}s (heartbeat every ${p.intervalS}s)`}>silent</span>
                      : <span className="badge ok">reporting</span>}
                  </td>
                  <td>{p.service ?? <span className="faint">—</span>}</td>
                  <td className="nowrap">{p.cluster ?? <span className="faint">—</span>}</td>
                  <td className="nowrap">{p.node ?? <span className="faint">—</span>}</td>
                  <td className="mono nowrap">{p.version ?? <span className="faint">—</span>}</td>
                  <td className="mono nowrap">
                    {p.policyRevision ?? <span className="faint">none</span>}
                    {stateOf.get(p.id) && stateOf.get(p.id) !== 'none' ? <> <RolloutBadge state={stateOf.get(p.id)!} /></> : null}
                  </td>
                  <td><Time value={p.lastSeenAt} relative /></td>
                  <td className="num">{p.eventsPerMin.toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}</td>
                  <td>{p.tokenName ?? <span className="faint">—</span>}{p.tokenRevoked ? <> <span className="badge warn">revoked</span></> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.data && rows.length === 0 ? (
            filter ? <Empty title="No proxy matches this filter" /> : (
              <Empty title="No proxies have reported yet">
                Create a proxy token below and point a proxy&apos;s OpenTelemetry access logger at <code>/v1/logs</code>.
              </Empty>
            )
          ) : null}
        </div>
      )}
      {pages > 1 ? (
        <Pager summary={`${rows.length.toLocaleString()} proxies`} page={page} pages={pages} onPage={setPage} />
      ) : null}
    </section>
  );
}
