import { count, desc, eq } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { auditLog, endpoints } from '@/db/schema';
import { detections, detectionTriage } from '@/db/schema/detections';
import { verifyAuditChain } from '@/server/audit/verify';
import { templateKey } from '@/server/discovery/template';
import { approveRevision, editDraft, generateDraft, publishRevision } from '@/server/policy/lifecycle';
import { evaluatePolicy } from '@/server/policy/evaluate';
import { currentPublished, findRevision, openRevision } from '@/server/policy/revisions';
import { actor, ctxFor, describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import { seedDetection } from '@/server/testing/detections';
import { denyActor } from './mitigate';
import { falsePositiveInput } from './schemas';
import { markFalsePositive } from './triage';

const S = 'shop/login';
const analyst = (h: Harness) => ctxFor(h.db, actor('analyst'));
const adminA = (h: Harness) => ctxFor(h.db, { id: 'usr_a', email: 'alice@example.test', role: 'admin' });
const adminB = (h: Harness) => ctxFor(h.db, { id: 'usr_b', email: 'bob@example.test', role: 'admin' });
const days = (n: number) => new Date(Date.now() + n * 86_400_000);

async function publishedPolicy(h: Harness) {
  await h.db.insert(endpoints).values({ id: 'ep_login', service: S, method: 'POST', template: '/login', templateKey: templateKey('/login'), state: 'approved', callers: { external: 10 } });
  const d = await generateDraft(analyst(h), { service: S, reason: 'whitelist' });
  await approveRevision(adminB(h), { id: d.id, sha256: d.sha256, reason: 'ok' });
  return publishRevision(adminB(h), { id: d.id, reason: 'go' });
}

describeEachEngine('deny this actor', (h) => {
  beforeEach(() => seedAccounts(h.db, adminA(h).actor!, adminB(h).actor!, actor('analyst')));
  const audits = async () => Number((await h.db.select({ n: count() }).from(auditLog))[0].n);

  it('adds an expiring deny entry to a new draft copied from the published policy, in one audited step; a second admin approves and publishes it and the policy then refuses the actor', async () => {
    const published = await publishedPolicy(h);
    const { id } = await seedDetection(h.db, { service: S, actors: [{ type: 'ip', id: '203.0.113.7' }, { type: 'ip', id: '203.0.113.8' }] });
    const before = await audits();
    const r = await denyActor(adminA(h), { id, actor: { type: 'ip', id: '203.0.113.7' }, expiresAt: days(7), reason: 'credential stuffing from this address' });
    expect(await audits()).toBe(before + 1);
    expect(r).toMatchObject({ created: true, policy: { service: S, revision: 2, state: 'draft' } });
    const draft = await findRevision(h.db, r.policy.id);
    // only the deny entry differs from what the fleet runs
    expect(draft.document.allow).toEqual(published.document.allow);
    expect(draft.document.deny).toEqual([{ kind: 'ip', value: '203.0.113.7', reason: 'credential stuffing from this address', expiresAt: expect.any(String) }]);
    expect(draft.editors).toEqual(['alice@example.test']);
    const [entry] = await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ action: 'detection.mitigate', targetType: 'policy', targetId: r.policy.id, actorEmail: 'alice@example.test', before: null, after: { detection: id, copiedFrom: 1, deny: { kind: 'ip', value: '203.0.113.7' } } });
    const [d] = await h.db.select().from(detections).where(eq(detections.id, id));
    expect(d).toMatchObject({ state: 'acknowledged', mitigation: { service: S, policyId: r.policy.id, revision: 2, kind: 'ip', value: '203.0.113.7', by: 'alice@example.test' } });
    const [line] = await h.db.select().from(detectionTriage).where(eq(detectionTriage.detectionId, id));
    expect(line.detail).toMatch(/needs another admin's approval/);

    // nothing reaches the fleet until a second person approves and publishes
    expect((await currentPublished(h.db, S))!.revision).toBe(1);
    await expect(approveRevision(adminA(h), { id: r.policy.id, sha256: r.policy.sha256, reason: 'mine' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await approveRevision(adminB(h), { id: r.policy.id, sha256: r.policy.sha256, reason: 'checked' });
    const live = await publishRevision(adminB(h), { id: r.policy.id, reason: 'enforce' });
    expect(evaluatePolicy(live.document, { caller: 'external', method: 'POST', path: '/login', clientIp: '203.0.113.7' }).decision).toBe('deny');
    expect(evaluatePolicy(live.document, { caller: 'external', method: 'POST', path: '/login', clientIp: '203.0.113.8' }).decision).toBe('allow');
    expect(evaluatePolicy(live.document, { caller: 'external', method: 'POST', path: '/login', clientIp: '203.0.113.7' }, days(8)).decision).toBe('allow');
    expect(await verifyAuditChain({ db: h.db })).toMatchObject({ ok: true });
  });

  it('adds to the open draft when there is one (its author may propose too, and the editor list grows), and turns an address group into a block', async () => {
    await publishedPolicy(h);
    const open = await generateDraft(analyst(h), { service: S, reason: 'next revision' });
    const { id } = await seedDetection(h.db, { service: S, kind: 'credential_stuffing', actors: [{ type: 'ip_group', id: '198.51.100.0/24' }, { type: 'token', id: 'tok_stolen' }] });
    const r1 = await denyActor(analyst(h), { id, actor: { type: 'ip_group', id: '198.51.100.0/24' }, expiresAt: days(1), reason: 'botnet block' });
    expect(r1).toMatchObject({ created: false, policy: { id: open.id, revision: 2 } });
    const r2 = await denyActor(adminA(h), { id, actor: { type: 'token', id: 'tok_stolen' }, expiresAt: days(2), reason: 'replayed token' });
    const draft = await findRevision(h.db, r2.policy.id);
    expect(draft.document.deny.map((x) => `${x.kind} ${x.value}`)).toEqual(['ip 198.51.100.0/24', 'token tok_stolen']);
    expect(draft.editors).toEqual(['analyst@example.test', 'alice@example.test']);
    expect(draft.sha256).not.toBe(open.sha256);
    // an entry that is there already for at least as long is refused; a longer one replaces it
    await expect(denyActor(adminA(h), { id, actor: { type: 'token', id: 'tok_stolen' }, expiresAt: days(1), reason: 'again' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('denied already') });
    await denyActor(adminA(h), { id, actor: { type: 'token', id: 'tok_stolen' }, expiresAt: days(30), reason: 'longer' });
    expect((await findRevision(h.db, r2.policy.id)).document.deny.filter((x) => x.kind === 'token')).toHaveLength(1);
  });

  it('refuses what it cannot do, writing nothing: no policy yet, an approved revision waiting, a calling service, an actor not in the detection, a false positive, a bad expiry', async () => {
    const noPolicy = await seedDetection(h.db, { service: 'shop/new', actors: [{ type: 'ip', id: '203.0.113.7' }] });
    const before = await audits();
    await expect(denyActor(adminA(h), { id: noPolicy.id, actor: { type: 'ip', id: '203.0.113.7' }, expiresAt: days(1), reason: 'x-x' }))
      .rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('has no policy yet') });
    expect(await openRevision(h.db, 'shop/new')).toBeNull();

    await publishedPolicy(h);
    const { id } = await seedDetection(h.db, { service: S, actors: [{ type: 'ip', id: '203.0.113.7' }, { type: 'service', id: 'shop/web' }] });
    const deny = (over: Partial<Parameters<typeof denyActor>[1]>) => denyActor(adminA(h), { id, actor: { type: 'ip', id: '203.0.113.7' }, expiresAt: days(1), reason: 'x-x', ...over });
    await expect(deny({ actor: { type: 'service', id: 'shop/web' } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('whitelist') });
    await expect(deny({ actor: { type: 'ip', id: '192.0.2.1' } })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('not one of') });
    await expect(deny({ expiresAt: days(-1) })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(deny({ expiresAt: days(91) })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('90 days') });
    const waiting = await generateDraft(analyst(h), { service: S, reason: 'r2' });
    await editDraft(analyst(h), { id: waiting.id, addAllow: [], removeAllow: [], addDeny: [{ kind: 'user', value: 'mallory', reason: 'x-x', expiresAt: null }], removeDeny: [], reason: 'x-x' });
    await approveRevision(adminB(h), { id: waiting.id, sha256: (await findRevision(h.db, waiting.id)).sha256, reason: 'ok' });
    await expect(deny({})).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('approved and waiting') });
    expect(await audits()).toBe(before + 6 /* the policy steps above: generate, approve, publish, generate, edit, approve */);

    const other = await seedDetection(h.db, { service: S, kind: 'scraping' });
    await markFalsePositive(analyst(h), falsePositiveInput.parse({ id: other.id, scope: 'detection', reason: 'benign' }));
    await expect(denyActor(adminA(h), { id: other.id, actor: other.detection.actors[0], expiresAt: days(1), reason: 'x-x' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('false positive') });
  });
});
