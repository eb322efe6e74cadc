'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Role } from '@/lib/enums';
import { useTRPC } from '@/components/trpc';
import { ConfirmWithReason } from '@/components/ui/confirm-with-reason';
import { RoleBadge } from '@/components/ui/role-badge';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { AdminGrants } from './admin-grants';
import { CreateUserDialog } from './create-user-dialog';
import { LinkShownOnce, type ShownLink } from './link-shown-once';

type Pending =
  | { kind: 'role'; userId: string; email: string; from: Role; to: Role }
  | { kind: 'disable' | 'enable' | 'reset'; userId: string; email: string };

const ROLE_HELP: Record<Role, string> = {
  viewer: 'reads everything except secrets and the user list',
  analyst: 'viewer + detection triage and "deny this actor" proposals, endpoint review, policy drafts, saved searches, search results and OpenAPI as files, compliance reports',
  admin: 'analyst + approves and publishes policies, thresholds, users and proxy tokens',
  auditor: 'reads the views, the audit log, and reports with their evidence; changes nothing',
};

export function UsersView({ selfId }: { selfId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery(trpc.users.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);
  const [shownLink, setShownLink] = useState<ShownLink | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const done = () => {
    setPending(null);
    void qc.invalidateQueries({ queryKey: trpc.users.pathKey() });
  };
  const setRole = useMutation(trpc.users.setRole.mutationOptions({
    onSuccess: (r) => {
      done();
      setNotice(r.grant ? `Request sent: another admin must approve making ${r.grant.email} an admin (listed under Admin requests).` : null);
    },
  }));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions({ onSuccess: done }));
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: (r) => {
        done();
        setShownLink({ email: r.user.email, path: r.link.path, expiresAt: r.link.expiresAt, what: `The password of ${r.user.email} has ended and so have their sessions.` });
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
    <>
      Change <strong>{pending.email}</strong> from <strong>{pending.from}</strong> to <strong>{pending.to}</strong>: {ROLE_HELP[pending.to]}.
      {pending.to === 'admin' ? <> Once two admins exist, this is a request another admin approves; their password is then re-issued by the approver.</> : null}
    </>
  ) : pending.kind === 'reset' ? (
    <>The password of <strong>{pending.email}</strong> stops working now and their sessions end. You get a one-time link for them to choose a new one.</>
  ) : pending.kind === 'disable' ? (
    <><strong>{pending.email}</strong> is signed out everywhere and cannot sign in until enabled again.</>
  ) : (
    <><strong>{pending.email}</strong> can sign in again with their password.</>
  );
  const admins = (q.data ?? []).filter((u) => u.role === 'admin' && !u.disabledAt).length;

  return (
    <>
    {q.data && admins < 2 ? (
      <div className="alert warn" role="note" data-testid="single-admin">
        <div><strong>Only one enabled admin.</strong> Policies cannot be approved until a second admin exists: the two-person rule needs another person. Add one below; they set their own password with the link you hand them.</div>
      </div>
    ) : null}
    {notice ? <div className="alert info" role="status">{notice}</div> : null}
    <AdminGrants selfId={selfId} onLink={setShownLink} />
    <section className="card" aria-labelledby="users-title">
      <div className="card-head">
        <h2 id="users-title">Accounts</h2>
        <button className="btn primary" onClick={() => setCreating(true)}>Add user</button>
      </div>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr><th>Account</th><th>Role</th><th>Status</th><th><abbr title="How the account signs in, and who issued the link its password was set with">Sign-in</abbr></th><th>Last sign-in</th><th>Created</th><th className="actions"><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={7} rows={3} /> : (q.data ?? []).map((u) => {
                const self = u.id === selfId;
                return (
                  <tr key={u.id} className={u.disabledAt ? 'dim' : undefined} data-testid="user-row">
                    <td>
                      <div>{u.email}{self ? <span className="faint"> (you)</span> : null}</div>
                      {u.name ? <div className="faint small">{u.name}</div> : null}
                    </td>
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
                        <option value="auditor">auditor</option>
                      </select>
                    </td>
                    <td>{u.disabledAt ? <span className="badge warn">disabled</span> : <span className="badge ok">active</span>}</td>
                    <td className="provenance-cell" data-testid="provenance"><Provenance u={u} /></td>
                    <td><Time value={u.lastSignInAt} relative /></td>
                    <td><Time value={u.createdAt} /></td>
                    <td className="actions">
                      <div className="row" style={{ justifyContent: 'flex-end' }}>
                        {u.authProvider === 'credentials' && u.role !== 'admin' ? (
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
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} onCreated={(link) => { setNotice(null); setShownLink(link); }}
        onRequested={(email) => setNotice(`Request sent: another admin must approve the admin account for ${email} (listed under Admin requests). The approver hands over the link.`)} />
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
      <LinkShownOnce value={shownLink} onClose={() => setShownLink(null)} />
      <p className="card-body faint small" style={{ margin: 0 }}>
        An admin&apos;s password is never reset from the console (whoever used the link would hold a second admin account): the operator resets it with <code>meshward user reset-password</code>.
      </p>
    </section>
    </>
  );
}

type Listed = { authProvider: string; credentialIssuedByEmail: string | null; credentialSetAt: Date | null; credentialSameAddress: boolean; linkPendingUntil: Date | null };

/** Where the account's password came from: the two-person rule reads this. */
function Provenance({ u }: { u: Listed }) {
  if (u.authProvider === 'oidc') return <>single sign-on</>;
  return (
    <>
      <div>
        password{' '}
        {u.credentialSetAt ? (
          <span className="muted">{u.credentialIssuedByEmail ? <>· link from {u.credentialIssuedByEmail}</> : <>· set by the operator</>}</span>
        ) : <span className="faint">· not set yet</span>}
      </div>
      {u.credentialSameAddress ? (
        <div className="small warn-text" title="The link was used from the address it was issued from: the issuer may have used it themselves">⚠ used from the issuer&apos;s address</div>
      ) : null}
      {u.linkPendingUntil ? <div className="faint small">link open until <Time value={u.linkPendingUntil} /></div> : null}
    </>
  );
}
