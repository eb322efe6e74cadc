'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Role } from '@/lib/enums';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { RoleBadge } from '@/components/ui/role-badge';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { CreateUserDialog } from './create-user-dialog';
import { PasswordShownOnce } from './password-shown-once';

type Pending =
  | { kind: 'role'; userId: string; email: string; from: Role; to: Role }
  | { kind: 'disable' | 'enable' | 'reset'; userId: string; email: string };

const ROLE_HELP: Record<Role, string> = {
  viewer: 'reads everything except secrets and the user list',
  analyst: 'viewer + triage, API review, policy drafts, searches, exports',
  admin: 'analyst + approves and publishes policies, thresholds, users and proxy tokens',
};

export function UsersView({ selfId }: { selfId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.users.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);
  const [shownPassword, setShownPassword] = useState<{ email: string; password: string } | null>(null);
  const done = () => {
    setPending(null);
    void qc.invalidateQueries({ queryKey: trpc.users.pathKey() });
  };
  const setRole = useMutation(trpc.users.setRole.mutationOptions({ onSuccess: done }));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: done }));
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: (r) => {
        done();
        setShownPassword({ email: r.user.email, password: r.generatedPassword });
      },
    }),
  );
  const active = pending?.kind === 'role' ? setRole : pending?.kind === 'reset' ? reset : setDisabled;

  const confirm = (reason: string) => {
    if (!pending) return;
    if (pending.kind === 'role') setRole.mutate({ userId: pending.userId, role: pending.to, reason });
    else if (pending.kind === 'reset') reset.mutate({ userId: pending.userId, reason });
    else setDisabled.mutate({ userId: pending.userId, disabled: pending.kind === 'disable', reason });
  };

  const title = !pending ? '' : pending.kind === 'role' ? 'Change role' : pending.kind === 'reset' ? 'Reset password' : pending.kind === 'disable' ? 'Disable account' : 'Enable account';
  const description = !pending ? null : pending.kind === 'role' ? (
    <>Change <strong>{pending.email}</strong> from <strong>{pending.from}</strong> to <strong>{pending.to}</strong>: {ROLE_HELP[pending.to]}.</>
  ) : pending.kind === 'reset' ? (
    <>A new password is generated for <strong>{pending.email}</strong> and shown to you once. The old one stops working.</>
  ) : pending.kind === 'disable' ? (
    <><strong>{pending.email}</strong> is signed out everywhere and cannot sign in until enabled again.</>
  ) : (
    <><strong>{pending.email}</strong> can sign in again with their password.</>
  );

  return (
    <section className="card" aria-labelledby="users-title">
      <div className="card-head">
        <h2 id="users-title">Accounts</h2>
        <button className="btn primary" onClick={() => setCreating(true)}>Add user</button>
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr><th>Email</th><th>Name</th><th>Role</th><th>Status</th><th>Sign-in</th><th>Last sign-in</th><th>Created</th><th className="actions"><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={8} rows={3} /> : (q.data ?? []).map((u) => {
                const self = u.id === selfId;
                return (
                  <tr key={u.id} className={u.disabledAt ? 'dim' : undefined} data-testid="user-row">
                    <td>{u.email}{self ? <span className="faint"> (you)</span> : null}</td>
                    <td>{u.name || <span className="faint">—</span>}</td>
                    <td>
                      <label className="visually-hidden" htmlFor={`role-${u.id}`}>Role of {u.email}</label>
                      <select
                        id={`role-${u.id}`}
                        className="select"
                        value={u.role}
                        disabled={self}
                        title={self ? 'You cannot change your own role' : undefined}
                        onChange={(e) => {
                          active.reset();
                          setPending({ kind: 'role', userId: u.id, email: u.email, from: u.role, to: e.target.value as Role });
                        }}
                      >
                        <option value="viewer">viewer</option>
                        <option value="analyst">analyst</option>
                        <option value="admin">admin</option>
                      </select>
                    </td>
                    <td>{u.disabledAt ? <span className="badge warn">disabled</span> : <span className="badge ok">active</span>}</td>
                    <td>{u.authProvider === 'oidc' ? 'single sign-on' : 'password'}</td>
                    <td><Time value={u.lastSignInAt} relative /></td>
                    <td><Time value={u.createdAt} /></td>
                    <td className="actions">
                      <div className="row" style={{ justifyContent: 'flex-end' }}>
                        {u.authProvider === 'credentials' ? (
                          <button className="btn small" onClick={() => { reset.reset(); setPending({ kind: 'reset', userId: u.id, email: u.email }); }}>
                            Reset password<span className="visually-hidden"> for {u.email}</span>
                          </button>
                        ) : null}
                        {self ? null : u.disabledAt ? (
                          <button className="btn small" onClick={() => { setDisabled.reset(); setPending({ kind: 'enable', userId: u.id, email: u.email }); }}>
                            Enable<span className="visually-hidden"> {u.email}</span>
                          </button>
                        ) : (
                          <button className="btn small danger" onClick={() => { setDisabled.reset(); setPending({ kind: 'disable', userId: u.id, email: u.email }); }}>
                            Disable<span className="visually-hidden"> {u.email}</span>
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {q.data?.length === 0 ? <Empty title="No accounts" /> : null}
        </div>
      )}
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} onCreated={(email, password) => password && setShownPassword({ email, password })} />
      <ConfirmWithReason
        open={pending !== null}
        title={title}
        description={description}
        confirmLabel={title}
        danger={pending?.kind === 'disable'}
        pending={active.isPending}
        error={active.error?.message}
        onCancel={() => setPending(null)}
        onConfirm={confirm}
      />
      <PasswordShownOnce value={shownPassword} onClose={() => setShownPassword(null)} />
    </section>
  );
}
