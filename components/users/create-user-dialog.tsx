'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Role } from '@/lib/enums';
import { useTRPC } from '@/components/trpc';
import { Dialog } from '@/components/ui/dialog';
import type { ShownLink } from './link-shown-once';

export function CreateUserDialog({
  open, onClose, onCreated, onRequested,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (link: ShownLink) => void;
  /** an admin account became a request for a second admin */
  onRequested: (email: string) => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [reason, setReason] = useState('');
  const close = () => {
    setEmail(''); setName(''); setRole('viewer'); setReason('');
    create.reset();
    onClose();
  };
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (r) => {
        void qc.invalidateQueries({ queryKey: trpc.users.pathKey() });
        close();
        if (r.kind === 'created') onCreated({ email: r.user.email, path: r.link.path, expiresAt: r.link.expiresAt, what: `${r.user.email} can sign in as ${r.user.role} once they have set a password.` });
        else onRequested(r.grant.email);
      },
    }),
  );
  const issues = (create.error?.data as { zodIssues?: Array<{ path: string; message: string }> } | undefined)?.zodIssues;
  const issue = (field: string) => issues?.find((i) => i.path === field)?.message;

  return (
    <Dialog
      open={open}
      title="Add user"
      onClose={close}
      onSubmit={() => create.mutate({ email, name, role, reason: reason.trim() || undefined })}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>Cancel</button>
          <button type="submit" className="btn primary" disabled={create.isPending || !email.trim()}>{create.isPending ? 'Adding…' : 'Add user'}</button>
        </>
      }
    >
      <div className="field">
        <label htmlFor="new-email">Email</label>
        <input id="new-email" className="input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
        {issue('email') ? <span className="field-error">{issue('email')}</span> : null}
      </div>
      <div className="field">
        <label htmlFor="new-name">Name <span className="faint">(optional)</span></label>
        <input id="new-name" className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
      </div>
      <div className="field">
        <label htmlFor="new-role">Role</label>
        <select id="new-role" className="select" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="viewer">viewer: reads dashboards</option>
          <option value="analyst">analyst: triages detections, reviews endpoints, drafts policies</option>
          <option value="admin">admin: approves, publishes, manages</option>
          <option value="auditor">auditor: reads the audit log and reports, changes nothing</option>
        </select>
      </div>
      {role === 'admin' ? (
        <div className="field">
          <label htmlFor="new-reason">Why they need the admin role</label>
          <textarea id="new-reason" className="input" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby="new-reason-hint" />
          <span className="hint" id="new-reason-hint">Once two admins exist, a new admin is a request another admin approves; the approver then hands over the link. Recorded in the audit log.</span>
          {issue('reason') ? <span className="field-error">{issue('reason')}</span> : null}
        </div>
      ) : null}
      <p className="muted small" style={{ margin: 0 }}>You get a one-time link to hand over: they choose their own password, and nobody else ever sees it.</p>
      {create.error && !issues?.length ? <div className="alert error" role="alert">{create.error.message}</div> : null}
    </Dialog>
  );
}
