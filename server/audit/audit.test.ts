import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog } from '@/db/schema';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { appendAudit, audited } from './append';
import { canonicalJson, keyedEntryHash } from './hash';
import { installedAuditKeyring } from './keyring';
import { listAudit } from './list';
import { verifyAuditChain } from './verify';

it('canonical JSON does not depend on key order', () => {
  expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }));
  expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
});

describeEachEngine('audit chain', (h) => {
  const admin = actor('admin');
  const append = (n: number) =>
    h.db.transaction(async (tx) => {
      for (let i = 0; i < n; i++) {
        await appendAudit(tx as never, ctxFor(h.db, admin), { action: 'test.thing', targetType: 'thing', targetId: `t${i}`, before: { n: i, when: new Date(0) }, after: { n: i + 1, nested: { b: 2, a: 1 } }, reason: 'because' });
      }
    });

  it('links entries in order and verifies an untouched chain', async () => {
    await append(5);
    const rows = await h.db.select().from(auditLog).orderBy(auditLog.id);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    expect(rows[0]).toMatchObject({ actorEmail: 'admin@example.test', actorRole: 'admin', sourceIp: '192.0.2.10', requestId: 'req-test', reason: 'because' });
    expect(await verifyAuditChain({ db: h.db })).toEqual({ ok: true, checked: 5, lastId: 5, lastHash: rows[4].hash });
  });

  it('refuses UPDATE and DELETE through the trigger', async () => {
    await append(1);
    await expect(h.db.execute(sql`update audit_log set reason = 'x'`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
    await expect(h.db.execute(sql`delete from audit_log`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/append-only/) } });
  });

  it('reports the first altered entry when a row is tampered with', async () => {
    await append(6);
    await h.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await h.db.execute(sql`update audit_log set after = '{"n": 999}'::jsonb where id = 4`);
    await h.db.execute(sql`update audit_log set reason = 'rewritten' where id = 5`);
    await h.db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    expect(await verifyAuditChain({ db: h.db })).toEqual({ ok: false, checked: 3, brokenAt: 4, problem: 'entry 4 was altered after it was written' });
  });

  it('reports a removed entry', async () => {
    await append(4);
    await h.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await h.db.execute(sql`delete from audit_log where id = 2`);
    await h.db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    const r = await verifyAuditChain({ db: h.db });
    expect(r).toMatchObject({ ok: false, brokenAt: 2, checked: 1 });
  });

  it('reports an entry re-MACed with the key to hide an edit (the next link no longer matches)', async () => {
    await append(3);
    const [row] = await h.db.select().from(auditLog).where(sql`id = 2`);
    const forged = keyedEntryHash(installedAuditKeyring().current.key, { ...row, keyId: row.keyId!, reason: 'forged' });
    await h.db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await h.db.execute(sql`update audit_log set reason = 'forged', hash = ${forged} where id = 2`);
    await h.db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    expect(await verifyAuditChain({ db: h.db })).toMatchObject({ ok: false, brokenAt: 3, problem: 'entry 3 does not link to entry 2' });
  });

  it('keeps the chain linear under concurrent writers', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) =>
      audited(ctxFor(h.db, admin), async (_tx, audit) => audit({ action: 'test.concurrent', targetType: 'thing', targetId: String(i) }))));
    expect(await verifyAuditChain({ db: h.db })).toMatchObject({ ok: true, checked: 8, lastId: 8 });
  });

  it('writes nothing when the change fails (same transaction)', async () => {
    await expect(audited(ctxFor(h.db, admin), async (_tx, audit) => {
      audit({ action: 'x', targetType: 'y' });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await h.db.select().from(auditLog)).toHaveLength(0);
  });

  it('writes exactly one entry per change: a second one is refused with the change, none for a no-op', async () => {
    await expect(audited(ctxFor(h.db, admin), async (_tx, audit) => {
      audit({ action: 'test.first', targetType: 'thing' });
      audit({ action: 'test.second', targetType: 'thing' });
    })).rejects.toThrow(/one change, one audit entry/);
    await audited(ctxFor(h.db, admin), async () => 'nothing changed');
    expect(await h.db.select().from(auditLog)).toHaveLength(0);
    // whoever holds a set-password link acts as the account it is for
    await audited(ctxFor(h.db, admin), async (_tx, audit) => audit({ action: 'test.as', targetType: 'thing' }, { id: 'usr_x', email: 'x@example.test', role: 'viewer' }));
    expect(await h.db.select({ email: auditLog.actorEmail, role: auditLog.actorRole }).from(auditLog)).toEqual([{ email: 'x@example.test', role: 'viewer' }]);
  });

  it('lists newest first with filters and pagination, and audits the read itself', async () => {
    await append(7);
    const ctx = ctxFor(h.db, admin);
    const first = await listAudit(ctx, { limit: 3 });
    expect(first.items.map((e) => e.id)).toEqual([7, 6, 5]);
    expect(first.nextCursor).toBe(5);
    const second = await listAudit(ctx, { limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((e) => e.id)).toEqual([4, 3, 2]);
    const reads = await listAudit(ctx, { action: 'audit.read' });
    expect(reads.items.map((e) => e.action)).toEqual(['audit.read', 'audit.read']);
    expect(reads.items[1].after).toEqual({ filters: {}, page: null });
    expect((await listAudit(ctx, { action: 'test.', targetType: 'other' })).items).toHaveLength(0);
    expect((await listAudit(ctx, { actor: 'ADMIN@' })).items.length).toBeGreaterThan(0);
    expect((await listAudit(ctx, { action: '%' })).items).toHaveLength(0);
    expect((await verifyAuditChain({ db: h.db })).ok).toBe(true);
  });
});
