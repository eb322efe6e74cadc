'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import type { RevisionBrief } from '@/server/policy/overview';
import { DiffView } from './diff-view';
import { RevisionState } from './revision-state';

/** Every revision, with a diff between any two and (for admins) a rollback to a published one. */
export function History({ service, history, liveRevision, canAdmin, onRollback, diffPair, onDiffPair }: {
  service: string;
  history: RevisionBrief[];
  liveRevision: number | null;
  canAdmin: boolean;
  onRollback: (revision: number) => void;
  diffPair: { from: number; to: number } | null;
  onDiffPair: (p: { from: number; to: number } | null) => void;
}) {
  const trpc = useTRPC();
  const [from, setFrom] = useState<number>(diffPair?.from ?? history[1]?.revision ?? 0);
  const [to, setTo] = useState<number>(diffPair?.to ?? history[0]?.revision ?? 1);
  const q = useQuery(trpc.policies.diff.queryOptions({ service, from: diffPair?.from ?? 0, to: diffPair?.to ?? 1 }, { enabled: diffPair !== null }));
  return (
    <section className="card" aria-labelledby="history-title">
      <div className="card-head">
        <h2 id="history-title">Revision history</h2>
        <form className="row" aria-label="Compare revisions" onSubmit={(e) => { e.preventDefault(); onDiffPair({ from, to }); }}>
          <label htmlFor="diff-from" className="muted">Compare</label>
          <select id="diff-from" className="select" value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            <option value={0}>empty policy</option>
            {history.map((r) => <option key={r.revision} value={r.revision}>revision {r.revision}</option>)}
          </select>
          <label htmlFor="diff-to" className="muted">with</label>
          <select id="diff-to" className="select" value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {history.map((r) => <option key={r.revision} value={r.revision}>revision {r.revision}</option>)}
          </select>
          <button type="submit" className="btn small">Show diff</button>
        </form>
      </div>
      {diffPair ? (
        q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : q.data ? (
          <div className="history-diff">
            <div className="card-body row"><strong>Revision {diffPair.to}</strong><span className="muted">compared with {diffPair.from ? `revision ${diffPair.from}` : 'an empty policy'}</span><span className="spacer" /><button type="button" className="btn small" onClick={() => onDiffPair(null)}>Close diff</button></div>
            <DiffView diff={q.data.diff} againstLabel={diffPair.from ? `revision ${diffPair.from}` : 'an empty policy'} />
          </div>
        ) : <div className="card-body"><div className="skeleton" /></div>
      ) : null}
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th>Revision</th><th>State</th><th className="num">Rules</th><th className="num">Denied</th><th>Drafted by</th><th>Approved by</th><th>Published</th><th>Reason</th><th>SHA-256</th>{canAdmin ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr></thead>
          <tbody>
            {history.map((r) => (
              <tr key={r.id} data-testid="revision-row">
                <td className="nowrap">{r.revision}{r.rollbackOf ? <span className="faint"> (rollback to {r.rollbackOf})</span> : null}</td>
                <td><RevisionState state={r.state} current={r.revision === liveRevision} /></td>
                <td className="num">{r.allow}</td>
                <td className="num">{r.deny}</td>
                <td>{r.editors.join(', ')}</td>
                <td>{r.approvedBy ?? <span className="faint">—</span>}</td>
                <td>{r.publishedAt ? <><Time value={r.publishedAt} relative /> by {r.publishedBy}</> : <span className="faint">—</span>}</td>
                <td className="reason-cell">{r.reason ?? ''}</td>
                <td className="mono faint" title={r.sha256}>{r.sha256.slice(0, 10)}</td>
                {canAdmin ? (
                  <td className="actions">
                    {r.state === 'published' && r.revision !== liveRevision ? <button type="button" className="btn small" onClick={() => onRollback(r.revision)}>Roll back to this</button> : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
