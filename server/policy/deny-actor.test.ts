import { TRPCError } from '@trpc/server';
import { count, desc } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { auditLog, endpoints } from '@/db/schema';
import { createCaller } from '@/server/routers';
import { verifyAuditChain } from '@/server/audit/verify';
import { templateKey } from '@/server/discovery/template';
import { actor, ctxFor, describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import type { TrpcContext } from '@/server/trpc';
import { proposeDeny } from './deny-actor';
import { evaluatePolicy } from './evaluate';
import { approveRevision, editDraft, generateDraft, publishRevision } from './lifecycle';
import { currentPublished, findRevision, openRevision } from './revisions';
import { denyActorInput, type DenyActorInput } from './schemas';

const S = 'shop/login';
const HOSTILE_TOKEN = '<script>alert("t")</script>';
const analyst = (h: Harness) => ctxFor(h.db, actor('analyst'));
const adminA = (h: Harness) => ctxFor(h.db, { id: 'usr_a', email: 'alice@example.test', role: 'admin' });
const adminB = (h: Harness) => ctxFor(h.db, { id: 'usr_b', email: 'bob@example.test', role: 'admin' });
const days = (n: number) => new Date(Date.now() + n * 86_400_000);
const input = (over: Partial<DenyActorInput> = {}): DenyActorInput => ({
  service: S, actor: { kind: 'token', value: 'tok_stolen' }, reason: 'replayed from a botnet', expiresAt: days(1), ...over,
});

async function publishedPolicy(h: Harness) {
  await h.db.insert(endpoints).values({ id: 'ep_login', service: S, method: 'POST', template: '/login', templateKey: templateKey('/login'), state: 'approved', callers: { external: 10 } });
  const d = await generateDraft(analyst(h), { service: S, reason: 'whitelist' });
  await approveRevision(adminB(h), { id: d.id, sha256: d.sha256, reason: 'ok' });
  return publishRevision(adminB(h), { id: d.id, reason: 'go' });
}

describeEachEngine('deny this actor from the traffic views', (h) => {
  beforeEach(() => seedAccounts(h.db, adminA(h).actor!, adminB(h).actor!, actor('analyst')));
  const audits = async () => Number((await h.db.select({ n: count() }).from(auditLog))[0].n);

  it('puts an expiring entry into a new draft copied from the published policy, audited in the same step; only someone else approves it', async () => {
    const published = await publishedPolicy(h);
    const before = await audits();
    const r = await proposeDeny(adminA(h), input({ actor: { kind: 'token', value: HOSTILE_TOKEN } }));
    expect(await audits()).toBe(before + 1);
    expect(r).toMatchObject({ created: true, policy: { service: S, revision: 2, state: 'draft' } });
    const draft = await findRevision(h.db, r.policy.id);
    expect(draft.document.allow).toEqual(published.document.allow);
    // the value as telemetry named it, verbatim
    expect(draft.document.deny).toEqual([{ kind: 'token', value: HOSTILE_TOKEN, reason: 'replayed from a botnet', expiresAt: expect.any(String) }]);
    expect(draft.editors).toEqual(['alice@example.test']);
    const [entry] = await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({
      action: 'policy.deny', targetType: 'policy', targetId: r.policy.id, actorEmail: 'alice@example.test', reason: 'replayed from a botnet',
      before: null, after: { revision: 2, state: 'draft', copiedFrom: 1, deny: { kind: 'token', value: HOSTILE_TOKEN } },
    });

    // nothing is enforced until a second person approves and publishes
    expect((await currentPublished(h.db, S))!.revision).toBe(1);
    await expect(approveRevision(adminA(h), { id: r.policy.id, sha256: r.policy.sha256, reason: 'mine' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await approveRevision(adminB(h), { id: r.policy.id, sha256: r.policy.sha256, reason: 'checked' });
    const live = await publishRevision(adminB(h), { id: r.policy.id, reason: 'enforce' });
    expect(evaluatePolicy(live.document, { caller: 'external', method: 'POST', path: '/login', tokenId: HOSTILE_TOKEN }).decision).toBe('deny');
    expect(evaluatePolicy(live.document, { caller: 'external', method: 'POST', path: '/login', tokenId: 'tok_other' }).decision).toBe('allow');
    expect(evaluatePolicy(live.document, { caller: 'external', method: 'POST', path: '/login', tokenId: HOSTILE_TOKEN }, days(2)).decision).toBe('allow');
    expect(await verifyAuditChain({ db: h.db })).toMatchObject({ ok: true });
  });

  it('adds to the open draft (addresses and users too), growing its editors; a longer expiry replaces a shorter one, a shorter one is refused', async () => {
    await publishedPolicy(h);
    const open = await generateDraft(analyst(h), { service: S, reason: 'next revision' });
    const r1 = await proposeDeny(adminA(h), input({ actor: { kind: 'ip', value: '2001:db8::1' } }));
    expect(r1).toMatchObject({ created: false, policy: { id: open.id, revision: 2 } });
    await proposeDeny(analyst(h), input({ actor: { kind: 'user', value: 'mallory' } }));
    const draft = await findRevision(h.db, open.id);
    expect(draft.document.deny.map((x) => `${x.kind} ${x.value}`)).toEqual(['ip 2001:db8::1', 'user mallory']);
    expect(draft.editors).toEqual(['analyst@example.test', 'alice@example.test']);
    const [entry] = await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(entry).toMatchObject({ action: 'policy.deny', before: { revision: 2, deny: 1 }, after: { deny: { kind: 'user', value: 'mallory' }, copiedFrom: null } });

    await expect(proposeDeny(analyst(h), input({ actor: { kind: 'user', value: 'mallory' }, expiresAt: days(0.5) })))
      .rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('denied already') });
    await proposeDeny(analyst(h), input({ actor: { kind: 'user', value: 'mallory' }, expiresAt: days(30), reason: 'longer' }));
    const after = (await findRevision(h.db, open.id)).document.deny.filter((x) => x.kind === 'user');
    expect(after).toEqual([expect.objectContaining({ value: 'mallory', reason: 'longer' })]);
  });

  it('requires a reason and an expiry, and refuses a bad actor, a bad service, an expiry out of bounds, no policy or an approved revision waiting, writing nothing', async () => {
    // the schema: reason and expiry required, actor kind one of three, service in the identity grammar
    expect(denyActorInput.safeParse({ ...input(), reason: '' }).success).toBe(false);
    expect(denyActorInput.safeParse({ ...input(), reason: '  x ' }).success).toBe(false);
    const { expiresAt: _, ...noExpiry } = input();
    expect(denyActorInput.safeParse(noExpiry).success).toBe(false);
    expect(denyActorInput.safeParse({ ...input(), expiresAt: 'soon' }).success).toBe(false);
    expect(denyActorInput.safeParse({ ...input(), actor: { kind: 'service', value: 'shop/web' } }).success).toBe(false);
    expect(denyActorInput.safeParse({ ...input(), service: 'Shop/Login; rm -rf' }).success).toBe(false);
    expect(denyActorInput.parse({ ...input(), expiresAt: days(1).toISOString() }).expiresAt).toBeInstanceOf(Date);

    const noPolicy = await audits();
    await expect(proposeDeny(analyst(h), input())).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('has no policy yet') });
    expect(await openRevision(h.db, S)).toBeNull();
    expect(await audits()).toBe(noPolicy);

    await publishedPolicy(h);
    const before = await audits();
    const refused = async (over: Partial<DenyActorInput>, text: string) =>
      expect(proposeDeny(analyst(h), input(over))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(text) });
    await refused({ actor: { kind: 'ip', value: 'not-an-address' } }, 'IP address or CIDR');
    await refused({ actor: { kind: 'ip', value: 'fe80::1%eth0' } }, 'IP address or CIDR');
    await refused({ actor: { kind: 'token', value: 'tok\nX-Injected: 1' } }, 'control characters');
    await refused({ actor: { kind: 'token', value: 'x'.repeat(300) } }, 'cannot go into a policy');
    await refused({ actor: { kind: 'token', value: ' tok_padded' } }, 'spaces');
    await refused({ expiresAt: days(-1) }, 'in the future');
    await refused({ expiresAt: days(91) }, '90 days');
    await refused({ expiresAt: new Date(Number.NaN) }, 'expires');
    await expect(proposeDeny(ctxFor(h.db, null), input())).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await openRevision(h.db, S)).toBeNull();
    expect(await audits()).toBe(before);

    const waiting = await generateDraft(analyst(h), { service: S, reason: 'r2' });
    await editDraft(analyst(h), { id: waiting.id, addAllow: [], removeAllow: [], addDeny: [{ kind: 'user', value: 'eve', reason: 'x-x', expiresAt: null }], removeDeny: [], reason: 'x-x' });
    await approveRevision(adminB(h), { id: waiting.id, sha256: (await findRevision(h.db, waiting.id)).sha256, reason: 'ok' });
    await expect(proposeDeny(analyst(h), input())).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('approved and waiting') });
  });

  it('is an analyst\'s procedure: a viewer is refused, and the input is validated with a message', async () => {
    await publishedPolicy(h);
    const as = (role: 'viewer' | 'analyst') => createCaller({ ...ctxFor(h.db, actor(role)), sameOrigin: true } satisfies TrpcContext);
    await expect(as('viewer').policies.denyActor(input())).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const e: unknown = await as('analyst').policies.denyActor({ ...input(), reason: '' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TRPCError);
    expect((e as TRPCError).code).toBe('BAD_REQUEST');
    const r = await as('analyst').policies.denyActor(input({ actor: { kind: 'ip', value: '203.0.113.7' } }));
    expect(r).toMatchObject({ created: true, policy: { service: S, revision: 2, state: 'draft' }, entry: { kind: 'ip', value: '203.0.113.7' } });
  });
});
