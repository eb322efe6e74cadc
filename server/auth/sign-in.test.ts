import { eq, like } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, signInAttempts, users } from '@/db/schema';
import type { Ctx } from '@/server/context';
import { ctxFor, describeEachEngine } from '@/server/testing/db';
import { setUserDisabled } from '@/server/users/manage';
import { hashPassword, verifyPassword } from './password';
import { signInWithPassword, type SignInResult } from './sign-in';

// These tests drive only signInWithPassword, with the shipped throttle settings written out
// (5 free failures per account and address, 30 s doubling to 15 min, 30 per address), so
// they say what a person at the sign-in page sees.

it('hashes with argon2id and verifies only the right password', async () => {
  const h = await hashPassword('a long passphrase');
  expect(h).toMatch(/^\$argon2id\$/);
  expect(await verifyPassword(h, 'a long passphrase')).toBe(true);
  expect(await verifyPassword(h, 'a long passphrasE')).toBe(false);
  expect(await verifyPassword('not a hash', 'x')).toBe(false);
});

const MIN = 60_000;
const RIGHT = 'correct horse battery';
const OWNER_IP = '198.51.100.7';
const ATTACKER_IP = '203.0.113.66';

const outcome = (r: SignInResult) => (r.ok ? 'ok' : r.reason === 'throttled' ? `throttled ${r.retryAfterS}` : r.reason);

