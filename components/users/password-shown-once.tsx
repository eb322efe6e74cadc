'use client';

import { CopyButton } from '@/components/ui/copy-button';
import { Dialog } from '@/components/ui/dialog';

export function PasswordShownOnce({ value, onClose }: { value: { email: string; password: string } | null; onClose: () => void }) {
  return (
    <Dialog open={value !== null} title="Password for the new sign-in" onClose={onClose} footer={<button type="button" className="btn primary" onClick={onClose}>Done</button>}>
      <div className="alert warn">Hand this password to {value?.email} over a safe channel. It is shown only once.</div>
      <div className="secret" data-testid="generated-password">{value?.password}</div>
      <div>{value ? <CopyButton text={value.password} label="Copy password" /> : null}</div>
    </Dialog>
  );
}
