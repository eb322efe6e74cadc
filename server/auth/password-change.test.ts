import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { auditLog, users } from '@/db/schema';
import { createCaller, appRouter } from '@/server/routers';
import { requireSessionPermission } from '@/server/http/session-actor';
import { ctxFor, describeEachEngine, type Harness } from '@/server/testing/db';
import type { TrpcContext } from '@/server/trpc';
import { bootstrapAdmin } from '@/server/users/bootstrap';
import { initialPasswordPath, tidyInitialPassword, writeInitialPassword } from '@/server/users/initial-password-file';
import { loadActor } from './actor';
import { verifyPassword } from './password';
import { mustChangePassword, PASSWORD_CHANGE_REQUIRED } from './password-change';
import { startSession } from './sessions';

type Procedure = { _def: { type: string; meta?: { duringPasswordChange?: boolean } } };
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures;
/** What the change-password page calls; everything else waits for the new password. */
const DURING_CHANGE = ['session.changePassword', 'session.me', 'session.signOutEverywhere'];

function call(ctx: TrpcContext, p: string, input: unknown): Promise<unknown> {
  let fn: unknown = createCaller(ctx);
  for (const part of p.split('.')) fn = (fn as Record<string, unknown>)[part];
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string } | 'OK'> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return e instanceof TRPCError ? { code: e.code, message: e.message } : { code: 'THROWN', message: (e as Error).message };
  }
}

/** The first admin as a generated-password start makes it, signed in (a session record and the actor it loads). */
async function signedInFirstAdmin(h: Harness) {
  const boot = await bootstrapAdmin(ctxFor(h.db, null), {});
  const [u] = await h.db.select().from(users).where(eq(users.email, boot!.email));
  const deps = { db: h.db, now: () => new Date() };
  const sessionId = await startSession(deps, { userId: u.id, provider: 'credentials', maxAgeS: 3600, userAgent: null, ip: null });
  const ref = { userId: u.id, sessionId, signedInAtMs: Date.now() };
  const a = await loadActor(deps, ref);
  return { boot: boot!, user: u, ref, actor: a!, trpc: { ...ctxFor(h.db, a), sameOrigin: true, sessionId } satisfies TrpcContext };
}

