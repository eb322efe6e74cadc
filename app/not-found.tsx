import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Brand } from '@/components/shell/logo';
import { NotFoundPanel, requestedPath } from '@/components/shell/not-found-panel';
import { Shell } from '@/components/shell/shell';
import { TrpcProviders } from '@/components/trpc';
import { currentActor } from '@/server/auth/current';
import { PASSWORD_CHANGE_PATH } from '@/server/auth/password-change';

export const metadata: Metadata = { title: 'Page not found' };

/**
 * Every address no route matches. A root not-found does not get the (console) layout, so it
 * draws the same shell itself for a signed-in person. Reading the session makes it render per
 * request, so Next.js tags its scripts with the request's CSP nonce (a prerendered 404 has
 * none, and proxy.ts's policy would block them). Signed out, a page address goes to sign-in
 * as every console page does; anything else (an unknown /api/… or /v1/… path, which proxy.ts
 * does not see) gets the bare answer.
 */
export default async function NotFound() {
  const [actor, h] = await Promise.all([currentActor(), headers()]);
  const asked = h.get('x-meshward-path');
  const path = requestedPath(asked);
  if (actor?.mustChangePassword) redirect(PASSWORD_CHANGE_PATH);
  if (actor) {
    return (
      <TrpcProviders>
        <Shell actor={actor}><NotFoundPanel path={path} /></Shell>
      </TrpcProviders>
    );
  }
  if (path) redirect(`/signin?callbackUrl=${encodeURIComponent(asked!)}`);
  return (
    <div className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1 style={{ marginBottom: 4 }}>Page not found</h1>
        <p className="muted" style={{ margin: '0 0 18px' }}>There is no page at this address.</p>
        <Link className="btn primary" href="/signin">Sign in</Link>
      </div>
    </div>
  );
}
