// The lifecycle of a service's policy (SPEC "policy"): generate a draft from approved
// endpoints and their observed callers, edit it, approve it (someone who did not edit it),
// publish it, roll back to an old revision, or discard a draft. Every step is one transaction
// with its audit entry; published revisions never change.
import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { endpoints } from '@/db/schema/endpoints';
import { policyRevisions } from '@/db/schema/policies';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import { OTHER_CALLERS } from '@/server/discovery/endpoint-stats';
import { isServiceName } from '@/server/identity/names';
import { denyKey, diffPolicies, isEmptyDiff, ruleKey } from './diff';
import { canonical, type AllowRule, type PolicyDocument } from './model';
import { currentPublished, documentSha256, findRevision, lockService, nextRevisionNumber, openRevision, revisionOf, summary, type Revision } from './revisions';
import { widening, isNarrowing } from './narrowing';
import type { ApproveInput, EditInput, GenerateInput, RollbackInput, RollbackPreviewInput, StepInput } from './schemas';
import { enabledAdminCount, twoPersonConflict } from '@/server/users/provenance';

export const SINGLE_ADMIN_MESSAGE = 'Only one enabled admin exists, so nobody can be the second person: add a second admin on the Users page before approving policies (two-person rule)';


const who = (ctx: Ctx) => {
  if (!ctx.actor) throw new DomainError('FORBIDDEN', 'Sign in to change policies');
  return ctx.actor.email;
};

/**
 * The whitelist the approved endpoints of `service` make: each one, from each caller seen using
 * it. Callers are telemetry: one stored before ingest enforced the identity grammar (or by a
 * console without it) is left out rather than carried into a policy.
 */
export async function whitelistFromApprovals(db: Db, service: string): Promise<AllowRule[]> {
  const approved = await db.select({ id: endpoints.id, method: endpoints.method, template: endpoints.template, callers: endpoints.callers })
    .from(endpoints).where(and(eq(endpoints.service, service), eq(endpoints.state, 'approved')));
  const rules: AllowRule[] = [];
  for (const e of approved) {
    for (const caller of Object.keys(e.callers)) {
      if (caller === OTHER_CALLERS || !isServiceName(caller)) continue;
      rules.push({ caller, method: e.method, template: e.template, endpointId: e.id });
    }
  }
  return rules;
}

/** A new revision of `service` (a draft unless `extra` says otherwise); also used by detection's "deny this actor". */
export async function insertRevision(db: Db, ctx: Ctx, service: string, doc: PolicyDocument, extra: Partial<Revision> = {}): Promise<Revision> {
  const document = canonical(doc);
  const now = ctx.now();
  const row = {
    id: newId('pol'), service, revision: await nextRevisionNumber(db, service), state: 'draft' as const, document,
    sha256: documentSha256(document), editors: [who(ctx)], createdBy: who(ctx), createdAt: now, updatedAt: now, ...extra,
  };
  const [r] = await db.insert(policyRevisions).values(row).returning();
  return r;
}

export async function generateDraft(ctx: Ctx, input: GenerateInput) {
  return audited(ctx, async (db, audit) => {
    await lockService(db, input.service);
    const open = await openRevision(db, input.service);
    if (open?.state === 'approved') throw new DomainError('CONFLICT', `Revision ${open.revision} is approved and waiting to be published: publish or discard it first`);
    const published = await currentPublished(db, input.service);
    const allow = await whitelistFromApprovals(db, input.service);
    if (allow.length === 0) throw new DomainError('BAD_REQUEST', `${input.service} has no approved endpoints with observed callers yet: approve its endpoints in APIs first`);
    // The deny list is kept: admins added it by hand (and detections will).
    const deny = (open ?? published)?.document.deny ?? [];
    const doc = canonical({ service: input.service, defaultAction: 'deny', allow, deny });
    let r: Revision;
    if (open) {
      const editors = [...new Set([...open.editors, who(ctx)])];
      [r] = await db.update(policyRevisions).set({ document: doc, sha256: documentSha256(doc), editors, updatedAt: ctx.now(), reason: input.reason })
        .where(eq(policyRevisions.id, open.id)).returning();
    } else {
      r = await insertRevision(db, ctx, input.service, doc, { reason: input.reason });
    }
    const d = diffPolicies(published?.document ?? null, doc);
    audit({
      action: 'policy.generate', targetType: 'policy', targetId: r.id, before: open ? summary(open) : null,
      after: { ...summary(r), addedAllow: d.addedAllow.length, removedAllow: d.removedAllow.length }, reason: input.reason,
    });
    return r;
  });
}

