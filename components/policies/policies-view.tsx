'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { policyHref } from './links';
import { RevisionState } from './revision-state';
import { FleetCounts } from './rollout-badge';

/** `/policies`: every service with approved endpoints or a policy, and where its policy stands. */
export function PoliciesView() {
  const trpc = useTRPC();
  const q = useQuery(trpc.policies.services.queryOptions(undefined, { refetchInterval: 15_000 }));
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => (q.data ?? []).filter((s) => s.service.toLowerCase().includes(filter.trim().toLowerCase())), [q.data, filter]);
  const waiting = (q.data ?? []).filter((s) => s.open?.state === 'approved').length;
  const drafts = (q.data ?? []).filter((s) => s.open?.state === 'draft').length;
  const outdated = (q.data ?? []).reduce((n, s) => n + s.fleet.outdated, 0);

  return (
    <div className="page stack">
      <div className="page-head">
        <div>
          <h1>Policies</h1>
          <p>Whitelists per service from approved endpoints and the callers that use them: everything else is denied once a policy is published.</p>
        </div>
      </div>
      <div className="tiles tiles-4">
        <div className="stat tile"><span className="stat-label">Services with a policy</span><span className="stat-value">{q.data ? q.data.filter((s) => s.published).length : '…'}</span><span className="stat-sub">{q.data ? `of ${q.data.length} with approved endpoints or a policy` : ''}</span></div>
        <div className="stat tile"><span className="stat-label">Drafts</span><span className="stat-value">{q.data ? drafts : '…'}</span><span className="stat-sub">waiting for a second person to approve</span></div>
        <div className={`stat tile${waiting ? ' warn' : ''}`}><span className="stat-label">Approved, not published</span><span className="stat-value">{q.data ? waiting : '…'}</span><span className="stat-sub">an admin publishes them</span></div>
        <div className={`stat tile${outdated ? ' danger' : ''}`}><span className="stat-label">Proxies behind</span><span className="stat-value">{q.data ? outdated : '…'}</span><span className="stat-sub">not running their newest revision</span></div>
      </div>
      <section className="card" aria-labelledby="policy-services">
        <div className="card-head">
          <h2 id="policy-services">Services</h2>
          <label className="visually-hidden" htmlFor="policy-filter">Filter services</label>
          <input id="policy-filter" className="input" placeholder="Filter services…" value={filter} onChange={(e) => setFilter(e.target.value)} style={{ width: 220 }} />
        </div>
        {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr><th>Service</th><th className="num">Approved endpoints</th><th>Published</th><th>Open revision</th><th>Fleet</th></tr>
              </thead>
              <tbody>
                {q.isPending ? <LoadingRows columns={5} /> : rows.map((s) => (
                  <tr key={s.service} data-testid="policy-service-row">
                    <td><Link href={policyHref(s.service)} className="mono">{s.service}</Link></td>
                    <td className="num">{s.approvedEndpoints}{s.learnedEndpoints ? <span className="faint"> · {s.learnedEndpoints} to review</span> : null}</td>
                    <td>{s.published ? <>revision {s.published.revision} · <Time value={s.published.publishedAt} relative /></> : <span className="faint">none: not enforced</span>}</td>
                    <td>{s.open ? <span className="row">revision {s.open.revision} <RevisionState state={s.open.state} /></span> : <span className="faint">—</span>}</td>
                    <td><FleetCounts fleet={s.fleet} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
            {q.data && rows.length === 0 ? (
              filter ? <Empty title="No service matches this filter" /> : (
                <Empty title="No service has approved endpoints yet">Approve the endpoints a service should accept in <Link href="/apis">APIs</Link>; a draft policy is generated from them here.</Empty>
              )
            ) : null}
          </div>
        )}
      </section>
    </div>
  );
}
