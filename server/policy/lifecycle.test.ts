import { eq } from 'drizzle-orm';
import { beforeEach, expect, it } from 'vitest';
import { auditLog, endpoints } from '@/db/schema';
import { verifyAuditChain } from '@/server/audit/verify';
import { templateKey } from '@/server/discovery/template';
import { actor, ctxFor, describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import { approveRevision, discardRevision, editDraft, generateDraft, publishRevision, rollbackPolicy } from './lifecycle';
import { diffRevisions, getPolicyService, listPolicyServices } from './overview';
import { currentPublished, findRevision } from './revisions';

const S = 'shop/users';
const analyst = (h: Harness) => ctxFor(h.db, actor('analyst'));
const adminA = (h: Harness) => ctxFor(h.db, { id: 'usr_a', email: 'alice@example.test', role: 'admin' });
const adminB = (h: Harness) => ctxFor(h.db, { id: 'usr_b', email: 'bob@example.test', role: 'admin' });

async function approve(h: Harness, template: string, callers: Record<string, number>, method = 'GET', state: 'approved' | 'learned' = 'approved') {
  await h.db.insert(endpoints).values({ id: `ep_${method}_${template}`, service: S, method, template, templateKey: templateKey(template), state, callers });
}

const shaOf = async (h: Harness, id: string) => (await findRevision(h.db, id)).sha256;

const actions = async (h: Harness) => (await h.db.select().from(auditLog).orderBy(auditLog.id)).map((e) => e.action);

describeEachEngine('policy lifecycle', (h) => {
  // two enabled admins (the two-person rule needs them) and the analyst, made by the operator
  beforeEach(() => seedAccounts(h.db, adminA(h).actor!, adminB(h).actor!, actor('analyst')));

  it('drafts from approved endpoints and their callers, approved by someone else, published, then rolled back', async () => {
    await approve(h, '/api/users/{user_id}', { 'shop/web': 10, external: 2, '(other)': 1 });
    await approve(h, '/api/users/me', { 'shop/web': 3 });
    await approve(h, '/api/users/{user_id}', { 'shop/admin': 1 }, 'DELETE');
    await approve(h, '/api/debug', { 'shop/web': 1 }, 'GET', 'learned');

    const d1 = await generateDraft(analyst(h), { service: S, reason: 'first whitelist' });
    expect(d1).toMatchObject({ revision: 1, state: 'draft', editors: ['analyst@example.test'] });
    expect(d1.document.allow.map((r) => `${r.method} ${r.template} ${r.caller}`)).toEqual([
      'GET /api/users/me shop/web', 'DELETE /api/users/{user_id} shop/admin', 'GET /api/users/{user_id} external', 'GET /api/users/{user_id} shop/web',
    ]);

    // an admin who edits the draft may no longer approve it
    const edited = await editDraft(adminA(h), {
      id: d1.id, addAllow: [], removeAllow: [{ caller: 'external', method: 'GET', template: '/api/users/{user_id}' }],
      addDeny: [{ kind: 'ip', value: '203.0.113.0/24', reason: 'botnet', expiresAt: null }], removeDeny: [], reason: 'no direct internet access',
    });
    expect(edited.editors).toEqual(['analyst@example.test', 'alice@example.test']);
    await expect(approveRevision(adminA(h), { id: d1.id, sha256: await shaOf(h, d1.id), reason: 'looks right' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(publishRevision(adminB(h), { id: d1.id, reason: 'too early' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await approveRevision(adminB(h), { id: d1.id, sha256: await shaOf(h, d1.id), reason: 'checked the shadow impact' });
    await expect(editDraft(analyst(h), { id: d1.id, addAllow: [], removeAllow: [], addDeny: [], removeDeny: [], reason: 'late edit' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const p1 = await publishRevision(adminA(h), { id: d1.id, reason: 'go' });
    expect(p1).toMatchObject({ state: 'published', approvedBy: 'bob@example.test', publishedBy: 'alice@example.test' });
    expect(p1.document.deny).toEqual([{ kind: 'ip', value: '203.0.113.0/24', reason: 'botnet', expiresAt: null }]);

    // a new approval, a new draft that keeps the deny list; the diff says what changes
    await approve(h, '/api/users/{user_id}/cars', { 'shop/web': 4 });
    const d2 = await generateDraft(analyst(h), { service: S, reason: 'cars API approved' });
    expect(d2.revision).toBe(2);
    expect(d2.document.deny).toHaveLength(1);
    const diff = await diffRevisions(analyst(h), { service: S, from: 1, to: 2 });
    expect(diff.diff.addedAllow.map((r) => `${r.method} ${r.template} ${r.caller}`).sort()).toEqual(['GET /api/users/{user_id} external', 'GET /api/users/{user_id}/cars shop/web']);
    expect(diff.diff.removedAllow).toEqual([]);
    await approveRevision(adminB(h), { id: d2.id, sha256: await shaOf(h, d2.id), reason: 'ok' });
    await publishRevision(adminB(h), { id: d2.id, reason: 'ok' });
    expect((await currentPublished(h.db, S))?.revision).toBe(2);

    const r3 = await rollbackPolicy(adminA(h), { service: S, revision: 1, reason: 'cars API broke checkout' });
    expect(r3).toMatchObject({ revision: 3, state: 'published', rollbackOf: 1, sha256: p1.sha256 });
    expect((await currentPublished(h.db, S))?.revision).toBe(3);
    await expect(rollbackPolicy(adminA(h), { service: S, revision: 3, reason: 'again' })).rejects.toMatchObject({ code: 'CONFLICT' });

    expect(await actions(h)).toEqual([
      'policy.generate', 'policy.edit', 'policy.approve', 'policy.publish', 'policy.generate', 'policy.approve', 'policy.publish', 'policy.rollback',
    ]);
    const [publish] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'policy.publish'));
    expect(publish).toMatchObject({ actorEmail: 'alice@example.test', reason: 'go', after: { revision: 1, state: 'published', allow: 3, deny: 1 } });
    expect((await verifyAuditChain({ db: h.db })).ok).toBe(true);

    const view = await getPolicyService(analyst(h), S);
    expect(view.history.map((r) => `${r.revision}:${r.state}`)).toEqual(['3:published', '2:published', '1:published']);
    const list = await listPolicyServices(analyst(h));
    expect(list).toEqual([expect.objectContaining({ service: S, approvedEndpoints: 4, learnedEndpoints: 1, published: expect.objectContaining({ revision: 3 }), open: null })]);
  });

  it('leaves out callers stored before ingest enforced the identity grammar', async () => {
    await approve(h, '/api/users/{user_id}', { 'shop/web': 5, 'shop/evil\naccess_log off;': 2, 'shop/x y': 1, '': 1 });
    const d = await generateDraft(analyst(h), { service: S, reason: 'legacy callers' });
    expect(d.document.allow.map((r) => r.caller)).toEqual(['shop/web']);
  });

  it('refuses a draft without approvals, and a second draft while one is approved; drafts can be discarded', async () => {
    await expect(generateDraft(analyst(h), { service: S, reason: 'nothing yet' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await approve(h, '/api/users/me', { 'shop/web': 3 });
    const d = await generateDraft(analyst(h), { service: S, reason: 'first' });
    const again = await generateDraft(analyst(h), { service: S, reason: 'refresh' });
    expect(again).toMatchObject({ id: d.id, revision: 1 });
    await approveRevision(adminA(h), { id: d.id, sha256: await shaOf(h, d.id), reason: 'fine' });
    await expect(generateDraft(analyst(h), { service: S, reason: 'another' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(discardRevision(analyst(h), { id: d.id, reason: 'wrong' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await discardRevision(adminA(h), { id: d.id, reason: 'wrong' }, { approved: true });
    const next = await generateDraft(analyst(h), { service: S, reason: 'start over' });
    expect(next.revision).toBe(2);
    await expect(rollbackPolicy(adminA(h), { service: S, revision: 1, reason: 'never published' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses deny entries that are not what they claim to be', async () => {
    await approve(h, '/api/users/me', { 'shop/web': 3 });
    const d = await generateDraft(analyst(h), { service: S, reason: 'first' });
    const { editInput } = await import('./schemas');
    expect(editInput.safeParse({ id: d.id, addDeny: [{ kind: 'ip', value: '10.0.0.0/33', reason: 'bad mask' }], reason: 'x y z' }).success).toBe(false);
    expect(editInput.safeParse({ id: d.id, addDeny: [{ kind: 'ip', value: 'not-an-ip', reason: 'bad' }], reason: 'x y z' }).success).toBe(false);
    expect(editInput.safeParse({ id: d.id, addDeny: [{ kind: 'ip', value: '2001:db8::/32', reason: 'v6 block' }], reason: 'x y z' }).success).toBe(true);
  });
});
