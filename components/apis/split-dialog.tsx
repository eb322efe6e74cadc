'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { Dialog } from '@/components/ui/dialog';
import { useInventoryRefresh } from './review-dialogs';
import { TemplateText } from './state-badge';

/** Splits one value of a parameter out into its own endpoint (`/users/{user_id}` → `/users/me`). */
export function SplitDialog({ endpoint, param, onClose, onDone }: {
  endpoint: { id: string; method: string; template: string };
  param: string | null;
  onClose: () => void;
  onDone: (id: string) => void;
}) {
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const trpc = useTRPC();
  const refresh = useInventoryRefresh();
  const m = useMutation(trpc.apis.split.mutationOptions({ onSuccess: (r) => { refresh(); setValue(''); setReason(''); onDone(r.id); } }));
  const close = () => { m.reset(); setValue(''); setReason(''); onClose(); };
  const preview = param && value.trim() ? endpoint.template.replace(new RegExp(`\\{${param}\\}`), value.trim()) : null;
  const valid = value.trim().length > 0 && reason.trim().length >= 3;
  return (
    <Dialog open={param !== null} title="Split out a value" onClose={close}
      onSubmit={() => valid && param && m.mutate({ id: endpoint.id, param, value: value.trim(), reason: reason.trim() })}
      footer={<>
        <button type="button" className="btn" onClick={close}>Cancel</button>
        <button type="submit" className="btn primary" disabled={!valid || m.isPending}>{m.isPending ? 'Working…' : 'Split'}</button>
      </>}>
      <p>The value gets an endpoint of its own, reviewed on its own; <TemplateText template={endpoint.template} /> keeps its review.</p>
      <div className="field">
        <label htmlFor="split-value">Value of {`{${param}}`}</label>
        <input id="split-value" className="input mono" value={value} onChange={(e) => setValue(e.target.value)} autoFocus required placeholder="me" />
        {preview ? <span className="hint">New endpoint: <span className="mono">{endpoint.method} {preview}</span></span> : null}
      </div>
      <div className="field">
        <label htmlFor="split-reason">Reason (recorded in the audit log)</label>
        <textarea id="split-reason" className="input" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
      </div>
      {m.error ? <div className="alert error" role="alert">{m.error.message}</div> : null}
    </Dialog>
  );
}
