import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, passwordLinks, users } from '@/db/schema';
import type { Role } from '@/lib/enums';
import { actorOfNewSession } from '@/server/testing/sessions';
import { verifyPassword } from '@/server/auth/password';
import { ctxFor, describeEachEngine, seedAccounts } from '@/server/testing/db';
import { bootstrapAdmin } from './bootstrap';
import { tokenSha256, usePasswordLink } from './links';
import { changeOwnPassword, createUser, listUsers, resetUserPassword, setUserDisabled, setUserRole } from './manage';
import { createUserInput } from './schemas';

describeEachEngine('user management', (h) => {
  const root = { id: 'usr_root', email: 'root@example.test', role: 'admin' as const };
  const adminCtx = async () => {
    await seedAccounts(h.db, root);
    return ctxFor(h.db, root);
  };
  const created = async (ctx: ReturnType<typeof ctxFor>, email: string, role: Role = 'viewer') => {
    const r = await createUser(ctx, { email, name: '', role });
    if (r.kind !== 'created') throw new Error('expected an account');
    return r;
  };

  it('creates an account with no password and a one-time link, stored only as a hash', async () => {
    const ctx = await adminCtx();
    const r = await createUser(ctx, createUserInput.parse({ email: ' Bob@Example.test ', role: 'viewer' }));
    if (r.kind !== 'created') throw new Error('expected an account');
    expect(r.user).toMatchObject({ email: 'bob@example.test', role: 'viewer', disabledAt: null });
    expect(r.link.path).toBe(`/set-password#token=${r.link.token}`);
    expect(r.link.token).toMatch(/^mwl_[\w-]{43}$/);
    const [row] = await h.db.select().from(users).where(eq(users.id, r.user.id));
    expect(row.passwordHash).toBeNull();
    const links = await h.db.select().from(passwordLinks);
    expect(links).toEqual([expect.objectContaining({ userId: r.user.id, tokenSha256: tokenSha256(r.link.token), issuedBy: 'usr_root', issuedFromIp: '192.0.2.10' })]);
    const all = JSON.stringify({ links, audit: await h.db.select().from(auditLog) });
    expect(all).not.toContain(r.link.token);
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.create'));
    expect(entry).toMatchObject({ actorEmail: 'root@example.test', targetId: r.user.id, sourceIp: '192.0.2.10', after: { email: 'bob@example.test', role: 'viewer', linkId: links[0].id } });
    expect((await listUsers(ctx)).map((u) => u.email)).toEqual(['bob@example.test', 'root@example.test']);
    expect(Object.keys((await listUsers(ctx))[0])).not.toContain('passwordHash');
  });

  it('takes no password from the admin, refuses a duplicate email and unknown roles', async () => {
    const ctx = await adminCtx();
    expect(createUserInput.safeParse({ email: 'x@example.test', role: 'viewer', password: 'admin-chosen-password-1' }).success).toBe(false);
    await expect(createUser(ctx, createUserInput.parse({ email: 'root@example.test', role: 'viewer' }))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(createUserInput.safeParse({ email: 'x@example.test', role: 'superuser' }).success).toBe(false);
    // …and so does the database (users_role_check, drizzle/0015_auditor_role.sql)
    await expect(h.db.insert(users).values({ id: 'usr_super', email: 'super@example.test', role: 'superuser' as never })).rejects.toThrow();
    await h.db.insert(users).values({ id: 'usr_aud', email: 'aud@example.test', role: 'auditor' });
  });

  it('changes a role with before/after and reason in the audit log', async () => {
    const ctx = await adminCtx();
    const { user } = await created(ctx, 'c@example.test');
    const after = await setUserRole(ctx, { userId: user.id, role: 'analyst', reason: 'joined the SOC' });
    expect(after).toMatchObject({ user: { role: 'analyst' }, grant: null });
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.set_role'));
    expect(entry).toMatchObject({ before: { role: 'viewer' }, after: { role: 'analyst' }, reason: 'joined the SOC', targetId: user.id });
  });

  it('makes auditors directly, even once two admins exist: the second admin\'s approval is for admins only', async () => {
    const ctx = await adminCtx();
    await created(ctx, 'second-admin@example.test', 'admin');
    const made = await created(ctx, 'auditor@example.test', 'auditor');
    expect(made.user).toMatchObject({ email: 'auditor@example.test', role: 'auditor' });
    const { user } = await created(ctx, 'analyst@example.test', 'analyst');
    expect(await setUserRole(ctx, { userId: user.id, role: 'auditor', reason: 'moves to internal audit' })).toMatchObject({ user: { role: 'auditor' }, grant: null });
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.set_role'));
    expect(entry).toMatchObject({ before: { role: 'analyst' }, after: { role: 'auditor' }, reason: 'moves to internal audit', targetId: user.id });
    // promoting an auditor to admin is a request, as for anyone else
    expect((await setUserRole(ctx, { userId: made.user.id, role: 'admin', reason: 'needs more' })).grant).toMatchObject({ state: 'pending' });
  });

  it('never leaves the console without an enabled admin', async () => {
    const ctx = await adminCtx();
    await expect(setUserRole(ctx, { userId: root.id, role: 'viewer', reason: 'oops' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(setUserDisabled(ctx, { userId: root.id, disabled: true, reason: 'oops' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const { user: other } = await created(ctx, 'second@example.test', 'admin');
    await setUserDisabled(ctx, { userId: other.id, disabled: true, reason: 'away' });
    await expect(setUserRole(ctx, { userId: root.id, role: 'viewer', reason: 'oops' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await setUserDisabled(ctx, { userId: other.id, disabled: false, reason: 'back' });
    expect((await setUserRole(ctx, { userId: root.id, role: 'analyst', reason: 'handing over' })).user.role).toBe('analyst');
  });

  it('disables and enables an account, audited, and refuses unknown ids; disabling ends open links', async () => {
    const ctx = await adminCtx();
    const { user, link } = await created(ctx, 'd@example.test');
    expect((await setUserDisabled(ctx, { userId: user.id, disabled: true, reason: 'left' })).disabledAt).toBeInstanceOf(Date);
    expect((await setUserDisabled(ctx, { userId: user.id, disabled: false, reason: 'back' })).disabledAt).toBeNull();
    await expect(usePasswordLink(ctxFor(h.db, null), { token: link.token, password: 'owner-password-1' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const actions = (await h.db.select().from(auditLog).orderBy(auditLog.id)).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['user.disable', 'user.enable']);
    await expect(setUserDisabled(ctx, { userId: 'usr_nope', disabled: true, reason: 'x y z' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('resets a password: the old one and its sessions end at once, the owner sets a new one through a link', async () => {
    const ctx = await adminCtx();
    const { user, link } = await created(ctx, 'e@example.test');
    await usePasswordLink(ctxFor(h.db, null), { token: link.token, password: 'first-password-1' });
    const before = Date.now() - 1000;
    // using the link ended earlier sessions: pretend this one began after that
    await h.db.update(users).set({ sessionsValidAfter: new Date(before - 1000) }).where(eq(users.id, user.id));
    expect(await actorOfNewSession(h.db, user.id, before)).toMatchObject({ id: user.id });
    const r = await resetUserPassword(ctx, { userId: user.id, reason: 'forgot it' });
    // sessions from before the reset are over
    expect(await actorOfNewSession(h.db, user.id, before)).toBeNull();
    const [row] = await h.db.select().from(users).where(eq(users.id, user.id));
    expect(row.passwordHash).toBeNull();
    expect(JSON.stringify(await h.db.select().from(auditLog))).not.toContain(r.link.token);
    await usePasswordLink(ctxFor(h.db, null), { token: r.link.token, password: 'second-password-2' });
    const self = ctxFor(h.db, { id: user.id, email: user.email, role: 'viewer' });
    await expect(changeOwnPassword(self, { current: 'wrong', next: 'third-password-3' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await changeOwnPassword(self, { current: 'second-password-2', next: 'third-password-3' });
    const [after] = await h.db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(after.passwordHash!, 'third-password-3')).toBe(true);
    // the owner changing it keeps the provenance: whoever used the link may be the one changing it
    expect(after.credentialIssuedBy).toBe('usr_root');
  });

  it('bootstraps the first admin once: configured, or with a generated password', async () => {
    const sys = ctxFor(h.db, null);
    const first = await bootstrapAdmin(sys, {});
    expect(first).toMatchObject({ email: 'admin@meshward.local' });
    expect(first!.generatedPassword).toMatch(/^[\w-]{20}$/);
    expect(await bootstrapAdmin(sys, { email: 'x@example.test', password: 'configured-pass-1' })).toBeNull();
    expect(await h.db.select().from(users)).toHaveLength(1);
  });

  it('bootstraps from configuration without printing anything; the operator is the credential owner', async () => {
    const r = await bootstrapAdmin(ctxFor(h.db, null), { email: 'Ops@Example.test', password: 'configured-pass-1' });
    expect(r).toEqual({ email: 'ops@example.test', generatedPassword: null });
    const [u] = await h.db.select().from(users);
    expect(u).toMatchObject({ role: 'admin', credentialIssuedBy: null });
    expect(await verifyPassword(u.passwordHash!, 'configured-pass-1')).toBe(true);
    expect((await h.db.select().from(auditLog)).map((e) => e.action)).toEqual(['user.create']);
  });
});
