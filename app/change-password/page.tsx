import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { Brand } from '@/components/shell/logo';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { TrpcProviders } from '@/components/trpc';
import { ChangePassword } from '@/components/users/change-password';
import { currentActor } from '@/server/auth/current';

export const metadata: Metadata = { title: 'Replace your password', referrer: 'no-referrer' };
export const dynamic = 'force-dynamic';

/**
 * Where an account with a password Meshward generated (the first admin's, printed at first start)
 * is sent from every console page until it replaces it (server/auth/password-change.ts).
 */
export default async function ChangeGeneratedPasswordPage() {
  const actor = await currentActor();
  if (!actor) redirect('/signin');
  if (!actor.mustChangePassword) redirect('/settings/account');
  return (
    <div className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1 style={{ marginBottom: 4 }}>Replace your password</h1>
        <p className="muted" style={{ margin: '0 0 18px' }}>
          Signed in as {actor.email}. Meshward generated this account&apos;s password and printed it when it first started:
          choose your own before using the console. Changing it signs you out; then sign in with the new one.
        </p>
        <TrpcProviders>
          <ChangePassword plain />
        </TrpcProviders>
        <div style={{ marginTop: 14 }}><SignOutButton /></div>
      </div>
    </div>
  );
}
