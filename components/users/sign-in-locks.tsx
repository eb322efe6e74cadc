'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';

/** "4 min" / "25 s": how long until an instant, for a table cell. */
function until(d: Date, now = Date.now()): string {
  const s = Math.max(1, Math.ceil((d.getTime() - now) / 1000));
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}

/**
 * Accounts the sign-in throttle holds failures against, by source address, with "Unlock"
 * for an owner who is kept waiting (it forgets that account's failures from every address).
 */
export function SignInLocks() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery({ ...trpc.users.signInLocks.queryOptions(), refetchInterval: 30_000 });
  const [pending, setPending] = useState<{ userId: string; email: string } | null>(null);
  const unlock = useMutation(
    trpc.users.unlock.mutationOptions({
      onSuccess: () => {
        setPending(null);
        void qc.invalidateQueries({ queryKey: trpc.users.signInLocks.queryKey() });
      },
    }),
  );
  return (
    <section className="card" aria-labelledby="locks-title">
      <div className="card-head"><h2 id="locks-title">Sign-in throttling</h2></div>
      <p className="card-body muted" style={{ margin: 0, paddingBottom: 0 }}>
        Failed sign-ins are counted per account and source address: after 5, that address waits before its next try, twice as long
        after each further failure (up to 15 minutes). Other addresses are not held back. Unlocking forgets an account&apos;s failures.
      </p>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr><th>Account</th><th>Address</th><th>Failures</th><th>Refused while waiting</th><th>Last failure</th><th>Status</th><th className="actions"><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={7} rows={2} /> : (q.data ?? []).flatMap((a) =>
                a.addresses.map((addr, i) => (
                  <tr key={`${a.userId}-${addr.ip}`} data-testid="lock-row">
                    <td>{i === 0 ? a.email : null}</td>
                    <td className="mono">{addr.ip}</td>
                    <td>{addr.failures}</td>
                    <td>{addr.refused}</td>
                    <td><Time value={addr.lastFailureAt} relative /></td>
                    <td>{addr.blockedUntil ? <span className="badge warn">waiting {until(addr.blockedUntil)}</span> : <span className="badge plain">may try</span>}</td>
                    <td className="actions">
                      {i === 0 ? (
                        <button className="btn small" onClick={() => { unlock.reset(); setPending({ userId: a.userId, email: a.email }); }}>
                          Unlock<span className="visually-hidden"> {a.email}</span>
                        </button>
                      ) : null}
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          {q.data?.length === 0 ? <Empty title="No failed sign-ins held against any account" /> : null}
        </div>
      )}
      <ConfirmWithReason
        open={pending !== null}
        title="Unlock account"
        description={pending ? <>Forget the failed sign-ins of <strong>{pending.email}</strong> from every address, so it can sign in at once.</> : null}
        confirmLabel="Unlock"
        pending={unlock.isPending}
        error={unlock.error?.message}
        onCancel={() => setPending(null)}
        onConfirm={(reason) => pending && unlock.mutate({ userId: pending.userId, reason })}
      />
    </section>
  );
}
