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
          <thead><tr><th>Revision</th><th>State</th><th className="num"><abbr title="whitelist rules · denied actors">Rules · denied</abbr></th><th>Who</th><th>Published</th><th>Reason</th><th>SHA-256</th>{canAdmin ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr></thead>
          <tbody>
            {history.map((r) => (
              <tr key={r.id} data-testid="revision-row">
                <td>{r.revision}{r.rollbackOf ? <div className="faint small">rollback to {r.rollbackOf}</div> : null}</td>
                <td><RevisionState state={r.state} current={r.revision === liveRevision} /></td>
                <td className="num nowrap">{r.allow} · {r.deny}</td>
                <td className="who-cell">
                  <div title="drafted and edited by">✎ {r.editors.join(', ')}</div>
                  {r.approvedBy ? <div title="approved by">✓ {r.approvedBy}</div> : null}
                  {r.publishedBy ? <div title="published by">↑ {r.publishedBy}</div> : null}
                </td>
                <td className="nowrap">{r.publishedAt ? <Time value={r.publishedAt} relative /> : <span className="faint">—</span>}</td>
                <td className="reason-cell" title={r.reason ?? ''}>{r.reason ?? ''}</td>
                <td className="mono faint" title={r.sha256}>{r.sha256.slice(0, 8)}</td>
                {canAdmin ? (
                  <td className="actions">
                    {r.state === 'published' && r.revision !== liveRevision ? <button type="button" className="btn small" onClick={() => onRollback(r.revision)}>Roll back</button> : null}
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
