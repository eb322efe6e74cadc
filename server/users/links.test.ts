import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, users } from '@/db/schema';
import { actorOfNewSession } from '@/server/testing/sessions';
import { signInWithPassword } from '@/server/auth/sign-in';
import { ctxFor, describeEachEngine, seedAccounts } from '@/server/testing/db';
import { inspectPasswordLink, LINK_LIFETIME_MS, linkUrl, usePasswordLink } from './links';
import { createUser, resetUserPassword } from './manage';

describeEachEngine('set-password links', (h) => {
  const root = { id: 'usr_root', email: 'root@example.test', role: 'admin' as const };
  const newAccount = async (email = 'ana@example.test') => {
    await seedAccounts(h.db, root);
    const r = await createUser(ctxFor(h.db, root, { sourceIp: '198.51.100.1' }), { email, name: 'Ana', role: 'analyst' });
    if (r.kind !== 'created') throw new Error('expected an account');
    return r;
  };
  const holder = (ip = '203.0.113.9', now = () => new Date()) => ctxFor(h.db, null, { sourceIp: ip, now });

  it('lets the holder set the password once; it signs in, the link is spent, provenance and addresses are recorded', async () => {
    const { user, link } = await newAccount();
    expect(await inspectPasswordLink(holder(), link.token)).toMatchObject({ ok: true, email: 'ana@example.test' });
    // no password yet: nobody can sign in with anything
    expect(await signInWithPassword(holder(), { email: 'ana@example.test', password: 'whatever-password' })).toMatchObject({ ok: false });
    expect(await usePasswordLink(holder(), { token: link.token, password: 'ana-own-password-1' })).toEqual({ email: 'ana@example.test' });
    expect(await signInWithPassword(holder(), { email: 'ana@example.test', password: 'ana-own-password-1' })).toMatchObject({ ok: true });
    const [row] = await h.db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ credentialIssuedBy: 'usr_root' });
    expect(row.credentialSetAt).toBeInstanceOf(Date);

    await expect(usePasswordLink(holder(), { token: link.token, password: 'someone-else-pass-2' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('used already') });
    expect(await inspectPasswordLink(holder(), link.token)).toMatchObject({ ok: false, error: expect.stringContaining('used already') });
    const [use] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.set_password'));
    expect(use).toMatchObject({ actorId: user.id, targetId: user.id, sourceIp: '203.0.113.9', after: { issuedBy: 'root@example.test', issuedFromIp: '198.51.100.1', usedFromIp: '203.0.113.9' } });
    const [issue] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.create'));
    expect(issue).toMatchObject({ sourceIp: '198.51.100.1' });
  });

  it('ends every session of the account when used', async () => {
    const { user, link } = await newAccount();
    const earlier = Date.now() - 60_000;
    expect(await actorOfNewSession(h.db, user.id, earlier)).toMatchObject({ id: user.id });
    await usePasswordLink(holder(), { token: link.token, password: 'ana-own-password-1' });
    expect(await actorOfNewSession(h.db, user.id, earlier)).toBeNull();
  });

  it('refuses an expired link, a superseded one and a made-up one, with a message saying which', async () => {
    const { user, link } = await newAccount();
    const later = () => new Date(Date.now() + LINK_LIFETIME_MS + 1000);
    await expect(usePasswordLink(holder('203.0.113.9', later), { token: link.token, password: 'ana-own-password-1' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('expired') });
    const again = await resetUserPassword(ctxFor(h.db, root), { userId: user.id, reason: 'new link' });
    await expect(usePasswordLink(holder(), { token: link.token, password: 'ana-own-password-1' })).rejects.toMatchObject({ message: expect.stringContaining('replaced by a newer one') });
    await expect(usePasswordLink(holder(), { token: 'mwl_made-up', password: 'ana-own-password-1' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('not valid') });
    await expect(usePasswordLink(holder(), { token: 'not even a token', password: 'ana-own-password-1' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await usePasswordLink(holder(), { token: again.link.token, password: 'ana-own-password-1' });
    // nothing but the two successful issues and the one use was recorded
    expect((await h.db.select().from(auditLog).orderBy(auditLog.id)).map((e) => e.action)).toEqual(['user.create', 'user.reset_password', 'user.set_password']);
  });

  it('builds the whole link from the public URL, token in the fragment', () => {
    expect(linkUrl('https://soc.example.com', 'mwl_abc')).toBe('https://soc.example.com/set-password#token=mwl_abc');
  });
});
