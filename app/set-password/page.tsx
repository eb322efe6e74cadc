import type { Metadata } from 'next';
import { SetPasswordForm } from '@/components/auth/set-password-form';
import { Brand } from '@/components/shell/logo';

export const metadata: Metadata = { title: 'Set your password', referrer: 'no-referrer' };
export const dynamic = 'force-dynamic';

/** Public: whoever holds a one-time link sets the password of the account it was issued for. */
export default function SetPasswordPage() {
  return (
    <div className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1 style={{ marginBottom: 4 }}>Set your password</h1>
        <p className="muted" style={{ margin: '0 0 18px' }}>An administrator gave you this link. Only you should know the password you choose.</p>
        <SetPasswordForm />
      </div>
    </div>
  );
}