describeEachEngine('a generated first-admin password', (h) => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'meshward-first-admin-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is flagged for a change at first sign-in, and the creation is audited with the flag', async () => {
    const { user, actor } = await signedInFirstAdmin(h);
    expect(user.mustChangePassword).toBe(true);
    expect(mustChangePassword(actor)).toBe(true);
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.create'));
    expect(entry.after).toMatchObject({ bootstrap: true, mustChangePassword: true });
  });

  it('is not flagged when the operator supplied it (MESHWARD_ADMIN_PASSWORD)', async () => {
    await bootstrapAdmin(ctxFor(h.db, null), { email: 'ops@example.test', password: 'configured-pass-1' });
    const [u] = await h.db.select().from(users);
    expect(u.mustChangePassword).toBe(false);
    const sessionId = await startSession({ db: h.db, now: () => new Date() }, { userId: u.id, provider: 'credentials', maxAgeS: 3600, userAgent: null, ip: null });
    const a = await loadActor({ db: h.db, now: () => new Date() }, { userId: u.id, sessionId, signedInAtMs: Date.now() });
    expect(mustChangePassword(a)).toBe(false);
    expect(await refusal(call({ ...ctxFor(h.db, a), sameOrigin: true }, 'users.list', undefined))).toBe('OK');
  });

  it('makes every procedure but the change-password page\'s refuse with FORBIDDEN and a message saying what to do', async () => {
    const { trpc } = await signedInFirstAdmin(h);
    const allowed = Object.entries(procedures).filter(([, p]) => p._def.meta?.duringPasswordChange).map(([k]) => k).sort();
    expect(allowed).toEqual([...DURING_CHANGE].sort());
    for (const p of Object.keys(procedures).filter((k) => !DURING_CHANGE.includes(k))) {
      // the guard answers before the input is read: no valid input is needed to see the refusal
      expect(await refusal(call(trpc, p, undefined)), p).toEqual({ code: 'FORBIDDEN', message: PASSWORD_CHANGE_REQUIRED });
    }
    expect(await call(trpc, 'session.me', undefined)).toMatchObject({ email: 'admin@meshward.local', role: 'admin' });
  });

  it('makes the download routes refuse with 403 too', async () => {
    const { ref } = await signedInFirstAdmin(h);
    const gate = await requireSessionPermission(new Request('http://localhost/api/search/export'), { db: h.db, session: async () => ref }, 'read');
    expect(gate.ok).toBe(false);
    if (gate.ok) return;
    expect(gate.response.status).toBe(403);
    expect(await gate.response.json()).toEqual({ error: PASSWORD_CHANGE_REQUIRED });
  });

  it('is cleared by changing it, audited with before and after, and its file is deleted', async () => {
    const { boot, user, trpc } = await signedInFirstAdmin(h);
    const file = initialPasswordPath(dir)!;
    await writeInitialPassword(file, boot.email, boot.generatedPassword!, 'http://localhost:3000');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toContain(`password: ${boot.generatedPassword}`);

    // the same password again is no change
    expect(await refusal(call({ ...trpc, initialPasswordFile: file }, 'session.changePassword', { current: boot.generatedPassword, next: boot.generatedPassword })))
      .toMatchObject({ code: 'BAD_REQUEST' });
    expect(await refusal(call({ ...trpc, initialPasswordFile: file }, 'session.changePassword', { current: 'not-the-password-1', next: 'my-own-passphrase-1' })))
      .toMatchObject({ code: 'BAD_REQUEST', message: 'The current password is not correct' });
    expect(await stat(file).then(() => true, () => false)).toBe(true);

    await call({ ...trpc, initialPasswordFile: file }, 'session.changePassword', { current: boot.generatedPassword, next: 'my-own-passphrase-1' });
    const [after] = await h.db.select().from(users).where(eq(users.id, user.id));
    expect(after.mustChangePassword).toBe(false);
    expect(await verifyPassword(after.passwordHash!, 'my-own-passphrase-1')).toBe(true);
    expect(await stat(file).then(() => true, () => false)).toBe(false);
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'user.change_password'));
    expect(entry).toMatchObject({ actorId: user.id, targetId: user.id, before: { mustChangePassword: true }, after: { mustChangePassword: false } });

    // the change ended this session; the next one may use the console
    const sessionId = await startSession({ db: h.db, now: () => new Date() }, { userId: user.id, provider: 'credentials', maxAgeS: 3600, userAgent: null, ip: null });
    const fresh = await loadActor({ db: h.db, now: () => new Date() }, { userId: user.id, sessionId, signedInAtMs: Date.now() + 1 });
    expect(mustChangePassword(fresh)).toBe(false);
    expect(await refusal(call({ ...ctxFor(h.db, fresh), sameOrigin: true }, 'users.list', undefined))).toBe('OK');
  });

  it('leaves its file at start while the change is pending, and deletes it at start once changed', async () => {
    const { boot, user } = await signedInFirstAdmin(h);
    const file = initialPasswordPath(dir)!;
    await writeInitialPassword(file, boot.email, boot.generatedPassword!, 'http://localhost:3000');
    expect(await tidyInitialPassword(h.db, file)).toBe(false);
    expect(await stat(file).then(() => true, () => false)).toBe(true);
    // changed on another replica: this one finds the file at its next start
    await h.db.update(users).set({ mustChangePassword: false }).where(eq(users.id, user.id));
    expect(await tidyInitialPassword(h.db, file)).toBe(true);
    expect(await stat(file).then(() => true, () => false)).toBe(false);
    expect(await tidyInitialPassword(h.db, file)).toBe(false);
  });

  it('keeps nothing on disk for an in-memory database', async () => {
    expect(initialPasswordPath('memory://')).toBeNull();
    expect(initialPasswordPath(dir)).toBe(path.join(dir, 'initial-admin-password'));
    expect(await tidyInitialPassword(h.db, null)).toBe(false);
  });
});