export async function editDraft(ctx: Ctx, input: EditInput) {
  return audited(ctx, async (db, audit) => {
    const r = await findRevision(db, input.id, true);
    if (r.state !== 'draft') throw new DomainError('CONFLICT', `Revision ${r.revision} is ${r.state}: only drafts can be edited (generate a new draft)`);
    if (input.addAllow.some((x) => x.caller === OTHER_CALLERS)) throw new DomainError('BAD_REQUEST', 'Name the calling service');
    const remove = new Set(input.removeAllow.map(ruleKey));
    const removeDeny = new Set(input.removeDeny.map(denyKey));
    const doc = canonical({
      ...r.document,
      allow: [...r.document.allow.filter((x) => !remove.has(ruleKey(x))), ...input.addAllow],
      deny: [...r.document.deny.filter((x) => !removeDeny.has(denyKey(x))), ...input.addDeny],
    });
    const d = diffPolicies(r.document, doc);
    if (isEmptyDiff(d)) return r;
    const editors = [...new Set([...r.editors, who(ctx)])];
    const [next] = await db.update(policyRevisions).set({ document: doc, sha256: documentSha256(doc), editors, updatedAt: ctx.now(), reason: input.reason })
      .where(eq(policyRevisions.id, r.id)).returning();
    audit({ action: 'policy.edit', targetType: 'policy', targetId: r.id, before: summary(r), after: { ...summary(next), ...d }, reason: input.reason });
    return next;
  });
}

/**
 * Approves exactly the content the approver reviewed (`sha256`), as a second person: not an
 * editor, not linked to an editor by credential provenance, and only once two enabled admins
 * exist (with one, nobody could be the second person).
 */
export async function approveRevision(ctx: Ctx, input: ApproveInput) {
  return audited(ctx, async (db, audit) => {
    const r = await findRevision(db, input.id, true);
    if (r.state !== 'draft') throw new DomainError('CONFLICT', `Revision ${r.revision} is ${r.state}, not a draft`);
    if (r.sha256 !== input.sha256) {
      throw new DomainError('CONFLICT', `Revision ${r.revision} changed since it was reviewed (now ${r.sha256.slice(0, 12)}, reviewed ${input.sha256.slice(0, 12)}): review it again before approving`);
    }
    const approver = who(ctx);
    if (r.editors.includes(approver)) throw new DomainError('FORBIDDEN', 'You edited this revision: someone else must approve it');
    if ((await enabledAdminCount(db)) < 2) throw new DomainError('FORBIDDEN', SINGLE_ADMIN_MESSAGE);
    const conflict = await twoPersonConflict(db, ctx.actor!.id, r.editors);
    if (conflict) throw new DomainError('FORBIDDEN', conflict);
    const [next] = await db.update(policyRevisions).set({ state: 'approved', approvedBy: approver, approvedAt: ctx.now(), updatedAt: ctx.now(), reason: input.reason })
      .where(eq(policyRevisions.id, r.id)).returning();
    audit({ action: 'policy.approve', targetType: 'policy', targetId: r.id, before: summary(r), after: summary(next), reason: input.reason });
    return next;
  });
}

