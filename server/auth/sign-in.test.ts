import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, signInAttempts, users } from '@/db/schema';
import type { Ctx } from '@/server/context';
import { ctxFor, describeEachEngine } from '@/server/testing/db';
import { setUserDisabled } from '@/server/users/manage';
import { hashPassword, verifyPassword } from './password';
import { signInWithPassword } from './sign-in';
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_IP, THROTTLE_WINDOW_MS } from './throttle';

it('hashes with argon2id and verifies only the right password', async () => {
  const h = await hashPassword('a long passphrase');
  expect(h).toMatch(/^\$argon2id\$/);
  expect(await verifyPassword(h, 'a long passphrase')).toBe(true);
  expect(await verifyPassword(h, 'a long passphrasE')).toBe(false);
  expect(await verifyPassword('not a hash', 'x')).toBe(false);
});

describeEachEngine('password sign-in', (h) => {
  let clock = Date.UTC(2026, 10, 23, 12, 0, 0);
  const at = (ip = '198.51.100.7'): Ctx => ({ ...ctxFor(h.db, null), now: () => new Date(clock), sourceIp: ip });
  const setup = async (email = 'ana@example.test', password = 'correct horse battery') => {
    clock = Date.UTC(2026, 10, 23, 12, 0, 0);
    const [u] = await h.db.insert(users).values({ id: `usr_${email}`, email, name: 'Ana', role: 'analyst', passwordHash: await hashPassword(password) }).returning();
    return u;
  };

  it('signs in with the right password (email case-insensitive) and records it', async () => {
    const u = await setup();
    const r = await signInWithPassword(at(), { email: '  Ana@Example.TEST ', password: 'correct horse battery' });
    expect(r).toEqual({ ok: true, actor: { id: u.id, email: 'ana@example.test', role: 'analyst' } });
    const [row] = await h.db.select().from(users).where(eq(users.id, u.id));
    expect(row.lastSignInAt?.getTime()).toBe(clock);
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_in'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorEmail: 'ana@example.test', sourceIp: '198.51.100.7' });
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
    expect(await signInWithPassword(at(), { email: 'ana@example.test', password: 'correct horse battery' })).toEqual({ ok: false, reason: 'disabled' });
    expect(await signInWithPassword(at(), { email: 'ana@example.test', password: 'nope' })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('locks an account after repeated failures, even for the right password, until the window passes', async () => {
    await setup();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
      clock += 1000;
      expect((await signInWithPassword(at(`203.0.113.${i}`), { email: 'ana@example.test', password: `guess-${i}` })).ok).toBe(false);
    }
    clock += 1000;
    const locked = await signInWithPassword(at('203.0.113.99'), { email: 'ana@example.test', password: 'correct horse battery' });
    expect(locked).toMatchObject({ ok: false, reason: 'throttled' });
    expect((locked as { retryAfterS: number }).retryAfterS).toBeGreaterThan(800);
    expect(await h.db.select().from(auditLog).where(eq(auditLog.action, 'auth.account_locked'))).toHaveLength(1);
    const throttled = await h.db.select().from(signInAttempts).where(eq(signInAttempts.reason, 'throttled'));
    expect(throttled).toHaveLength(1);
    clock += THROTTLE_WINDOW_MS;
    expect((await signInWithPassword(at(), { email: 'ana@example.test', password: 'correct horse battery' })).ok).toBe(true);
  });

  it('restarts the account count after a successful sign-in', async () => {
    await setup();
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT - 1; i++) {
      clock += 1000;
      await signInWithPassword(at(), { email: 'ana@example.test', password: 'nope' });
    }
    clock += 1000;
    expect((await signInWithPassword(at(), { email: 'ana@example.test', password: 'correct horse battery' })).ok).toBe(true);
    clock += 1000;
    await signInWithPassword(at(), { email: 'ana@example.test', password: 'nope' });
    clock += 1000;
    expect((await signInWithPassword(at(), { email: 'ana@example.test', password: 'correct horse battery' })).ok).toBe(true);
  });

  it('throttles one address spraying many accounts, while other addresses still sign in', async () => {
    await setup();
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      clock += 100;
      await signInWithPassword(at('192.0.2.66'), { email: `victim${i}@example.test`, password: 'Winter2026!' });
    }
    clock += 100;
    expect(await signInWithPassword(at('192.0.2.66'), { email: 'ana@example.test', password: 'correct horse battery' })).toMatchObject({ ok: false, reason: 'throttled' });
    expect((await signInWithPassword(at('192.0.2.67'), { email: 'ana@example.test', password: 'correct horse battery' })).ok).toBe(true);
  });
});
