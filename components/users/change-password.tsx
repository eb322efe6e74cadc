'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { markSigningOut } from '@/components/shell/leaving';
import { signOutAfterPasswordChange } from '@/components/shell/sign-out';
import { useTRPC } from '@/components/trpc';

/** `plain`: the form alone, for the first-sign-in page's own card (app/change-password/page.tsx). */
export function ChangePassword({ plain = false }: { plain?: boolean } = {}) {
  const trpc = useTRPC();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const change = useMutation(trpc.session.changePassword.mutationOptions({
    onSuccess: () => {
      markSigningOut();
      void signOutAfterPasswordChange();
    },
  }));
  const mismatch = repeat.length > 0 && next !== repeat;
  const form = (
    <form className={plain ? 'form' : 'card-body form'} aria-label="Change password" onSubmit={(e) => { e.preventDefault(); if (!mismatch) change.mutate({ current, next }); }}>
      <div className="field">
        <label htmlFor="pw-current">Current password</label>
        <input id="pw-current" className="input" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="pw-next">New password</label>
        <input id="pw-next" className="input" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={12} />
        <span className="hint">At least 12 characters. A passphrase of several words works well.</span>
      </div>
      <div className="field">
        <label htmlFor="pw-repeat">Repeat new password</label>
        <input id="pw-repeat" className="input" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required aria-invalid={mismatch} />
        {mismatch ? <span className="field-error">The passwords differ</span> : null}
      </div>
      {change.error ? <div className="alert error" role="alert">{change.error.message}</div> : null}
      {change.isSuccess ? <div className="alert ok" role="status">Password changed. Signing you out…</div> : null}
      <div><button className="btn primary" type="submit" disabled={change.isPending || mismatch || !current || next.length < 12}>{change.isPending ? 'Saving…' : 'Change password'}</button></div>
    </form>
  );
  if (plain) return form;
  return (
    <section className="card" style={{ maxWidth: 520 }} aria-labelledby="pw-title">
      <div className="card-head"><h2 id="pw-title">Change password</h2></div>
      <p className="card-body muted" style={{ margin: 0, paddingBottom: 0 }}>Changing it signs this account out everywhere, this browser included.</p>
      {form}
    </section>
  );
}
