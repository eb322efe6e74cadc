import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, users } from '@/db/schema';
import { actorOfNewSession } from '@/server/testing/sessions';
import { verifyPassword } from '@/server/auth/password';
import { ctxFor, describeEachEngine } from '@/server/testing/db';
import { bootstrapAdmin } from './bootstrap';
import { changeOwnPassword, createUser, listUsers, resetUserPassword, setUserDisabled, setUserRole } from './manage';
import { createUserInput } from './schemas';

describeEachEngine('user management', (h) => {
  const adminCtx = async () => {
    const { user } = await createUser(ctxFor(h.db, null), { email: 'root@example.test', name: 'Root', role: 'admin', password: 'root-password-1' });
    return ctxFor(h.db, { id: user.id, email: user.email, role: 'admin' });
  };

  it('creates an account with a generated password shown once and stored only as a hash', async () => {
    const ctx = await adminCtx();
    const r = await createUser(ctx, createUserInput.parse({ email: ' Bob@Example.test ', role: 'viewer' }));
    expect(r.user).toMatchObject({ email: 'bob@example.test', role: 'viewer', disabledAt: null });
    expect(r.generatedPassword).toMatch(/^[\w-]{20}$/);
    const [row] = await h.db.select().from(users).where(eq(users.id, r.user.id));
    expect(row.passwordHash).not.toContain(r.generatedPassword!);
    expect(await verifyPassword(row.passwordHash!, r.generatedPassword!)).toBe(true);
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.create')).orderBy(auditLog.id).offset(1);
    expect(entry).toMatchObject({ actorEmail: 'root@example.test', targetId: r.user.id, after: { email: 'bob@example.test', name: '', role: 'viewer' } });
    expect(JSON.stringify(entry)).not.toContain(r.generatedPassword!);
    expect((await listUsers(ctx)).map((u) => u.email)).toEqual(['bob@example.test', 'root@example.test']);
    expect(Object.keys((await listUsers(ctx))[0])).not.toContain('passwordHash');
  });

  it('refuses a duplicate email and weak passwords', async () => {
    const ctx = await adminCtx();
    await expect(createUser(ctx, createUserInput.parse({ email: 'root@example.test', role: 'viewer' }))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(createUserInput.safeParse({ email: 'x@example.test', role: 'viewer', password: 'short' }).success).toBe(false);
    expect(createUserInput.safeParse({ email: 'x@example.test', role: 'superuser' }).success).toBe(false);
  });

  it('changes a role with before/after and reason in the audit log', async () => {
    const ctx = await adminCtx();
    const { user } = await createUser(ctx, { email: 'c@example.test', name: '', role: 'viewer' });
    const after = await setUserRole(ctx, { userId: user.id, role: 'analyst', reason: 'joined the SOC' });
    expect(after.role).toBe('analyst');
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.set_role'));
    expect(entry).toMatchObject({ before: { role: 'viewer' }, after: { role: 'analyst' }, reason: 'joined the SOC', targetId: user.id });
  });

  it('never leaves the console without an enabled admin', async () => {
    const ctx = await adminCtx();
    await expect(setUserRole(ctx, { userId: ctx.actor!.id, role: 'viewer', reason: 'oops' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(setUserDisabled(ctx, { userId: ctx.actor!.id, disabled: true, reason: 'oops' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const { user: other } = await createUser(ctx, { email: 'second@example.test', name: '', role: 'admin' });
    await setUserDisabled(ctx, { userId: other.id, disabled: true, reason: 'away' });
    await expect(setUserRole(ctx, { userId: ctx.actor!.id, role: 'viewer', reason: 'oops' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await setUserDisabled(ctx, { userId: other.id, disabled: false, reason: 'back' });
    expect((await setUserRole(ctx, { userId: ctx.actor!.id, role: 'analyst', reason: 'handing over' })).role).toBe('analyst');
  });

  it('disables and enables an account, audited, and refuses unknown ids', async () => {
    const ctx = await adminCtx();
    const { user } = await createUser(ctx, { email: 'd@example.test', name: '', role: 'viewer' });
    expect((await setUserDisabled(ctx, { userId: user.id, disabled: true, reason: 'left' })).disabledAt).toBeInstanceOf(Date);
    expect((await setUserDisabled(ctx, { userId: user.id, disabled: false, reason: 'back' })).disabledAt).toBeNull();
    const actions = (await h.db.select().from(auditLog).orderBy(auditLog.id)).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(['user.disable', 'user.enable']);
    await expect(setUserDisabled(ctx, { userId: 'usr_nope', disabled: true, reason: 'x y z' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('resets a password (old one stops working) and lets people change their own', async () => {
    const ctx = await adminCtx();
    const { user } = await createUser(ctx, { email: 'e@example.test', name: '', role: 'viewer', password: 'first-password-1' });
    const before = Date.now() - 1000;
    expect(await actorOfNewSession(h.db, user.id, before)).toMatchObject({ id: user.id });
    const r = await resetUserPassword(ctx, { userId: user.id, reason: 'forgot it' });
    // sessions from before the reset are over; a sign-in after it works
    expect(await actorOfNewSession(h.db, user.id, before)).toBeNull();
    expect(await actorOfNewSession(h.db, user.id, Date.now() + 1)).toMatchObject({ id: user.id });
    const [row] = await h.db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(row.passwordHash!, 'first-password-1')).toBe(false);
    expect(await verifyPassword(row.passwordHash!, r.generatedPassword)).toBe(true);
    const self = ctxFor(h.db, { id: user.id, email: user.email, role: 'viewer' });
    await expect(changeOwnPassword(self, { current: 'wrong', next: 'second-password-2' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await changeOwnPassword(self, { current: r.generatedPassword, next: 'second-password-2' });
    const [after] = await h.db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(after.passwordHash!, 'second-password-2')).toBe(true);
  });

  it('bootstraps the first admin once: configured, or with a generated password', async () => {
    const sys = ctxFor(h.db, null);
    const first = await bootstrapAdmin(sys, {});
    expect(first).toMatchObject({ email: 'admin@meshward.local' });
    expect(first!.generatedPassword).toMatch(/^[\w-]{20}$/);
    expect(await bootstrapAdmin(sys, { email: 'x@example.test', password: 'configured-pass-1' })).toBeNull();
    expect(await h.db.select().from(users)).toHaveLength(1);
  });

  it('bootstraps from configuration without printing anything', async () => {
    const r = await bootstrapAdmin(ctxFor(h.db, null), { email: 'Ops@Example.test', password: 'configured-pass-1' });
    expect(r).toEqual({ email: 'ops@example.test', generatedPassword: null });
    const [u] = await h.db.select().from(users);
    expect(u.role).toBe('admin');
    expect(await verifyPassword(u.passwordHash!, 'configured-pass-1')).toBe(true);
  });
});
