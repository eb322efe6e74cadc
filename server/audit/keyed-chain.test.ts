import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rows as rawRows } from '@/db/client';
import { auditLog } from '@/db/schema';
import { TEST_AUDIT_KEY, actor, ctxFor, describeEachEngine, type Harness } from '@/server/testing/db';
import { appendAudit } from './append';
import { CheckpointPublisher, formatCheckpoint, parseCheckpoint, takeCheckpoint } from './checkpoint';
import { GENESIS_HASH, legacyEntryHash } from './hash';
import { auditHealth } from './health';
import { auditKeyring, installAuditKeyring, installedAuditKeyring } from './keyring';
import { sealLegacyChain } from './seal';
import { verifyAuditChain } from './verify';

const admin = actor('admin');

/** What someone who owns the table can do: anything, with the append-only trigger lifted. */
async function asTableOwner(h: Harness, change: () => Promise<unknown>) {
  await h.db.execute(sql`alter table audit_log disable trigger user`);
  try {
    await change();
  } finally {
    await h.db.execute(sql`alter table audit_log enable trigger user`);
  }
}

const append = (h: Harness, n: number, tag = 't') =>
  h.db.transaction(async (tx) => {
    for (let i = 0; i < n; i++) await appendAudit(tx as never, ctxFor(h.db, admin), { action: 'test.thing', targetType: 'thing', targetId: `${tag}${i}`, after: { n: i } });
  });

const all = (h: Harness) => h.db.select().from(auditLog).orderBy(auditLog.id);

/** Rewrites entries `fromId`…`toId` as the pre-key code hashed them (plain SHA-256, no key id), re-linking the chain. */
async function rewriteWithoutKey(h: Harness, fromId: number, edit: (row: typeof auditLog.$inferSelect) => Partial<typeof auditLog.$inferSelect>, toId = Infinity) {
  const chain = await all(h);
  let prev = fromId > 1 ? chain[fromId - 2].hash : GENESIS_HASH;
  await asTableOwner(h, async () => {
    for (const row of chain.slice(fromId - 1, Number.isFinite(toId) ? toId : undefined)) {
      const changed = { ...row, ...edit(row), prevHash: prev, keyId: null };
      const hash = legacyEntryHash(changed);
      await h.db.execute(sql`update audit_log set reason = ${changed.reason}, prev_hash = ${prev}, hash = ${hash}, key_id = null where id = ${row.id}`);
      prev = hash;
    }
  });
}

const testKeyring = () => installAuditKeyring(auditKeyring(TEST_AUDIT_KEY));
beforeEach(testKeyring);
afterEach(testKeyring);

it('reads a checkpoint as printed, and explains a malformed one', () => {
  const hash = 'a'.repeat(64);
  expect(parseCheckpoint(` 12:${hash}\n`)).toEqual({ id: 12, hash });
  expect(formatCheckpoint({ id: 12, hash })).toBe(`12:${hash}`);
  expect(() => parseCheckpoint('12')).toThrow(/<entry id>:<64 hex digit hash>/);
  expect(() => parseCheckpoint(`x:${hash}`)).toThrow(/checkpoint/);
});

