'use client';

import { useState, type ReactNode } from 'react';
import { Dialog } from './dialog';

/**
 * Posture-changing actions ask for confirmation and a reason, which goes to the audit log.
 */
export function ConfirmWithReason({
  open, title, description, confirmLabel, danger, pending, error, onCancel, onConfirm,
}: {
  open: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  pending?: boolean;
  error?: string | null;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const valid = reason.trim().length >= 3;
  const close = () => {
    setReason('');
    onCancel();
  };
  return (
    <Dialog
      open={open}
      title={title}
      onClose={close}
      onSubmit={() => valid && onConfirm(reason.trim())}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>Cancel</button>
          <button type="submit" className={`btn ${danger ? 'danger solid' : 'primary'}`} disabled={!valid || pending}>
            {pending ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      <div>{description}</div>
      <div className="field">
        <label htmlFor="confirm-reason">Reason (recorded in the audit log)</label>
        <textarea id="confirm-reason" className="input" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus required minLength={3} />
      </div>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </Dialog>
  );
}
