'use server';

import { AuthError } from 'next-auth';
import { signIn, type ThrottledSignIn } from '@/server/auth/authjs';
import { throttledMessage } from './retry-text';

export interface SignInState {
  error: string | null;
  email: string;
}

/** Only paths on this console: never an absolute or protocol-relative URL (open redirect). */
function safeRedirect(target: unknown): string {
  const s = typeof target === 'string' ? target : '';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s : '/';
}

export async function signInWithPasswordAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '').trim();
  const password = String(form.get('password') ?? '');
  if (!email || !password) return { error: 'Enter your email and password.', email };
  try {
    await signIn('credentials', { email, password, redirectTo: safeRedirect(form.get('callbackUrl')) });
    return { error: null, email };
  } catch (e) {
    if (e instanceof AuthError) {
      const code = (e as { code?: string }).code;
      if (code === 'throttled') return { error: throttledMessage((e as Partial<ThrottledSignIn>).retryAfterS), email };
      if (code === 'disabled') return { error: 'This account is disabled. Ask an administrator.', email };
      return { error: 'Email or password is not correct.', email };
    }
    throw e; // the success redirect travels as an exception
  }
}

export async function signInWithOidcAction(form: FormData) {
  await signIn('oidc', { redirectTo: safeRedirect(form.get('callbackUrl')) });
}
