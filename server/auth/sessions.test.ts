import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, sessions, users } from '@/db/schema';
import { ctxFor, describeEachEngine, seedPasswordAccount } from '@/server/testing/db';
import { setUserDisabled } from '@/server/users/manage';
import { loadActor, type SessionRef } from './actor';
import { endAllSessions, endSession, listOwnSessions, pruneSessions, startSession } from './sessions';

const HOUR = 3600;

describeEachEngine('server-side sessions', (h) => {
  let clock = Date.UTC(2026, 10, 23, 12, 0, 0);
  const deps = () => ({ db: h.db, now: () => new Date(clock) });
  const person = async (email = 'ana@example.test') => {
    clock = Date.UTC(2026, 10, 23, 12, 0, 0);
    return seedPasswordAccount(h.db, { email, role: 'analyst', password: 'a-long-password-1' });
  };
  /** A browser signing in: what its cookie will name. */
  const signIn = async (userId: string, ua = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0'): Promise<SessionRef> => ({
    userId, signedInAtMs: clock, sessionId: await startSession(deps(), { userId, provider: 'credentials', maxAgeS: 8 * HOUR, userAgent: ua, ip: '198.51.100.7' }),
  });

  it('a session opens the console until it is signed out; a copy of its cookie is refused after that', async () => {
    const ana = await person();
    const cookie = await signIn(ana.id);
    expect(await loadActor(deps(), cookie)).toEqual(ana);
    const captured = { ...cookie };
    expect(await endSession({ ...ctxFor(h.db, null), now: () => new Date(clock) }, cookie.sessionId)).toBe(true);
    expect(await loadActor(deps(), captured)).toBeNull();
    // signing out again is a no-op, audited once, as the session's owner
    expect(await endSession(ctxFor(h.db, null), cookie.sessionId)).toBe(false);
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_out'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorEmail: 'ana@example.test', targetId: ana.id });
  });

  it('"sign out everywhere" ends every session of the account, and no one else\'s', async () => {
    const ana = await person();
    const bob = await person('bob@example.test');
    const laptop = await signIn(ana.id);
    const phone = await signIn(ana.id, 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1');
    const bobs = await signIn(bob.id);
    const r = await endAllSessions({ ...ctxFor(h.db, ana), now: () => new Date(clock) });
    expect(r).toEqual({ ended: 2 });
    expect(await loadActor(deps(), laptop)).toBeNull();
    expect(await loadActor(deps(), phone)).toBeNull();
    expect(await loadActor(deps(), bobs)).toEqual(bob);
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_out_everywhere'));
    expect(entry).toMatchObject({ actorEmail: 'ana@example.test', targetId: ana.id, after: { sessionsEnded: 2 } });
    // a sign-in afterwards is a new session and works
    expect(await loadActor(deps(), await signIn(ana.id))).toEqual(ana);
  });

  it('refuses a session past its expiry, of another user, unknown, or of a disabled account', async () => {
    const ana = await person();
    const bob = await person('bob@example.test');
    const cookie = await signIn(ana.id);
    expect(await loadActor(deps(), { ...cookie, userId: bob.id })).toBeNull();
    expect(await loadActor(deps(), { ...cookie, sessionId: 'ses_made_up' })).toBeNull();
    clock += 8 * HOUR * 1000 - 1;
    expect(await loadActor(deps(), cookie)).toEqual(ana);
    clock += 1;
    expect(await loadActor(deps(), cookie)).toBeNull();
    const fresh = await signIn(ana.id);
    await setUserDisabled(ctxFor(h.db, { id: 'usr_admin', email: 'admin@example.test', role: 'admin' }), { userId: ana.id, disabled: true, reason: 'left' });
    expect(await loadActor(deps(), fresh)).toBeNull();
  });

  it('ends sessions that began before the last password change', async () => {
    const ana = await person();
    const cookie = await signIn(ana.id);
    await h.db.update(users).set({ sessionsValidAfter: new Date(clock + 1) }).where(eq(users.id, ana.id));
    expect(await loadActor(deps(), cookie)).toBeNull();
  });

  it('notes when a session was last used, at most once a minute', async () => {
    const ana = await person();
    const cookie = await signIn(ana.id);
    const seen = async () => (await h.db.select().from(sessions).where(eq(sessions.id, cookie.sessionId)))[0].lastSeenAt.getTime();
    const start = clock;
    clock += 30_000;
    await loadActor(deps(), cookie);
    expect(await seen()).toBe(start);
    clock += 30_000;
    await loadActor(deps(), cookie);
    expect(await seen()).toBe(clock);
  });

  it('lists the live sessions of the acting person only, marking the current one', async () => {
    const ana = await person();
    const bob = await person('bob@example.test');
    const first = await signIn(ana.id);
    clock += 1000;
    const second = await signIn(ana.id);
    await signIn(bob.id);
    clock += 1000;
    const ended = await signIn(ana.id);
    await endSession(ctxFor(h.db, null), ended.sessionId);
    const list = await listOwnSessions({ ...ctxFor(h.db, ana), now: () => new Date(clock), sessionId: first.sessionId });
    expect(list.map((s) => [s.createdAt.getTime(), s.current])).toEqual([[second.signedInAtMs, false], [first.signedInAtMs, true]]);
    expect(list[0]).toMatchObject({ provider: 'credentials', ip: '198.51.100.7', userAgent: expect.stringContaining('Chrome') });
  });

  it('prunes session records that expired before the retention cutoff', async () => {
    const ana = await person();
    const cookie = await signIn(ana.id);
    await pruneSessions(h.db, new Date(clock + 8 * HOUR * 1000));
    expect(await h.db.select().from(sessions)).toHaveLength(1);
    await pruneSessions(h.db, new Date(clock + 8 * HOUR * 1000 + 1));
    expect(await h.db.select().from(sessions)).toHaveLength(0);
    expect(await loadActor(deps(), cookie)).toBeNull();
  });
});
