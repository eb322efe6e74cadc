'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Role } from '@/lib/enums';
import { useTRPC } from '@/components/trpc';
import { Dialog } from '@/components/ui/dialog';

export function CreateUserDialog({
  open, onClose, onCreated,
}: { open: boolean; onClose: () => void; onCreated: (email: string, generatedPassword: string | null) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const close = () => {
    setEmail(''); setName(''); setRole('viewer'); setPassword('');
    create.reset();
    onClose();
  };
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (r) => {
        void qc.invalidateQueries({ queryKey: trpc.users.pathKey() });
        close();
        onCreated(r.user.email, r.generatedPassword);
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
      onSubmit={() => create.mutate({ email, name, role, password: password || undefined })}
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
          <option value="analyst">analyst: triages, reviews, drafts</option>
          <option value="admin">admin: approves, publishes, manages</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="new-password">Password <span className="faint">(optional)</span></label>
        <input id="new-password" className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        <span className="hint">Leave empty to generate a strong one, shown once. At least 12 characters.</span>
        {issue('password') ? <span className="field-error">{issue('password')}</span> : null}
      </div>
      {create.error && !issues?.length ? <div className="alert error" role="alert">{create.error.message}</div> : null}
    </Dialog>
  );
}
