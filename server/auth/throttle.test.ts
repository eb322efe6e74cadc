import { describe, expect, it } from 'vitest';
import { signInThrottle } from '@/db/schema';
import { describeEachEngine } from '@/server/testing/db';
import {
  ACCOUNT_RULE, ADDRESS_RULE, EMPTY_COUNTER, admitAttempt, afterSuccess, judge, liveFailures, pruneThrottle, waitAfter, type Counter, type ThrottleRule,
} from './throttle';

const T0 = new Date(Date.UTC(2026, 10, 23, 12, 0, 0));
const at = (ms: number) => new Date(T0.getTime() + ms);
const RULE: ThrottleRule = { freeFailures: 3, baseWaitMs: 1000, maxWaitMs: 10_000, decayMs: 60_000 };

describe('throttle arithmetic', () => {
  it('waits nothing before the free failures, then doubles to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 100].map((f) => waitAfter(f, RULE))).toEqual([0, 0, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    // The shipped rules: 30 s after the 5th failure of a pair, doubling to 15 minutes.
    expect([4, 5, 6, 7, 8, 9, 10, 11].map((f) => waitAfter(f, ACCOUNT_RULE) / 1000)).toEqual([0, 30, 60, 120, 240, 480, 900, 900]);
    expect(waitAfter(ADDRESS_RULE.freeFailures - 1, ADDRESS_RULE)).toBe(0);
    expect(waitAfter(ADDRESS_RULE.freeFailures, ADDRESS_RULE)).toBe(30_000);
  });

  it('forgets one failure per decay interval without failures', () => {
    const c: Counter = { ...EMPTY_COUNTER, failures: 5, lastFailureAt: T0 };
    expect(liveFailures(c, at(0), RULE)).toBe(5);
    expect(liveFailures(c, at(59_999), RULE)).toBe(5);
    expect(liveFailures(c, at(60_000), RULE)).toBe(4);
    expect(liveFailures(c, at(10 * 60_000), RULE)).toBe(0);
    // a clock that went backwards forgets nothing
    expect(liveFailures(c, at(-5000), RULE)).toBe(5);
  });

  it('charges an allowed attempt before its password is checked, and refuses while waiting without charging', () => {
    let c = EMPTY_COUNTER;
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const v = judge(c, at(0), RULE);
      seen.push(v.allowed ? `allowed ${v.next.failures}` : `refused ${v.retryAfterMs}`);
      c = v.next;
    }
    expect(seen).toEqual(['allowed 1', 'allowed 2', 'allowed 3', 'refused 1000', 'refused 1000']);
    expect(c).toMatchObject({ failures: 3, refused: 2, blockedUntil: at(1000) });
    const after = judge(c, at(1000), RULE);
    expect(after).toMatchObject({ allowed: true, next: { failures: 4, blockedUntil: at(3000) } });
  });

  it('says when a counter starts making attempts wait, once', () => {
    let c = EMPTY_COUNTER;
    const starts: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const v = judge(c, at(i * 20_000), RULE);
      if (!v.allowed) throw new Error('unexpected refusal');
      starts.push(v.startsBackoff);
      c = v.next;
    }
    expect(starts).toEqual([false, false, true, false]);
  });

  it('a success starts the pair again from nothing, and gives the address back only its own charge', () => {
    const c: Counter = { failures: 4, lastFailureAt: T0, blockedUntil: at(2000), refused: 1 };
    expect(afterSuccess(c, 'account', RULE)).toEqual(EMPTY_COUNTER);
    expect(afterSuccess(c, 'address', RULE)).toMatchObject({ failures: 3, blockedUntil: at(2000) });
    expect(afterSuccess({ ...c, failures: 3 }, 'address', RULE)).toMatchObject({ failures: 2, blockedUntil: null });
  });
});

describeEachEngine('throttle in the database', (h) => {
  it('lets exactly the free failures of one pair through when 20 attempts arrive at once', async () => {
    const key = { email: 'ana@example.test', ip: '203.0.113.9' };
    const results = await Promise.all(Array.from({ length: 20 }, () => admitAttempt(h.db, key, T0)));
    expect(results.filter((r) => r.allowed)).toHaveLength(ACCOUNT_RULE.freeFailures);
    const refused = results.filter((r) => !r.allowed);
    expect(refused).toHaveLength(20 - ACCOUNT_RULE.freeFailures);
    expect(refused.every((r) => !r.allowed && r.retryAfterS === 30 && r.refusedBy.join() === 'account')).toBe(true);
    const rows = await h.db.select().from(signInThrottle);
    const account = rows.find((r) => r.scope === 'account')!;
    expect(account).toMatchObject({ failures: ACCOUNT_RULE.freeFailures, refused: 20 - ACCOUNT_RULE.freeFailures });
    // The address was charged only for the attempts that were let through.
    expect(rows.find((r) => r.scope === 'address')).toMatchObject({ failures: ACCOUNT_RULE.freeFailures, refused: 0 });
  });

  it('lets exactly the free failures of one address through when it sprays 40 accounts at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => admitAttempt(h.db, { email: `victim${i}@example.test`, ip: '192.0.2.66' }, T0)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(ADDRESS_RULE.freeFailures);
    expect(results.filter((r) => !r.allowed).every((r) => !r.allowed && r.refusedBy.join() === 'address')).toBe(true);
    // Another address is not held back.
    expect((await admitAttempt(h.db, { email: 'victim1@example.test', ip: '192.0.2.67' }, T0)).allowed).toBe(true);
  });

  it('prunes counters whose failures have all decayed and that hold no wait', async () => {
    await admitAttempt(h.db, { email: 'a@example.test', ip: '198.51.100.1' }, T0);
    for (let i = 0; i < ACCOUNT_RULE.freeFailures; i++) await admitAttempt(h.db, { email: 'b@example.test', ip: '198.51.100.2' }, T0);
    // One decay interval later: the single failures are forgotten, b's five are not.
    expect(await pruneThrottle(h.db, at(ACCOUNT_RULE.decayMs))).toBe(2);
    const left = await h.db.select().from(signInThrottle);
    expect(left.map((r) => `${r.scope} ${r.email} ${r.ip}`).sort()).toEqual(['account b@example.test 198.51.100.2', 'address  198.51.100.2']);
    expect(await pruneThrottle(h.db, at(ACCOUNT_RULE.freeFailures * ACCOUNT_RULE.decayMs))).toBe(2);
  });
});