describeEachEngine('keyed audit chain', (h) => {
  it('an owner of the table who rewrites entries and recomputes every later hash without the key is caught', async () => {
    await append(h, 5);
    await rewriteWithoutKey(h, 3, () => ({ reason: 'nothing happened here' }));
    expect(await verifyAuditChain({ db: h.db })).toMatchObject({ ok: false, brokenAt: 3, problem: 'entry 3 carries no audit key but follows keyed entries: it was not written by Meshward' });
  });

  it('a whole chain replaced by unkeyed entries is not called intact', async () => {
    await append(h, 3);
    await rewriteWithoutKey(h, 1, () => ({ reason: 'rewritten' }));
    const r = await verifyAuditChain({ db: h.db });
    expect(r).toMatchObject({ ok: false, brokenAt: 3 });
    expect(r.ok || r.problem).toMatch(/no entry carries the audit key/);
  });

  it('keeping the key id but hashing without the key breaks the MAC of that entry', async () => {
    await append(h, 3);
    const [row] = await h.db.select().from(auditLog).where(sql`id = 2`);
    const plain = legacyEntryHash({ ...row, reason: 'forged' });
    await asTableOwner(h, () => h.db.execute(sql`update audit_log set reason = 'forged', hash = ${plain} where id = 2`));
    expect(await verifyAuditChain({ db: h.db })).toMatchObject({ ok: false, brokenAt: 2, problem: 'entry 2 was altered after it was written' });
  });

  it('deleting the newest entries leaves a valid chain, which a checkpoint taken before shows to be cut short', async () => {
    await append(h, 5);
    const cp = await takeCheckpoint(h.db, new Date());
    expect(cp).toMatchObject({ id: 5, count: 5 });
    await asTableOwner(h, () => h.db.execute(sql`delete from audit_log where id > 3`));
    // without a checkpoint nothing can tell: this is why checkpoints are published
    expect((await verifyAuditChain({ db: h.db })).ok).toBe(true);
    expect(await verifyAuditChain({ db: h.db }, { checkpoints: [cp] })).toMatchObject({
      ok: false, brokenAt: 4, problem: 'the chain ends at entry 3, but a checkpoint was taken at entry 5: the newest entries were removed',
    });
    // …and entries written since under the same ids do not reach it either
    await append(h, 3, 'later');
    expect(await verifyAuditChain({ db: h.db }, { checkpoints: [cp] })).toMatchObject({ ok: false, brokenAt: 5, problem: 'entry 5 differs from the checkpoint taken of it: the chain was rewritten' });
    const older = { id: 2, hash: (await all(h))[1].hash };
    expect(await verifyAuditChain({ db: h.db }, { checkpoints: [older] })).toMatchObject({ ok: true, checked: 6 });
  });

  it('the published checkpoints raise the alarm when the chain no longer reaches the previous one, also on /api/health?audit', async () => {
    const publisher = new CheckpointPublisher(h.db);
    expect(await publisher.publish()).toMatchObject({ id: 0, count: 0, hash: GENESIS_HASH });
    await append(h, 4);
    const second = await publisher.publish();
    expect(second).toMatchObject({ id: 4, count: 4 });
    expect(second.problem).toBeUndefined();
    const healthy = await (await auditHealth(publisher)).json();
    expect(healthy).toEqual({ ok: true, audit: second });
    await asTableOwner(h, () => h.db.execute(sql`delete from audit_log where id = 4`));
    const third = await publisher.publish();
    expect(third).toMatchObject({ id: 3, count: 3 });
    expect(third.problem).toMatch(`no longer reaches checkpoint 4:${second.hash}`);
    expect(await (await auditHealth(publisher)).json()).toMatchObject({ ok: false, audit: { id: 3, problem: expect.stringContaining('removed or rewritten') } });
    await append(h, 1);
    expect((await publisher.publish()).problem).toBeUndefined();
  });

  it('entries written before the chain was keyed still verify once sealed; editing one of them breaks the seal', async () => {
    // what the earlier version wrote: plain SHA-256, no key id
    let prev = GENESIS_HASH;
    for (let id = 1; id <= 3; id++) {
      const e = { id, ts: new Date(Date.UTC(2025, 0, id)), actorId: 'usr_admin', actorEmail: 'admin@example.test', actorRole: 'admin', action: 'old.thing', targetType: 'thing', targetId: `o${id}`, before: null, after: { id }, reason: 'before the key', sourceIp: null, requestId: 'old', prevHash: prev, keyId: null };
      const hash = legacyEntryHash(e);
      await h.db.insert(auditLog).values({ ...e, hash });
      prev = hash;
    }
    expect((await verifyAuditChain({ db: h.db })).ok).toBe(false);
    const ctx = ctxFor(h.db, null);
    const [a, b] = await Promise.all([sealLegacyChain(ctx), sealLegacyChain(ctx)]);
    expect([a, b].filter(Boolean)).toEqual([{ legacyEntries: 3 }]);
    expect(await sealLegacyChain(ctx)).toBeNull();
    await append(h, 2);
    const chain = await all(h);
    expect(chain.map((r) => [r.action, r.keyId === null])).toEqual([
      ['old.thing', true], ['old.thing', true], ['old.thing', true], ['audit.chain_keyed', false], ['test.thing', false], ['test.thing', false],
    ]);
    expect(chain[3].after).toEqual({ key_id: installedAuditKeyring().current.id, legacy_entries: 3 });
    expect(await verifyAuditChain({ db: h.db })).toMatchObject({ ok: true, checked: 6 });
    // a legacy entry rewritten, its legacy successors re-hashed: the keyed seal no longer links
    await rewriteWithoutKey(h, 2, (r) => (r.id === 2 ? { reason: 'edited' } : {}), 3);
    expect(await verifyAuditChain({ db: h.db })).toMatchObject({ ok: false, brokenAt: 4, problem: 'entry 4 does not link to entry 3' });
  });

  it('after a key rotation new entries use the new key; old ones verify while the old key is kept', async () => {
    const oldKey = Buffer.alloc(32, 1);
    const newKey = Buffer.alloc(32, 2);
    installAuditKeyring(auditKeyring(oldKey));
    await append(h, 2, 'old');
    installAuditKeyring(auditKeyring(newKey, [oldKey]));
    await append(h, 2, 'new');
    const ids = (await all(h)).map((r) => r.keyId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).toBe(ids[3]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[2]).toBe(installedAuditKeyring().current.id);
    expect(await verifyAuditChain({ db: h.db })).toMatchObject({ ok: true, checked: 4 });
    installAuditKeyring(auditKeyring(newKey));
    expect(await verifyAuditChain({ db: h.db })).toMatchObject({ ok: false, brokenAt: 1, problem: expect.stringContaining('MESHWARD_AUDIT_KEY_PREVIOUS') });
  });

  it('the key is nowhere in the database', async () => {
    await append(h, 2);
    const hex = TEST_AUDIT_KEY.toString('hex');
    const b64 = TEST_AUDIT_KEY.toString('base64');
    const dump = await rawRows<{ t: string }>(h.db, sql`select (select coalesce(json_agg(a), '[]') from audit_log a)::text || (select coalesce(json_agg(s), '[]') from settings s)::text as t`);
    expect(dump[0].t).not.toContain(hex);
    expect(dump[0].t).not.toContain(b64);
  });
});
