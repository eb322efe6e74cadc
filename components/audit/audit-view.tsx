'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { Fragment, useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/trpc';
import { CsvDownload } from '@/components/ui/csv-download';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { AuditTarget } from './audit-target';
import { VerifyChain } from './verify-chain';

const FIELDS = ['action', 'actor', 'targetType', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];

/** datetime-local values are in the browser's zone; the server gets UTC instants. */
const toDate = (v: string | null) => (v ? new Date(v) : undefined);

export function AuditView() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const current = Object.fromEntries(FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<Field, string>;
  const [draft, setDraft] = useState(current);
  const [open, setOpen] = useState<number | null>(null);

  const filter = {
    action: current.action || undefined,
    actor: current.actor || undefined,
    targetType: current.targetType || undefined,
    from: toDate(current.from),
    to: toDate(current.to),
    limit: 50,
  };
  const q = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(filter, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      staleTime: Infinity,
    }),
  );
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const f of FIELDS) if (draft[f]) next.set(f, draft[f]);
    router.replace(`${pathname}${next.size ? `?${next}` : ''}`);
  };
  const clear = () => {
    setDraft({ action: '', actor: '', targetType: '', from: '', to: '' });
    router.replace(pathname);
  };
  const input = (f: Field, label: string, type = 'text', placeholder = '') => (
    <div className="field">
      <label htmlFor={`f-${f}`}>{label}</label>
      <input id={`f-${f}`} className="input" type={type} placeholder={placeholder} value={draft[f]} onChange={(e) => setDraft({ ...draft, [f]: e.target.value })} />
    </div>
  );

  return (
    <div className="stack">
      <VerifyChain />
      <section className="card" aria-labelledby="audit-title">
        <div className="card-head"><h2 id="audit-title">Entries</h2><span className="muted">newest first · your reads are recorded too</span><CsvDownload table="audit-log" input={filter} label="audit log" /></div>
        <form className="filters" onSubmit={apply} role="search" aria-label="Filter audit entries">
          {input('action', 'Action starts with', 'text', 'proxy_token.')}
          {input('actor', 'Actor email', 'text', 'alice@')}
          <div className="field">
            <label htmlFor="f-targetType">Target</label>
            <select id="f-targetType" className="select" value={draft.targetType} onChange={(e) => setDraft({ ...draft, targetType: e.target.value })}>
              <option value="">any</option>
              <option value="user">user</option>
              <option value="proxy_token">proxy token</option>
              <option value="policy">policy</option>
              <option value="endpoint">endpoint</option>
              <option value="detection">detection</option>
              <option value="detection_thresholds">thresholds</option>
              <option value="report">report</option>
              <option value="saved_search">saved search</option>
              <option value="audit_log">audit log</option>
            </select>
          </div>
          {input('from', 'From', 'datetime-local')}
          {input('to', 'To', 'datetime-local')}
          <button type="submit" className="btn primary">Apply</button>
          <button type="button" className="btn" onClick={clear}>Clear</button>
        </form>
        {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr><th>#</th><th>Time</th><th>Actor</th><th>Action</th><th>Target</th><th>Reason</th><th>Source IP</th><th><span className="visually-hidden">Details</span></th></tr>
              </thead>
              <tbody>
                {q.isPending ? <LoadingRows columns={8} rows={6} /> : items.map((e) => (
                  <Fragment key={e.id}>
                    <tr data-testid="audit-row">
                      <td className="mono faint">{e.id}</td>
                      <td><Time value={e.ts} /></td>
                      <td>{e.actorEmail ?? <span className="faint">system</span>}{e.actorRole ? <span className="faint"> · {e.actorRole}</span> : null}</td>
                      <td className="mono">{e.action}</td>
                      <td><AuditTarget type={e.targetType} targets={e.targets} more={e.moreTargets} /></td>
                      <td>{e.reason ?? <span className="faint">—</span>}</td>
                      <td className="mono">{e.sourceIp ?? '—'}</td>
                      <td className="actions">
                        <button className="btn small" aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? null : e.id)}>
                          {open === e.id ? 'Hide' : 'Details'}<span className="visually-hidden"> of entry {e.id}</span>
                        </button>
                      </td>
                    </tr>
                    {open === e.id ? (
                      <tr>
                        <td colSpan={8} style={{ background: 'var(--panel-2)' }}>
                          <div className="grid-2">
                            <div><div className="label muted">Before</div><pre className="json">{JSON.stringify(e.before, null, 2) ?? 'null'}</pre></div>
                            <div><div className="label muted">After</div><pre className="json">{JSON.stringify(e.after, null, 2) ?? 'null'}</pre></div>
                          </div>
                          <dl className="kv" style={{ marginTop: 10 }}>
                            <dt>Request id</dt><dd className="mono">{e.requestId ?? '—'}</dd>
                            <dt>Hash</dt><dd className="mono">{e.hash}</dd>
                            <dt>Previous hash</dt><dd className="mono">{e.prevHash}</dd>
                          </dl>
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))}
              </tbody>
            </table>
            {q.isSuccess && items.length === 0 ? <Empty title="No entries match these filters" /> : null}
          </div>
        )}
        <div className="pager">
          <span>{items.length.toLocaleString()} shown</span>
          <span className="spacer" />
          {q.hasNextPage ? (
            <button className="btn small" onClick={() => q.fetchNextPage()} disabled={q.isFetchingNextPage}>
              {q.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
            </button>
          ) : q.isSuccess ? <span className="faint">end of log</span> : null}
        </div>
      </section>
    </div>
  );
}
