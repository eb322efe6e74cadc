import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { audited } from '@/server/audit/append';
import type { Actor, Ctx } from '@/server/context';
import { burnPasswordCheck, verifyPassword } from './password';
import { admitAttempt, recordAttempt, settleSuccess, type AttemptReason } from './throttle';

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
 * Checks a password sign-in. Before the password is looked at, the attempt must get past the
 * throttle (server/auth/throttle.ts), which charges it as a failure in the same step; a
 * success gives the charge back. Checked attempts are recorded; failures say nothing about
 * whether the account exists.
 */
export async function signInWithPassword(ctx: Ctx, input: { email: string; password: string }): Promise<SignInResult> {
  const typed = normaliseEmail(input.email);
  const email = looksLikeEmail(typed) ? typed : '(not an email address)';
  const key = { email, ip: ctx.sourceIp ?? 'unknown' };
  const now = ctx.now();
  const gate = await admitAttempt(ctx.db, key, now);
  if (!gate.allowed) return { ok: false, reason: 'throttled', retryAfterS: gate.retryAfterS };

  const [user] = await ctx.db.select().from(users).where(eq(users.email, email)).limit(1);
  let reason: AttemptReason;
  if (!user?.passwordHash) {
    await burnPasswordCheck(input.password);
    reason = 'unknown_user';
  } else if (!(await verifyPassword(user.passwordHash, input.password))) {
    reason = 'bad_password';
  } else {
    reason = user.disabledAt ? 'disabled' : 'ok';
  }

  const actor: Actor | null = user && reason === 'ok' ? { id: user.id, email: user.email, role: user.role } : null;
  await audited(ctx, async (tx, audit) => {
    await recordAttempt(tx, { email, ip: key.ip, ts: now, reason });
    if (actor) {
      await settleSuccess(tx, key, now);
      await tx.update(users).set({ lastSignInAt: now }).where(eq(users.id, actor.id));
      audit({ action: 'auth.sign_in', targetType: 'user', targetId: actor.id }, actor);
      return;
    }
    // The attempt that makes a counter start waiting is recorded as such, once.
    const backoff = gate.startsBackoff;
    audit({
      action: backoff.length ? 'auth.sign_in_backoff' : 'auth.sign_in_failed',
      targetType: 'user',
      targetId: user?.id ?? null,
      after: {
        email: user ? email : '(no such account)',
        reason,
        failuresFromAddressForAccount: gate.counters.account.failures,
        failuresFromAddress: gate.counters.address.failures,
        ...(backoff.length ? { backoff } : {}),
      },
    });
  });
  if (actor) return { ok: true, actor };
  return { ok: false, reason: reason === 'disabled' ? 'disabled' : 'invalid' };
}