describeEachEngine('password sign-in', (h) => {
  let clock = Date.UTC(2026, 10, 23, 12, 0, 0);
  const at = (ip = OWNER_IP): Ctx => ({ ...ctxFor(h.db, null), now: () => new Date(clock), sourceIp: ip });
  const setup = async (email = 'ana@example.test', password = RIGHT) => {
    clock = Date.UTC(2026, 10, 23, 12, 0, 0);
    const [u] = await h.db.insert(users).values({ id: `usr_${email}`, email, name: 'Ana', role: 'analyst', passwordHash: await hashPassword(password) }).returning();
    return u;
  };
  const attempt = async (ip: string, password: string, email = 'ana@example.test') => outcome(await signInWithPassword(at(ip), { email, password }));

  it('signs in with the right password (email case-insensitive) and records it', async () => {
    const u = await setup();
    const r = await signInWithPassword(at(), { email: '  Ana@Example.TEST ', password: RIGHT });
    expect(r).toEqual({ ok: true, actor: { id: u.id, email: 'ana@example.test', role: 'analyst' } });
    const [row] = await h.db.select().from(users).where(eq(users.id, u.id));
    expect(row.lastSignInAt?.getTime()).toBe(clock);
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_in'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorEmail: 'ana@example.test', sourceIp: OWNER_IP });
  });

  it('answers the same for a wrong password and an unknown account, and records both', async () => {
    await setup();
    expect(await signInWithPassword(at(), { email: 'ana@example.test', password: 'wrong' })).toEqual({ ok: false, reason: 'invalid' });
    expect(await signInWithPassword(at(), { email: 'nobody@example.test', password: 'wrong' })).toEqual({ ok: false, reason: 'invalid' });
    const attempts = await h.db.select().from(signInAttempts).orderBy(signInAttempts.id);
    expect(attempts.map((a) => [a.email, a.reason, a.success])).toEqual([
      ['ana@example.test', 'bad_password', false],
      ['nobody@example.test', 'unknown_user', false],
    ]);
    const failed = await h.db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_in_failed'));
    expect(failed.map((f) => (f.after as { email: string }).email)).toEqual(['ana@example.test', '(no such account)']);
  });

  it('never stores what was typed in the email field when it is not an address (it may be a password)', async () => {
    await setup();
    await signInWithPassword(at(), { email: 'hunter2-my-password', password: 'x' });
    const [a] = await h.db.select().from(signInAttempts);
    expect(a.email).toBe('(not an email address)');
    const rows = await h.db.select().from(auditLog);
    expect(JSON.stringify(rows)).not.toContain('hunter2');
  });

  it('refuses a disabled account even with the right password', async () => {
    const u = await setup();
    await h.db.insert(users).values({ id: 'usr_boss', email: 'boss@example.test', role: 'admin' });
    await setUserDisabled(ctxFor(h.db, { id: 'other', email: 'boss@example.test', role: 'admin' }), { userId: u.id, disabled: true, reason: 'left the team' });
    expect(await signInWithPassword(at(), { email: 'ana@example.test', password: RIGHT })).toEqual({ ok: false, reason: 'disabled' });
    expect(await signInWithPassword(at(), { email: 'ana@example.test', password: 'nope' })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('an attacker failing at the old limit for hours never locks the owner out from another address', async () => {
    await setup();
    // Five wrong passwords every 15 minutes used to keep the account locked for as long as
    // the attacker kept going.
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 5; i++) {
        clock += 1000;
        await attempt(ATTACKER_IP, `guess-${round}-${i}`);
      }
      clock += 1000;
      expect(`round ${round}: ${await attempt(OWNER_IP, RIGHT)}`).toBe(`round ${round}: ok`);
      clock += 15 * MIN - 6000;
    }
  });

  it('a correct password from an address that has not failed works while the account is hammered from elsewhere', async () => {
    await setup();
    for (let i = 0; i < 40; i++) {
      clock += 200;
      await attempt(ATTACKER_IP, `guess-${i}`);
    }
    expect(await attempt(ATTACKER_IP, RIGHT)).toMatch(/^throttled/);
    expect(await attempt(OWNER_IP, RIGHT)).toBe('ok');
  });

  it('makes the failing address wait after five failures, twice as long after each further one, up to 15 minutes', async () => {
    await setup();
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) seen.push(await attempt(ATTACKER_IP, `guess-${i}`));
    expect(seen).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const refused = await signInWithPassword(at(ATTACKER_IP), { email: 'ana@example.test', password: RIGHT });
      if (refused.ok || refused.reason !== 'throttled') throw new Error(`expected a refusal, got ${outcome(refused)}`);
      waits.push(refused.retryAfterS);
      clock += refused.retryAfterS * 1000 - 1000;
      // one second early: still waiting, and the right password is not even looked at
      expect(await attempt(ATTACKER_IP, RIGHT)).toBe('throttled 1');
      clock += 1000;
      expect(await attempt(ATTACKER_IP, `late-guess-${i}`)).toBe('invalid');
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900]);
  });

  it('a success ends the wait of that address, and quiet time forgets failures', async () => {
    await setup();
    for (let i = 0; i < 5; i++) await attempt(OWNER_IP, `typo-${i}`);
    expect(await attempt(OWNER_IP, RIGHT)).toBe('throttled 30');
    clock += 30_000;
    expect(await attempt(OWNER_IP, RIGHT)).toBe('ok');
    // counting starts again: four typos and the fifth try is still checked
    for (let i = 0; i < 4; i++) expect(await attempt(OWNER_IP, `typo-${i}`)).toBe('invalid');
    expect(await attempt(OWNER_IP, RIGHT)).toBe('ok');
    // four failures, then an hour without any: all four are forgotten (one per 15 minutes)
    for (let i = 0; i < 4; i++) await attempt(OWNER_IP, `typo-${i}`);
    clock += 60 * MIN;
    for (let i = 0; i < 4; i++) expect(await attempt(OWNER_IP, `typo-again-${i}`)).toBe('invalid');
    expect(await attempt(OWNER_IP, RIGHT)).toBe('ok');
  });

  it('checks exactly five passwords when 20 wrong ones for one account arrive at once', async () => {
    await setup();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(ATTACKER_IP, `burst-${i}`)));
    expect(results.filter((r) => r === 'invalid')).toHaveLength(5);
    expect(results.filter((r) => r === 'throttled 30')).toHaveLength(15);
    expect(await h.db.select().from(signInAttempts)).toHaveLength(5);
    const audited = await h.db.select({ action: auditLog.action }).from(auditLog).where(like(auditLog.action, 'auth.%'));
    expect(audited.map((a) => a.action).sort()).toEqual([...Array(4).fill('auth.sign_in_failed'), 'auth.sign_in_backoff'].sort());
  });

  it('holds back one address spraying many accounts, while other addresses still sign in', async () => {
    await setup();
    for (let i = 0; i < 30; i++) {
      clock += 100;
      expect(await attempt(ATTACKER_IP, 'Winter2026!', `victim${i}@example.test`)).toBe('invalid');
    }
    expect(await attempt(ATTACKER_IP, RIGHT)).toBe('throttled 30');
    expect(await attempt(OWNER_IP, RIGHT)).toBe('ok');
  });
});
