import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { signInAttempts, signInThrottle, type ThrottleScope } from '@/db/schema';

/**
 * How one throttle counter grows and shrinks. Each counted failure after `freeFailures`
 * doubles the wait before the next attempt is even looked at; quiet time forgets failures
 * one `decayMs` at a time, so nothing stays locked for ever and a steady trickle of
 * failures never builds up to a lock.
 */
export interface ThrottleRule {
  freeFailures: number;
  /** the wait after the `freeFailures`-th failure; each further failure doubles it */
  baseWaitMs: number;
  maxWaitMs: number;
  decayMs: number;
}

const MINUTE = 60_000;

/**
 * One (account, source address) pair: the only counter that can hold an account back, so an
 * attacker elsewhere cannot lock its owner out. Sustained guessing from one address is held
 * to about one try per 15 minutes once the wait is at its cap.
 */
export const ACCOUNT_RULE: ThrottleRule = { freeFailures: 5, baseWaitMs: 30_000, maxWaitMs: 15 * MINUTE, decayMs: 15 * MINUTE };

/**
 * One source address across every account (password spraying: one guess at many accounts).
 * Generous, because offices share an address behind NAT.
 */
export const ADDRESS_RULE: ThrottleRule = { freeFailures: 30, baseWaitMs: 30_000, maxWaitMs: 15 * MINUTE, decayMs: 15 * MINUTE };

export interface Counter {
  failures: number;
  lastFailureAt: Date | null;
  blockedUntil: Date | null;
  refused: number;
}

export const EMPTY_COUNTER: Counter = { failures: 0, lastFailureAt: null, blockedUntil: null, refused: 0 };

/** Failures still remembered at `now`: one is forgotten per `decayMs` since the last one. */
export function liveFailures(c: Counter, now: Date, rule: ThrottleRule): number {
  if (!c.lastFailureAt || c.failures <= 0) return 0;
  const quietMs = Math.max(0, now.getTime() - c.lastFailureAt.getTime());
  return Math.max(0, c.failures - Math.floor(quietMs / rule.decayMs));
}

/** The wait after the `failures`-th failure: none before `freeFailures`, then doubling to the cap. */
export function waitAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.freeFailures) return 0;
  const doublings = Math.min(failures - rule.freeFailures, 40);
  return Math.min(rule.maxWaitMs, rule.baseWaitMs * 2 ** doublings);
}

export type Verdict =
  | { allowed: true; next: Counter; startsBackoff: boolean }
  | { allowed: false; retryAfterMs: number; next: Counter };

/**
 * Whether an attempt may be checked now. An allowed attempt is charged as a failure at once,
 * before its password is looked at, so that attempts arriving together each see the ones
 * before them; a success gives the charge back (`afterSuccess`).
 */
export function judge(c: Counter, now: Date, rule: ThrottleRule): Verdict {
  if (c.blockedUntil && c.blockedUntil.getTime() > now.getTime()) {
    return { allowed: false, retryAfterMs: c.blockedUntil.getTime() - now.getTime(), next: { ...c, refused: c.refused + 1 } };
  }
  const live = liveFailures(c, now, rule);
  const failures = live + 1;
  const wait = waitAfter(failures, rule);
  return {
    allowed: true,
    next: { failures, lastFailureAt: now, blockedUntil: wait ? new Date(now.getTime() + wait) : null, refused: live === 0 ? 0 : c.refused },
    startsBackoff: failures === rule.freeFailures,
  };
}

/**
 * The counter after an attempt turned out to be a success. The pair starts again from
 * nothing; the address gets its one charge back but keeps the failures of other attempts,
 * so one good account at an address does not wash out spraying from it.
 */
export function afterSuccess(c: Counter, scope: ThrottleScope, rule: ThrottleRule): Counter {
  if (scope === 'account') return EMPTY_COUNTER;
  const failures = Math.max(0, c.failures - 1);
  return { ...c, failures, blockedUntil: failures < rule.freeFailures ? null : c.blockedUntil };
}

const RULES: Record<ThrottleScope, ThrottleRule> = { account: ACCOUNT_RULE, address: ADDRESS_RULE };

export interface AttemptKey {
  /** the normalised email typed, whether or not such an account exists */
  email: string;
  ip: string;
}

type Counters = Record<ThrottleScope, Counter>;

const keyOf = (scope: ThrottleScope, k: AttemptKey) => ({ scope, email: scope === 'account' ? k.email : '', ip: k.ip });

/**
 * Creates the attempt's two counter rows if need be, locks them and returns their state: an
 * upsert whose conflict branch touches the row, so it waits for any other attempt holding
 * it and then reads what that one wrote. The address row comes first in every transaction,
 * so two attempts never wait on each other in a cycle.
 */
