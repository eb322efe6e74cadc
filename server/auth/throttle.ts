import { and, count, eq, gte, inArray, min, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { signInAttempts } from '@/db/schema';

export const THROTTLE_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 20;

/** Reasons that count towards a lockout: the password was actually checked and failed. */
export const COUNTED_FAILURES = ['bad_password', 'unknown_user', 'disabled'] as const;
export type AttemptReason = (typeof COUNTED_FAILURES)[number] | 'ok' | 'throttled';

export interface ThrottleState {
  throttled: boolean;
  retryAfterS: number;
  accountFailures: number;
  ipFailures: number;
}

async function failuresSince(db: Db, column: typeof signInAttempts.email | typeof signInAttempts.ip, value: string, since: Date) {
  const [row] = await db
    .select({ n: count(), oldest: min(signInAttempts.ts) })
    .from(signInAttempts)
    .where(and(eq(column, value), gte(signInAttempts.ts, since), inArray(signInAttempts.reason, [...COUNTED_FAILURES])));
  return { n: Number(row?.n ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null };
}

async function lastSuccess(db: Db, email: string): Promise<Date | null> {
  const [row] = await db
    .select({ ts: sql<string | null>`max(${signInAttempts.ts})` })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.email, email), eq(signInAttempts.success, true)));
  return row?.ts ? new Date(row.ts) : null;
}

/**
 * Whether another attempt for this account or from this address may be checked now.
 * An account's count restarts at its last successful sign-in; an address's does not.
 */
export async function throttleState(db: Db, email: string, ip: string, now: Date): Promise<ThrottleState> {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const success = await lastSuccess(db, email);
  const accountSince = success && success > windowStart ? success : windowStart;
  const [account, byIp] = await Promise.all([
    failuresSince(db, signInAttempts.email, email, accountSince),
    failuresSince(db, signInAttempts.ip, ip, windowStart),
  ]);
  const waits: number[] = [];
  if (account.n >= MAX_FAILURES_PER_ACCOUNT && account.oldest) waits.push(account.oldest.getTime() + THROTTLE_WINDOW_MS - now.getTime());
  if (byIp.n >= MAX_FAILURES_PER_IP && byIp.oldest) waits.push(byIp.oldest.getTime() + THROTTLE_WINDOW_MS - now.getTime());
  const wait = waits.length ? Math.max(...waits) : 0;
  return {
    throttled: waits.length > 0,
    retryAfterS: Math.max(1, Math.ceil(wait / 1000)),
    accountFailures: account.n,
    ipFailures: byIp.n,
  };
}

export async function recordAttempt(db: Db, a: { email: string; ip: string; ts: Date; reason: AttemptReason }) {
  await db.insert(signInAttempts).values({ email: a.email, ip: a.ip, ts: a.ts, success: a.reason === 'ok', reason: a.reason });
}
