import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { signInWithOidcAction } from '@/components/auth/actions';
import { SignInForm } from '@/components/auth/sign-in-form';
import { Brand } from '@/components/shell/logo';
import { currentActor } from '@/server/auth/current';
import { oidcEnabled } from '@/server/config';
import { getRuntime } from '@/server/runtime';

export const metadata: Metadata = { title: 'Sign in' };
export const dynamic = 'force-dynamic';

const errors: Record<string, string> = {
  AccessDenied: 'Your single sign-on account has no access to this console. Ask an administrator.',
  Configuration: 'Sign-in is misconfigured on the server. Check the console log.',
};

const notices: Record<string, string> = {
  'password-changed': 'Password changed. Sign in with the new one.',
  'signed-out-everywhere': 'Signed out everywhere: every session of your account has ended.',
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  if (await currentActor()) redirect('/');
  const rt = await getRuntime();
  const sso = oidcEnabled(rt.config);
  const callbackUrl = params.callbackUrl?.startsWith('/') ? params.callbackUrl : '/';
  const initialError = params.error ? (errors[params.error] ?? 'Sign-in failed. Try again.') : null;
  const notice = notices[params.notice ?? ''] ?? null;
  return (
    <div className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1 style={{ marginBottom: 4 }}>Sign in</h1>
        <p className="muted" style={{ margin: '0 0 18px' }}>Use your Meshward account.</p>
        {notice ? <div className="alert ok" role="status" style={{ marginBottom: 14 }}>{notice}</div> : null}
        <SignInForm callbackUrl={callbackUrl} initialError={initialError} />
        {sso ? (
          <form action={signInWithOidcAction} className="form" style={{ marginTop: 14 }}>
            <div className="divider">or</div>
            <input type="hidden" name="callbackUrl" value={callbackUrl} />
            <button type="submit" className="btn">Continue with {rt.config.MESHWARD_OIDC_NAME}</button>
          </form>
        ) : null}
      </div>
    </div>
  );
}
