'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import type { ShownLink } from './link-shown-once';

type Decision = { grantId: string; email: string; kind: 'create' | 'promote'; requestedBy: string; decision: 'approve' | 'deny' };

/** Requests to make someone an admin: another admin approves or denies them. */
export function AdminGrants({ selfId, onLink }: { selfId: string; onLink: (link: ShownLink) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.users.grants.queryOptions());
  const [pending, setPending] = useState<Decision | null>(null);
  const decide = useMutation(trpc.users.decideGrant.mutationOptions({
    onSuccess: (r) => {
      setPending(null);
      void qc.invalidateQueries({ queryKey: trpc.users.pathKey() });
      if (r.link && r.user) onLink({ email: r.user.email, path: r.link.path, expiresAt: r.link.expiresAt, what: `${r.user.email} is an admin once they have set a password with this link.` });
    },
  }));
  const open = (q.data ?? []).filter((g) => g.state === 'pending');
  const decided = (q.data ?? []).filter((g) => g.state !== 'pending');
  if (q.isError) return <section className="card" aria-labelledby="grants-title"><div className="card-head"><h2 id="grants-title">Admin requests</h2></div><ErrorState error={q.error} onRetry={() => q.refetch()} /></section>;
  if (q.isPending || (open.length === 0 && decided.length === 0)) return null;
  return (
    <section className="card" aria-labelledby="grants-title">
      <div className="card-head">
        <h2 id="grants-title">Admin requests</h2>
        <span className="muted">A new admin needs a second admin: neither the one who asked, nor the person it is for.</span>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead><tr><th>For</th><th>What</th><th>Asked by</th><th>Reason</th><th>State</th><th className="actions"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {[...open, ...decided].map((g) => {
              const mine = g.requestedBy === selfId;
              const forMe = g.targetUserId === selfId;
              return (
                <tr key={g.id} data-testid="grant-row">
                  <td>{g.email}</td>
                  <td>{g.kind === 'create' ? 'new admin account' : 'promote to admin'}</td>
                  <td>{g.requestedByEmail}{mine ? <span className="faint"> (you)</span> : null}<div className="faint small"><Time value={g.requestedAt} relative /></div></td>
                  <td className="reason-cell" title={g.requestReason}>{g.requestReason}</td>
                  <td>
                    {g.state === 'pending' ? (g.expired ? <span className="badge warn">expired</span> : <span className="badge info">waiting</span>) : (
                      <span className={`badge ${g.state === 'approved' ? 'ok' : 'plain'}`}>{g.state}</span>
                    )}
                    {g.state === 'pending' && !g.expired ? <div className="faint small">until <Time value={g.expiresAt} /></div> : null}
                    {g.decidedByEmail ? <div className="faint small">by {g.decidedByEmail}{g.decisionReason ? `: ${g.decisionReason}` : ''}</div> : null}
                  </td>
                  <td className="actions">
                    {g.state === 'pending' && !g.expired ? (
                      <div className="row" style={{ justifyContent: 'flex-end' }}>
                        {!mine && !forMe ? (
                          <button type="button" className="btn small primary" onClick={() => { decide.reset(); setPending({ grantId: g.id, email: g.email, kind: g.kind, requestedBy: g.requestedByEmail, decision: 'approve' }); }}>
                            Approve<span className="visually-hidden"> admin for {g.email}</span>
                          </button>
                        ) : null}
                        <button type="button" className="btn small" onClick={() => { decide.reset(); setPending({ grantId: g.id, email: g.email, kind: g.kind, requestedBy: g.requestedByEmail, decision: 'deny' }); }}>
                          {mine ? 'Withdraw' : 'Deny'}<span className="visually-hidden"> admin for {g.email}</span>
                        </button>
                      </div>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmWithReason
        open={pending !== null}
        title={pending?.decision === 'approve' ? 'Approve admin request' : 'Deny admin request'}
        description={pending ? (pending.decision === 'approve' ? (
          <>
            <p style={{ marginTop: 0 }}>{pending.email} becomes an admin, as {pending.requestedBy} asked. Approve only if you know this person needs it.</p>
            <p style={{ marginBottom: 0 }}>You get the set-password link and hand it to {pending.email} yourself{pending.kind === 'promote' ? ': their current password ends, so nobody who knew it carries it into the admin role' : ''}.</p>
          </>
        ) : <>{pending.email} does not become an admin.</>) : null}
        confirmLabel={pending?.decision === 'approve' ? 'Approve' : 'Deny'}
        danger={pending?.decision === 'deny'}
        pending={decide.isPending}
        error={decide.error?.message}
        onCancel={() => setPending(null)}
        onConfirm={(reason) => pending && decide.mutate({ grantId: pending.grantId, decision: pending.decision, reason })}
      />
    </section>
  );
}
