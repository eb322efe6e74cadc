import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import type { Ctx } from '@/server/context';
import { ctxFor, describeEachEngine, seedPasswordAccount } from '@/server/testing/db';
import { signInWithPassword } from './sign-in';
import { listSignInLocks, unlockAccount } from './unlock';

const RIGHT = 'admin-password-123';

describeEachEngine('unlocking an account', (h) => {
  const clock = Date.UTC(2026, 10, 23, 12, 0, 0);
  const at = (ip: string): Ctx => ({ ...ctxFor(h.db, null), now: () => new Date(clock), sourceIp: ip });
  const setup = async () => {
    const admin = await seedPasswordAccount(h.db, { email: 'ops@example.test', role: 'admin', password: 'ops-password-123' });
    const locked = await seedPasswordAccount(h.db, { email: 'lee@example.test', role: 'admin', password: RIGHT });
    return { admin: { ...ctxFor(h.db, { id: admin.id, email: admin.email, role: 'admin' }), now: () => new Date(clock) }, locked };
  };
  const hammer = async (ip: string, n: number) => {
    for (let i = 0; i < n; i++) await signInWithPassword(at(ip), { email: 'lee@example.test', password: `guess-${i}` });
  };

  it('lists the failures held against each account by address, and not those of emails that match no account', async () => {
    const { admin, locked } = await setup();
    await hammer('203.0.113.5', 7);
    await hammer('203.0.113.6', 2);
    await signInWithPassword(at('203.0.113.5'), { email: 'nobody@example.test', password: 'x' });
    const locks = await listSignInLocks(admin);
    expect(locks).toHaveLength(1);
    expect(locks[0]).toMatchObject({ userId: locked.id, email: 'lee@example.test', blockedUntil: new Date(clock + 30_000) });
    expect(locks[0].addresses.map((a) => [a.ip, a.failures, a.refused, a.blockedUntil?.getTime() ?? null]).sort()).toEqual([
      ['203.0.113.5', 5, 2, clock + 30_000],
      ['203.0.113.6', 2, 0, null],
    ]);
  });

  it('lets the owner in at once from the waiting address, audited with the reason in the same step', async () => {
    const { admin, locked } = await setup();
    await hammer('203.0.113.5', 6);
    expect(await signInWithPassword(at('203.0.113.5'), { email: 'lee@example.test', password: RIGHT })).toMatchObject({ reason: 'throttled' });

    const r = await unlockAccount(admin, { userId: locked.id, reason: 'Lee called the help desk' });
    expect(r).toEqual({ userId: locked.id, email: 'lee@example.test', clearedAddresses: 1 });
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.unlock'));
    expect(entry).toMatchObject({
      actorEmail: 'ops@example.test', targetId: locked.id, reason: 'Lee called the help desk',
      before: { addresses: [{ ip: '203.0.113.5', failures: 5 }] }, after: { addresses: [] },
    });
    expect(await listSignInLocks(admin)).toEqual([]);
    expect(await signInWithPassword(at('203.0.113.5'), { email: 'lee@example.test', password: RIGHT })).toMatchObject({ ok: true });
  });

  it('refuses an unknown account and writes nothing', async () => {
    const { admin } = await setup();
    await expect(unlockAccount(admin, { userId: 'usr_missing', reason: 'typo' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.unlock'))).toEqual([]);
  });
});