async function lockCounters(tx: Db, k: AttemptKey, now: Date): Promise<Counters> {
  const got = await tx
    .insert(signInThrottle)
    .values([{ ...keyOf('address', k), updatedAt: now }, { ...keyOf('account', k), updatedAt: now }])
    .onConflictDoUpdate({ target: [signInThrottle.scope, signInThrottle.email, signInThrottle.ip], set: { updatedAt: now } })
    .returning();
  const out = {} as Counters;
  for (const r of got) {
    out[r.scope] = { failures: r.failures, lastFailureAt: r.lastFailureAt, blockedUntil: r.blockedUntil, refused: r.refused };
  }
  return out;
}

async function writeCounter(tx: Db, scope: ThrottleScope, k: AttemptKey, c: Counter) {
  const key = keyOf(scope, k);
  await tx
    .update(signInThrottle)
    .set({ failures: c.failures, lastFailureAt: c.lastFailureAt, blockedUntil: c.blockedUntil, refused: c.refused })
    .where(and(eq(signInThrottle.scope, key.scope), eq(signInThrottle.email, key.email), eq(signInThrottle.ip, key.ip)));
}

export type Admission =
  | { allowed: true; counters: Counters; startsBackoff: ThrottleScope[] }
  | { allowed: false; retryAfterS: number; refusedBy: ThrottleScope[] };

/**
 * Decides, atomically, whether this attempt may have its password checked, and charges it
 * as a failure when it may. Refused attempts are counted on the counter that refused them,
 * not stored one by one: an attacker hammering a locked pair costs one row update each.
 */
export async function admitAttempt(db: Db, k: AttemptKey, now: Date): Promise<Admission> {
  return db.transaction(async (tx) => {
    const counters = await lockCounters(tx, k, now);
    const verdicts = {
      address: judge(counters.address, now, ADDRESS_RULE),
      account: judge(counters.account, now, ACCOUNT_RULE),
    };
    const scopes = ['address', 'account'] as const;
    const refusedBy = scopes.filter((s) => !verdicts[s].allowed);
    if (refusedBy.length === 0) {
      for (const s of scopes) await writeCounter(tx, s, k, verdicts[s].next);
      const startsBackoff = scopes.filter((s) => (verdicts[s] as { startsBackoff: boolean }).startsBackoff);
      return { allowed: true as const, counters: { address: verdicts.address.next, account: verdicts.account.next }, startsBackoff };
    }
    // Only the refusing counters change (their refusal count); the others were not charged.
    for (const s of refusedBy) await writeCounter(tx, s, k, verdicts[s].next);
    const waitMs = Math.max(...refusedBy.map((s) => (verdicts[s] as { retryAfterMs: number }).retryAfterMs));
    return { allowed: false as const, retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)), refusedBy };
  });
}

/** Gives a successful attempt's charge back; runs inside the transaction that records the sign-in. */
export async function settleSuccess(tx: Db, k: AttemptKey, now: Date): Promise<void> {
  const counters = await lockCounters(tx, k, now);
  for (const s of ['address', 'account'] as const) await writeCounter(tx, s, k, afterSuccess(counters[s], s, RULES[s]));
}

/** Reasons stored with each checked attempt (refused attempts are counted on the throttle row instead). */
export type AttemptReason = 'ok' | 'bad_password' | 'unknown_user' | 'disabled';

export async function recordAttempt(db: Db, a: { email: string; ip: string; ts: Date; reason: AttemptReason }) {
  await db.insert(signInAttempts).values({ email: a.email, ip: a.ip, ts: a.ts, success: a.reason === 'ok', reason: a.reason });
}

/**
 * Deletes counters that hold nothing any more (every failure decayed, no wait pending), so
 * the table does not keep a row for every (email, address) an attacker ever typed.
 */
export async function pruneThrottle(db: Db, now: Date): Promise<number> {
  let pruned = 0;
  for (const [scope, rule] of Object.entries(RULES) as [ThrottleScope, ThrottleRule][]) {
    const gone = await db
      .delete(signInThrottle)
      .where(
        and(
          eq(signInThrottle.scope, scope),
          sql`(${signInThrottle.lastFailureAt} is null
               or ${signInThrottle.lastFailureAt} + ${signInThrottle.failures} * ${`${rule.decayMs} milliseconds`}::interval <= ${now.toISOString()}::timestamptz)`,
          sql`(${signInThrottle.blockedUntil} is null or ${signInThrottle.blockedUntil} <= ${now.toISOString()}::timestamptz)`,
        ),
      )
      .returning({ ip: signInThrottle.ip });
    pruned += gone.length;
  }
  return pruned;
}
