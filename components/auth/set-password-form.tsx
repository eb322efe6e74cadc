'use client';

import Link from 'next/link';
import { useEffect, useState } from 'react';
import { checkPasswordLinkAction, setPasswordWithLinkAction, type LinkCheck } from './set-password-actions';

const MIN = 12;

/** Reads the token from the URL fragment (never sent to the server in a request line or Referer). */
function tokenFromHash(): string {
  return new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token') ?? '';
}

export function SetPasswordForm() {
  const [token, setToken] = useState<string | null>(null);
  const [check, setCheck] = useState<LinkCheck | null>(null);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    const load = () => {
      const t = tokenFromHash();
      setToken(t);
      setDone(null);
      setError(null);
      setPassword('');
      setRepeat('');
      if (!t) {
        setCheck({ ok: false, error: 'This page needs the whole link you were given (it ends in #token=…). Ask an administrator for a new one if it is lost.' });
        return;
      }
      setCheck(null);
      checkPasswordLinkAction(t).then(setCheck, () => setCheck({ ok: false, error: 'The console could not check this link. Try again in a moment.' }));
    };
    load();
    // a link pasted into this open page changes only the fragment: no new page load
    window.addEventListener('hashchange', load);
    return () => window.removeEventListener('hashchange', load);
  }, []);

  if (done) {
    return (
      <div className="stack">
        <div className="alert ok" role="status">Password set for {done}. Every earlier session of the account has ended.</div>
        <Link className="btn primary" href="/signin">Sign in</Link>
      </div>
    );
  }
  if (check === null) return <p className="muted" role="status">Checking the link…</p>;
  if (!check.ok) {
    return (
      <div className="stack">
        <div className="alert error" role="alert">{check.error}</div>
        <Link className="btn" href="/signin">Go to sign-in</Link>
      </div>
    );
  }
  const mismatch = repeat.length > 0 && password !== repeat;
  const submit = async () => {
    if (!token || mismatch || password.length < MIN) return;
    setPending(true);
    setError(null);
    try {
      const r = await setPasswordWithLinkAction(token, password);
      if (r.ok) {
        // the token is spent: keep it out of the address bar and the history
        window.history.replaceState(null, '', window.location.pathname);
        setDone(r.email);
      } else setError(r.error);
    } catch {
      setError('The console could not save the password. Try again in a moment.');
    } finally {
      setPending(false);
    }
  };
  return (
    <form className="form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <p className="muted" style={{ margin: 0 }}>
        For <strong data-testid="link-email">{check.email}</strong>. The link works once, until {new Date(check.expiresAt).toLocaleString()}.
      </p>
      {/* lets password managers file the new password under the right account */}
      <input type="email" name="username" autoComplete="username" value={check.email} readOnly hidden />
      <div className="field">
        <label htmlFor="sp-password">New password</label>
        <input id="sp-password" className="input" type="password" autoComplete="new-password" value={password}
          onChange={(e) => setPassword(e.target.value)} required minLength={MIN} autoFocus aria-describedby="sp-hint" />
        <span className="hint" id="sp-hint">At least {MIN} characters. A passphrase of several words works well.</span>
      </div>
      <div className="field">
        <label htmlFor="sp-repeat">Repeat the password</label>
        <input id="sp-repeat" className="input" type="password" autoComplete="new-password" value={repeat}
          onChange={(e) => setRepeat(e.target.value)} required aria-invalid={mismatch} />
        {mismatch ? <span className="field-error">The passwords differ</span> : null}
      </div>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      <button type="submit" className="btn primary" disabled={pending || mismatch || password.length < MIN || repeat !== password}>
        {pending ? 'Saving…' : 'Set password'}
      </button>
    </form>
  );
}
