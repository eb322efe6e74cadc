// The two-person rule (SPEC "Roles"): one person holding one admin account cannot get a policy
// approved without a second person. Each trick that used to work is a test here.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, endpoints, users } from '@/db/schema';
import { templateKey } from '@/server/discovery/template';
import type { Actor } from '@/server/context';
import { ctxFor, describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import { decideAdminGrant } from '@/server/users/grants';
import { usePasswordLink } from '@/server/users/links';
import { createUser, resetUserPassword, setUserDisabled, setUserRole } from '@/server/users/manage';
import { approveRevision, editDraft, generateDraft, publishRevision, rollbackPolicy, rollbackPreview } from './lifecycle';
import { currentPublished } from './revisions';

const S = 'shop/orders';
// made by the operator (MESHWARD_ADMIN_PASSWORD, the CLI): no console issuer
const alice: Actor = { id: 'usr_alice', email: 'alice@example.test', role: 'admin' };
const carol: Actor = { id: 'usr_carol', email: 'carol@example.test', role: 'admin' };
const ana: Actor = { id: 'usr_ana', email: 'ana@example.test', role: 'analyst' };

async function endpoint(h: Harness, template: string, caller = 'shop/web', method = 'GET') {
  await h.db.insert(endpoints).values({ id: `ep_${method}_${template}_${caller}`, service: S, method, template, templateKey: templateKey(template), state: 'approved', callers: { [caller]: 1 } })
    .onConflictDoNothing();
}

/** `by` creates an account and uses its link themselves: they now hold it. */
async function heldAccount(h: Harness, by: Actor, email: string, role: Actor['role']): Promise<Actor> {
  const r = await createUser(ctxFor(h.db, by), { email, name: '', role, reason: 'needed for the test' });
  if (r.kind !== 'created') throw new Error(`expected ${email} to be created, got a request`);
  await usePasswordLink(ctxFor(h.db, null), { token: r.link.token, password: 'held-password-123' });
  return { id: r.user.id, email, role };
}

async function draft(h: Harness, by: Actor) {
  await endpoint(h, '/api/orders/{order_id}');
  return generateDraft(ctxFor(h.db, by), { service: S, reason: 'draft' });
}

const approve = (h: Harness, by: Actor, r: { id: string; sha256: string }) => approveRevision(ctxFor(h.db, by), { id: r.id, sha256: r.sha256, reason: 'reviewed' });

describeEachEngine('two-person rule', (h) => {
  it('refuses every approval while a single enabled admin exists, saying why', async () => {
    await seedAccounts(h.db, alice, ana);
    const d = await draft(h, ana);
    await expect(approve(h, alice, d)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Only one enabled admin exists') });
    await seedAccounts(h.db, carol);
    await setUserDisabled(ctxFor(h.db, alice), { userId: carol.id, disabled: true, reason: 'on leave' });
    await expect(approve(h, alice, d)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Only one enabled admin exists') });
    await setUserDisabled(ctxFor(h.db, alice), { userId: carol.id, disabled: false, reason: 'back' });
    expect(await approve(h, alice, d)).toMatchObject({ state: 'approved', approvedBy: alice.email });
  });

  it('(a) an admin who creates a second admin account cannot approve their own draft with it', async () => {
    await seedAccounts(h.db, alice);
    const sock = await heldAccount(h, alice, 'sock@example.test', 'admin');
    const d = await draft(h, alice);
    await expect(approve(h, sock, d)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Your password was set through a link alice@example.test issued') });
    expect((await h.db.select().from(auditLog).where(eq(auditLog.action, 'policy.approve')))).toHaveLength(0);
  });

  it('(a) nor by drafting with an analyst account they created, nor through a chain of accounts', async () => {
    await seedAccounts(h.db, alice, carol);
    const puppet = await heldAccount(h, alice, 'puppet@example.test', 'analyst');
    const d = await draft(h, puppet);
    await expect(approve(h, alice, d)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('You issued the password link of puppet@example.test') });
    // carol is a second person: she may approve it
    expect(await approve(h, carol, d)).toMatchObject({ state: 'approved' });
  });

  it('(a) an admin and the admin whose link they issued cannot approve each other\'s work; one issued by a third person can', async () => {
    await seedAccounts(h.db, alice, carol);
    const bob = await heldAccount(h, carol, 'bob@example.test', 'analyst');
    const d = await draft(h, alice);
    await expect(approve(h, alice, d)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // carol issued bob's link, not alice's: carol may approve what alice wrote
    expect(await approve(h, carol, d)).toMatchObject({ state: 'approved' });
    expect(bob.role).toBe('analyst');
  });

  it('(a) once two admins exist, a new admin is a request a second admin approves, and the approver issues the link', async () => {
    await seedAccounts(h.db, alice, carol, ana);
    const r = await createUser(ctxFor(h.db, alice), { email: 'dave@example.test', name: 'Dave', role: 'admin', reason: 'on-call rota' });
    expect(r.kind).toBe('grant_requested');
    if (r.kind !== 'grant_requested') return;
    expect(await h.db.select().from(users).where(eq(users.email, 'dave@example.test'))).toHaveLength(0);
    await expect(createUser(ctxFor(h.db, alice), { email: 'erin@example.test', name: '', role: 'admin' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(decideAdminGrant(ctxFor(h.db, alice), { grantId: r.grant.id, decision: 'approve', reason: 'me' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const ok = await decideAdminGrant(ctxFor(h.db, carol), { grantId: r.grant.id, decision: 'approve', reason: 'dave joins on-call' });
    expect(ok.link).not.toBeNull();
    await expect(decideAdminGrant(ctxFor(h.db, carol), { grantId: r.grant.id, decision: 'approve', reason: 'twice' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await usePasswordLink(ctxFor(h.db, null), { token: ok.link!.token, password: 'dave-own-password-1' });
    const [dave] = await h.db.select().from(users).where(eq(users.email, 'dave@example.test'));
    expect(dave).toMatchObject({ role: 'admin', credentialIssuedBy: carol.id });
    // alice never held dave's credential: dave may approve alice's draft
    const d = await draft(h, alice);
    expect(await approve(h, { id: dave.id, email: dave.email, role: 'admin' }, d)).toMatchObject({ state: 'approved' });
    const actions = (await h.db.select().from(auditLog).orderBy(auditLog.id)).map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(['user.admin_grant.request', 'user.admin_grant.approve', 'user.set_password']);
  });

  it('(a) promoting is a request too; a denied or expired request makes nobody an admin', async () => {
    await seedAccounts(h.db, alice, carol, ana);
    const asked = await setUserRole(ctxFor(h.db, alice), { userId: ana.id, role: 'admin', reason: 'lead analyst' });
    expect(asked.grant).toMatchObject({ kind: 'promote', state: 'pending', targetUserId: ana.id });
    expect(asked.user.role).toBe('analyst');
    await expect(decideAdminGrant(ctxFor(h.db, ana), { grantId: asked.grant!.id, decision: 'approve', reason: 'me' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await decideAdminGrant(ctxFor(h.db, carol), { grantId: asked.grant!.id, decision: 'deny', reason: 'not yet' });
    const later = () => new Date(Date.now() + 73 * 3600_000);
    const again = await setUserRole(ctxFor(h.db, alice), { userId: ana.id, role: 'admin', reason: 'asking again' });
    await expect(decideAdminGrant(ctxFor(h.db, carol, { now: later }), { grantId: again.grant!.id, decision: 'approve', reason: 'late' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('expired') });
    const [row] = await h.db.select().from(users).where(eq(users.id, ana.id));
    expect(row.role).toBe('analyst');
  });

  it('(a) disabling the other admin does not reopen the one-admin path to making admins', async () => {
    await seedAccounts(h.db, alice);
    await heldAccount(h, alice, 'carol2@example.test', 'admin');
    const [c] = await h.db.select().from(users).where(eq(users.email, 'carol2@example.test'));
    await setUserDisabled(ctxFor(h.db, alice), { userId: c.id, disabled: true, reason: 'gone' });
    const r = await createUser(ctxFor(h.db, alice), { email: 'sock@example.test', name: '', role: 'admin', reason: 'fresh start' });
    expect(r.kind).toBe('grant_requested');
  });

  it('(b) an admin cannot reset another admin\'s password from the console', async () => {
    await seedAccounts(h.db, alice, carol);
    await expect(resetUserPassword(ctxFor(h.db, alice), { userId: carol.id, reason: 'take over' })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('meshward user reset-password') });
    // the operator's CLI may (break-glass), audited
    const r = await resetUserPassword(ctxFor(h.db, { id: 'cli', email: 'cli:root', role: 'admin' }), { userId: carol.id, reason: 'carol lost it' }, { operator: true });
    await usePasswordLink(ctxFor(h.db, null), { token: r.link.token, password: 'carol-new-password-1' });
    const [row] = await h.db.select().from(users).where(eq(users.id, carol.id));
    expect(row.credentialIssuedBy).toBeNull();
  });

  it('(b) taking over an analyst by a reset and getting it promoted does not carry the credential into the admin role', async () => {
    await seedAccounts(h.db, alice, carol, ana);
    const reset = await resetUserPassword(ctxFor(h.db, alice), { userId: ana.id, reason: 'forgot' });
    await usePasswordLink(ctxFor(h.db, null), { token: reset.link.token, password: 'alice-holds-ana-1' });
    // alice may not approve what the account she reset drafts
    const d = await draft(h, ana);
    await expect(approve(h, alice, d)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('You issued the password link of ana@example.test') });
    const asked = await setUserRole(ctxFor(h.db, alice), { userId: ana.id, role: 'admin', reason: 'promote' });
    const ok = await decideAdminGrant(ctxFor(h.db, carol), { grantId: asked.grant!.id, decision: 'approve', reason: 'fine' });
    const [row] = await h.db.select().from(users).where(eq(users.id, ana.id));
    expect(row).toMatchObject({ role: 'admin', passwordHash: null });
    expect(ok.link).not.toBeNull();
    await usePasswordLink(ctxFor(h.db, null), { token: ok.link!.token, password: 'ana-own-password-9' });
    expect((await h.db.select().from(users).where(eq(users.id, ana.id)))[0].credentialIssuedBy).toBe(carol.id);
  });

  it('(c) approval names the reviewed content: an edit between review and click is a conflict', async () => {
    await seedAccounts(h.db, alice, carol, ana);
    const reviewed = await draft(h, ana);
    const edited = await editDraft(ctxFor(h.db, ana), {
      id: reviewed.id, addAllow: [{ caller: 'shop/evil', method: 'DELETE', template: '/api/orders/{order_id}', endpointId: null }], removeAllow: [], addDeny: [], removeDeny: [], reason: 'sneak it in',
    });
    expect(edited.sha256).not.toBe(reviewed.sha256);
    await expect(approve(h, carol, reviewed)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('changed since it was reviewed') });
    expect(await approve(h, carol, edited)).toMatchObject({ state: 'approved', sha256: edited.sha256 });
  });

  it('(d) a rollback that lifts a deny entry or adds an allow rule is a draft another admin approves; one that only narrows publishes at once', async () => {
    await seedAccounts(h.db, alice, carol, ana);
    const publish = async (r: { id: string; sha256: string }) => {
      await approve(h, carol, r);
      return publishRevision(ctxFor(h.db, carol), { id: r.id, reason: 'go' });
    };
    const r1 = await publish(await draft(h, ana));
    const r2d = await editDraft(ctxFor(h.db, ana), {
      id: (await generateDraft(ctxFor(h.db, ana), { service: S, reason: 'deny a botnet' })).id,
      addAllow: [], removeAllow: [], addDeny: [{ kind: 'ip', value: '203.0.113.0/24', reason: 'botnet', expiresAt: null }], removeDeny: [], reason: 'botnet',
    });
    const r2 = await publish(r2d);
    expect(await rollbackPreview(ctxFor(h.db, alice), { service: S, revision: 1 })).toMatchObject({ needsApproval: true, liftedDeny: [expect.objectContaining({ value: '203.0.113.0/24' })] });
    const back = await rollbackPolicy(ctxFor(h.db, alice), { service: S, revision: r1.revision, reason: 'the deny broke checkout' });
    expect(back).toMatchObject({ state: 'draft', rollbackOf: 1, editors: [alice.email], sha256: r1.sha256 });
    expect((await currentPublished(h.db, S))?.revision).toBe(r2.revision);
    await expect(approve(h, alice, back)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await approve(h, carol, back);
    await publishRevision(ctxFor(h.db, alice), { id: back.id, reason: 'go' });
    expect((await currentPublished(h.db, S))?.document.deny).toEqual([]);

    // back to revision 2 only adds a deny entry: published at once by one admin
    expect(await rollbackPreview(ctxFor(h.db, alice), { service: S, revision: r2.revision })).toMatchObject({ needsApproval: false });
    const narrow = await rollbackPolicy(ctxFor(h.db, alice), { service: S, revision: r2.revision, reason: 'botnet is back' });
    expect(narrow).toMatchObject({ state: 'published', rollbackOf: r2.revision });
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.targetId, narrow.id));
    expect(entry).toMatchObject({ action: 'policy.rollback', after: { needsApproval: false } });
  });

  it('(d) a rollback to a revision with an allow rule the live one lacks needs approval', async () => {
    await seedAccounts(h.db, alice, carol, ana);
    await endpoint(h, '/api/orders/{order_id}', 'shop/admin', 'DELETE');
    const r1d = await draft(h, ana);
    await approve(h, carol, r1d);
    await publishRevision(ctxFor(h.db, carol), { id: r1d.id, reason: 'go' });
    const r2d = await editDraft(ctxFor(h.db, ana), {
      id: (await generateDraft(ctxFor(h.db, ana), { service: S, reason: 'narrower' })).id,
      addAllow: [], removeAllow: [{ caller: 'shop/admin', method: 'DELETE', template: '/api/orders/{order_id}' }], addDeny: [], removeDeny: [], reason: 'no deletes',
    });
    await approve(h, carol, r2d);
    await publishRevision(ctxFor(h.db, carol), { id: r2d.id, reason: 'go' });
    const preview = await rollbackPreview(ctxFor(h.db, alice), { service: S, revision: 1 });
    expect(preview).toMatchObject({ needsApproval: true, addedAllow: [expect.objectContaining({ caller: 'shop/admin', method: 'DELETE' })] });
    expect(await rollbackPolicy(ctxFor(h.db, alice), { service: S, revision: 1, reason: 'deletes again' })).toMatchObject({ state: 'draft' });
  });
});
