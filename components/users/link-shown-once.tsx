'use client';

import { useEffect, useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';
import { Time } from '@/components/ui/time';

export interface ShownLink {
  email: string;
  /** `/set-password#token=…` */
  path: string;
  expiresAt: Date | string;
  /** what happened: created, reset, made an admin */
  what: string;
}

/** A set-password link, shown to the admin who issued it once, to hand over. */
export function LinkShownOnce({ value, onClose }: { value: ShownLink | null; onClose: () => void }) {
  const [origin, setOrigin] = useState('');
  useEffect(() => setOrigin(window.location.origin), []);
  const url = value ? `${origin}${value.path}` : '';
  return (
    <Dialog open={value !== null} title="Set-password link" onClose={onClose} footer={<button type="button" className="btn primary" onClick={onClose}>Done</button>}>
      <p style={{ margin: 0 }}>{value?.what}</p>
      <div className="alert warn">
        <div>
          Hand this link to <strong>{value?.email}</strong> over a safe channel. They open it and choose their own password.
          It works once, until {value ? <Time value={value.expiresAt} /> : null}, and is shown only this time. Do not open it yourself:
          whoever uses it is recorded as the one who set the password.
        </div>
      </div>
      <div className="secret" data-testid="set-password-link">{url}</div>
      <div>{value ? <CopyButton text={url} label="Copy link" /> : null}</div>
    </Dialog>
  );
}