export async function publishRevision(ctx: Ctx, input: StepInput) {
  return audited(ctx, async (db, audit) => {
    const r = await findRevision(db, input.id, true);
    if (r.state !== 'approved') throw new DomainError('CONFLICT', `Revision ${r.revision} is ${r.state}: only an approved revision can be published`);
    await lockService(db, r.service);
    const before = await currentPublished(db, r.service);
    const [next] = await db.update(policyRevisions).set({ state: 'published', publishedBy: who(ctx), publishedAt: ctx.now(), updatedAt: ctx.now(), reason: input.reason })
      .where(eq(policyRevisions.id, r.id)).returning();
    audit({
      action: 'policy.publish', targetType: 'policy', targetId: r.id, before: before ? summary(before) : null, after: summary(next), reason: input.reason,
    });
    return next;
  });
}

/**
 * Rolls back to an old published revision. A rollback that widens nothing (see `widening`)
 * publishes at once; one that would let through anything the live policy stops becomes a
 * draft that another admin approves and publishes like any other revision.
 */
export async function rollbackPolicy(ctx: Ctx, input: RollbackInput) {
  return audited(ctx, async (db, audit) => {
    await lockService(db, input.service);
    const old = await revisionOf(db, input.service, input.revision);
    if (old.state !== 'published') throw new DomainError('BAD_REQUEST', `Revision ${old.revision} was never published: only published revisions can be rolled back to`);
    const current = await currentPublished(db, input.service);
    if (current && current.revision === old.revision) throw new DomainError('CONFLICT', `Revision ${old.revision} is what the fleet runs already`);
    const widens = widening(current?.document ?? null, old.document, ctx.now());
    const open = await openRevision(db, input.service);
    // what was waiting was written against the policy being rolled back: it goes
    if (open) await db.update(policyRevisions).set({ state: 'discarded', updatedAt: ctx.now(), reason: `discarded by the rollback to revision ${old.revision}` }).where(eq(policyRevisions.id, open.id));
    const now = ctx.now();
    const r = isNarrowing(widens)
      ? await insertRevision(db, ctx, input.service, old.document, {
        state: 'published', approvedBy: old.approvedBy, approvedAt: old.approvedAt, publishedBy: who(ctx), publishedAt: now, rollbackOf: old.revision, reason: input.reason,
      })
      : await insertRevision(db, ctx, input.service, old.document, { state: 'draft', rollbackOf: old.revision, reason: input.reason });
    audit({
      action: 'policy.rollback', targetType: 'policy', targetId: r.id, before: current ? summary(current) : null,
      after: { ...summary(r), rollbackOf: old.revision, discarded: open?.revision ?? null, needsApproval: r.state === 'draft', widens: widens.allow.length + widens.deny.length },
      reason: input.reason,
    });
    return r;
  });
}

/** What a rollback to `revision` would let through that the live policy stops (for the confirmation). */
export async function rollbackPreview(ctx: Ctx, input: RollbackPreviewInput) {
  const old = await revisionOf(ctx.db, input.service, input.revision);
  const current = await currentPublished(ctx.db, input.service);
  const widens = widening(current?.document ?? null, old.document, ctx.now());
  return { needsApproval: !isNarrowing(widens), addedAllow: widens.allow, liftedDeny: widens.deny };
}

/** Drops an unpublished revision: analysts their drafts, admins an approved one too (`approved: true`). */
export async function discardRevision(ctx: Ctx, input: StepInput, { approved = false } = {}) {
  return audited(ctx, async (db, audit) => {
    const r = await findRevision(db, input.id, true);
    const allowed = r.state === 'draft' || (approved && r.state === 'approved');
    if (!allowed) throw new DomainError('CONFLICT', `Revision ${r.revision} is ${r.state}: ${r.state === 'approved' ? 'an admin may discard it' : 'only an unpublished revision can be discarded'}`);
    const [next] = await db.update(policyRevisions).set({ state: 'discarded', updatedAt: ctx.now(), reason: input.reason }).where(eq(policyRevisions.id, r.id)).returning();
    audit({ action: 'policy.discard', targetType: 'policy', targetId: r.id, before: summary(r), after: summary(next), reason: input.reason });
    return next;
  });
}
