'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { cancelSigningOut, markSigningOut } from '@/components/shell/leaving';
import { signOutAfterEndingAll } from '@/components/shell/sign-out';
import { useTRPC } from '@/components/trpc';
import { Dialog } from '@/components/ui/dialog';
import { Empty, ErrorState, LoadingRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';

/** A browser's user-agent string, shortened to what a person recognises. */
function browserName(ua: string): string {
  if (!ua) return 'unknown browser';
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
  const os = /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Linux/.test(ua) ? 'Linux' : null;
  return browser ? `${browser}${os ? ` on ${os}` : ''}` : ua.slice(0, 60);
}

/** The account's live sessions, and "sign out everywhere" for when one of them is not yours. */
export function AccountSessions() {
  const trpc = useTRPC();
  const q = useQuery(trpc.session.list.queryOptions());
  const [confirming, setConfirming] = useState(false);
  const endAll = useMutation(trpc.session.signOutEverywhere.mutationOptions({ onSuccess: () => void signOutAfterEndingAll(), onError: cancelSigningOut }));
  return (
    <section className="card" aria-labelledby="sessions-title">
      <div className="card-head">
        <h2 id="sessions-title">Sessions</h2>
        <button className="btn danger" onClick={() => { endAll.reset(); setConfirming(true); }}>Sign out everywhere</button>
      </div>
      <p className="card-body muted" style={{ margin: 0, paddingBottom: 0 }}>
        Where this account is signed in. If you do not recognise one, sign out everywhere and change your password.
      </p>
      {q.isError ? <ErrorState error={q.error} onRetry={() => q.refetch()} /> : (
        <div className="table-wrap">
          <table className="table">
            <thead><tr><th>Browser</th><th>Address</th><th>Signed in</th><th>Last active</th><th>Method</th></tr></thead>
            <tbody>
              {q.isPending ? <LoadingRows columns={5} rows={2} /> : (q.data ?? []).map((s, i) => (
                <tr key={i} data-testid="session-row">
                  <td title={s.userAgent}>{browserName(s.userAgent)}{s.current ? <span className="badge ok" style={{ marginLeft: 8 }}>this browser</span> : null}</td>
                  <td className="mono">{s.ip ?? <span className="faint">—</span>}</td>
                  <td><Time value={s.createdAt} /></td>
                  <td><Time value={s.lastSeenAt} relative /></td>
                  <td>{s.provider === 'oidc' ? 'single sign-on' : 'password'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.data?.length === 0 ? <Empty title="No sessions" /> : null}
        </div>
      )}
      <Dialog
        open={confirming}
        title="Sign out everywhere"
        onClose={() => setConfirming(false)}
        onSubmit={() => {
          markSigningOut();
          endAll.mutate({});
        }}
        footer={
          <>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>Cancel</button>
            <button type="submit" className="btn danger solid" disabled={endAll.isPending || endAll.isSuccess}>
              {endAll.isPending || endAll.isSuccess ? 'Signing out…' : 'Sign out everywhere'}
            </button>
          </>
        }
      >
        <p style={{ marginTop: 0 }}>Every session of this account ends, on every device, this browser included. You will need to sign in again.</p>
        {endAll.error ? <div className="alert error" role="alert">{endAll.error.message}</div> : null}
      </Dialog>
    </section>
  );
}
