'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { Empty, ErrorState } from '@/components/ui/states';

/** The services with learned endpoints, with what is left to review in each. */
export function ServiceList({ selected, onSelect }: { selected: string | undefined; onSelect: (service: string | null) => void }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.apis.services.queryOptions(undefined, { refetchInterval: 15_000 }));
  const [filter, setFilter] = useState('');
  const all = q.data ?? [];
  const shown = filter ? all.filter((s) => s.service.toLowerCase().includes(filter.toLowerCase())) : all;
  const total = all.reduce((n, s) => n + s.learned + s.approved + s.rejected, 0);
  return (
    <section className="card service-list" aria-labelledby="services-title">
      <div className="card-head">
        <h2 id="services-title">Services</h2>
        <span className="muted">{all.length}</span>
      </div>
      <div className="service-filter">
        <label className="visually-hidden" htmlFor="service-filter">Filter services</label>
        <input id="service-filter" className="input" placeholder="Filter services…" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <ul className="service-items" aria-label="Services">
          <li>
            <button type="button" className="service-item" aria-current={selected === undefined ? 'true' : undefined} onClick={() => onSelect(null)}>
              <span className="service-name">All services</span>
              <span className="service-counts"><span title="endpoints">{total.toLocaleString()}</span></span>
            </button>
          </li>
          {q.isPending ? Array.from({ length: 6 }, (_, i) => <li key={i}><div className="skeleton" style={{ margin: '10px 12px', width: `${50 + (i * 13) % 40}%` }} /></li>) : null}
          {shown.map((s) => (
            <li key={s.service}>
              <button type="button" className="service-item" aria-current={selected === s.service ? 'true' : undefined} onClick={() => onSelect(s.service)}>
                <span className="service-name mono">{s.service}</span>
                <span className="service-counts">
                  {s.learned ? <span className="count-learned" title={`${s.learned} to review`}>{s.learned} to review</span> : <span className="faint">reviewed</span>}
                  {s.changed ? <span className="badge warn plain" title={`${s.changed} changed since review`}>{s.changed} changed</span> : null}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {q.data && all.length === 0 ? (
        <Empty title="Nothing learned yet">Endpoints appear here once proxies report traffic.</Empty>
      ) : null}
    </section>
  );
}
