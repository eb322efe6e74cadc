import { eq } from 'drizzle-orm';
import { users } from '@/db/schema';
import { appendAudit } from '@/server/audit/append';
import type { Actor, Ctx } from '@/server/context';
import { burnPasswordCheck, verifyPassword } from './password';
import { MAX_FAILURES_PER_ACCOUNT, recordAttempt, throttleState } from './throttle';

export type SignInResult =
  | { ok: true; actor: Actor }
  | { ok: false; reason: 'invalid' | 'disabled' }
  | { ok: false; reason: 'throttled'; retryAfterS: number };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

// People sometimes type a password into the email field: only address-shaped input is kept.
const looksLikeEmail = (s: string) => /^[^\s@]{1,64}@[^\s@]{1,255}$/.test(s);

/**
 * Checks a password sign-in. Every attempt is recorded; attempts over the per-account or
 * per-address limit are refused before the password is looked at. Failures say nothing
 * about whether the account exists.
 */
export async function signInWithPassword(ctx: Ctx, input: { email: string; password: string }): Promise<SignInResult> {
  const typed = normaliseEmail(input.email);
  const email = looksLikeEmail(typed) ? typed : '(not an email address)';
  const ip = ctx.sourceIp ?? 'unknown';
  const now = ctx.now();
  const state = await throttleState(ctx.db, email, ip, now);
  if (state.throttled) {
    await recordAttempt(ctx.db, { email, ip, ts: now, reason: 'throttled' });
    return { ok: false, reason: 'throttled', retryAfterS: state.retryAfterS };
  }
  const [user] = await ctx.db.select().from(users).where(eq(users.email, email)).limit(1);
  let reason: 'ok' | 'bad_password' | 'unknown_user' | 'disabled';
  if (!user?.passwordHash) {
    await burnPasswordCheck(input.password);
    reason = 'unknown_user';
  } else if (!(await verifyPassword(user.passwordHash, input.password))) {
    reason = 'bad_password';
  } else {
    reason = user.disabledAt ? 'disabled' : 'ok';
  }

  const actor: Actor | null = user && reason === 'ok' ? { id: user.id, email: user.email, role: user.role } : null;
  await ctx.db.transaction(async (tx) => {
    await recordAttempt(tx as never, { email, ip, ts: now, reason });
    if (actor) {
      await tx.update(users).set({ lastSignInAt: now }).where(eq(users.id, actor.id));
      await appendAudit(tx as never, { ...ctx, actor }, { action: 'auth.sign_in', targetType: 'user', targetId: actor.id });
      return;
    }
    const locks = state.accountFailures + 1 === MAX_FAILURES_PER_ACCOUNT;
    await appendAudit(tx as never, ctx, {
      action: locks ? 'auth.account_locked' : 'auth.sign_in_failed',
      targetType: 'user',
      targetId: user?.id ?? null,
      after: { email: user ? email : '(no such account)', reason, failuresInWindow: state.accountFailures + 1 },
    });
  });
  if (actor) return { ok: true, actor };
  return { ok: false, reason: reason === 'disabled' ? 'disabled' : 'invalid' };
}
