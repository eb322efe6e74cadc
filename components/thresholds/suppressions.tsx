'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { kindLabel } from '@/components/detections/words';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';

/** False-positive feedback in force: what it holds back, until when, and why. */
export function Suppressions({ canLift }: { canLift: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.detections.suppressions.queryOptions());
  const [lifting, setLifting] = useState<string | null>(null);
  const lift = useMutation(trpc.detections.liftSuppression.mutationOptions({ onSuccess: () => { setLifting(null); void qc.invalidateQueries({ queryKey: trpc.detections.pathKey() }); } }));
  return (
    <section className="card" aria-labelledby="sup-title">
      <div className="card-head"><h2 id="sup-title">Suppressions</h2><span className="muted">from false-positive feedback; each expires</span></div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table compact-table">
            <thead><tr><th>Holds back</th><th>On</th><th>Reason</th><th>By</th><th>Until</th>{canLift ? <th className="actions"><span className="visually-hidden">Actions</span></th> : null}</tr></thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={canLift ? 6 : 5} rows={2} /> : q.data.map((s) => (
                <tr key={s.id} data-testid="suppression-row">
                  <td>{s.scope === 'rule' ? <>every <strong>{kindLabel(s.kind)}</strong></> : <><strong>{kindLabel(s.kind)}</strong> by <span className="mono">{s.actorId}</span></>}</td>
                  <td className="mono">{s.service ?? '—'}</td>
                  <td className="reason-cell" title={s.reason}>{s.reason}</td>
                  <td className="who-cell">{s.detectionId ? <Link href={`/detections/${encodeURIComponent(s.detectionId)}`}>{s.createdBy}</Link> : s.createdBy}</td>
                  <td><Time value={s.expiresAt} /></td>
                  {canLift ? <td className="actions"><button type="button" className="btn small" onClick={() => setLifting(s.id)}>Lift</button></td> : null}
                </tr>
              ))}
            </tbody>
          </table>
          {q.data?.length === 0 ? <Empty title="No suppressions in force">Marking a detection a false positive can suppress its actor or its rule for a while.</Empty> : null}
        </div>
      )}
      <ConfirmWithReason open={lifting !== null} title="Lift this suppression" description={<p>What it held back is raised again from now on.</p>}
        confirmLabel="Lift" pending={lift.isPending} error={lift.error?.message ?? null}
        onCancel={() => { lift.reset(); setLifting(null); }} onConfirm={(reason) => lifting && lift.mutate({ id: lifting, reason })} />
    </section>
  );
}
