// Triage (SPEC): `open` → `acknowledged` → `resolved` / `false_positive`, and back to `open`
// when a closed incident was closed wrongly. A false positive can suppress what raised it
// (scoped to one actor or to the rule: the kind on the service), until the suppression
// expires. Each step is one transaction with one audit entry and a line in the incident's
// history.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { detectionActors, detections, detectionSuppressions, detectionTriage } from '@/db/schema/detections';
import { users } from '@/db/schema/users';
import type { TriageState } from '@/lib/enums';
import { rolesWith } from '@/lib/permissions';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import { NEXT_STATES } from './triage-steps';
import { MAX_SUPPRESSION_DAYS, type AssignInput, type FalsePositiveInput, type LiftInput, type TriageInput } from './schemas';

export { NEXT_STATES };

const STATE_WORDS: Record<TriageState, string> = { open: 'open', acknowledged: 'acknowledged', resolved: 'resolved', false_positive: 'a false positive' };

export type StoredDetection = typeof detections.$inferSelect;

function email(ctx: Ctx): string {
  if (!ctx.actor) throw new DomainError('FORBIDDEN', 'Sign in to triage detections');
  return ctx.actor.email;
}

export async function lockDetection(tx: Db, id: string): Promise<StoredDetection> {
  const [d] = await tx.select().from(detections).where(eq(detections.id, id)).for('update');
  if (!d) throw new DomainError('NOT_FOUND', 'No such detection');
  return d;
}

function checkStep(d: StoredDetection, to: TriageState) {
  if (d.state === to) throw new DomainError('CONFLICT', `This detection is ${STATE_WORDS[to]} already`);
  if (!NEXT_STATES[d.state].includes(to)) {
    const hint = d.state === 'open' && to === 'resolved' ? ': acknowledge it first' : '';
    throw new DomainError('CONFLICT', `A detection that is ${STATE_WORDS[d.state]} cannot become ${STATE_WORDS[to]}${hint}`);
  }
}

export function historyEntry(ctx: Ctx, d: StoredDetection, action: string, extra: { toState?: TriageState; detail?: string; reason?: string | null }) {
  return {
    detectionId: d.id, at: ctx.now(), actorEmail: ctx.actor?.email ?? null, action,
    fromState: extra.toState ? d.state : null, toState: extra.toState ?? null, detail: extra.detail ?? null, reason: extra.reason ?? null,
  };
}

const brief = (d: StoredDetection) => ({ state: d.state, kind: d.kind, service: d.service, assigneeId: d.assigneeId });

/** Acknowledge, resolve or reopen. Acknowledging an unassigned detection assigns it to whoever acknowledged it. */
export async function triageDetection(ctx: Ctx, input: TriageInput) {
  const me = email(ctx);
  return audited(ctx, async (tx, audit) => {
    const d = await lockDetection(tx, input.id);
    checkStep(d, input.to);
    const takeIt = input.to === 'acknowledged' && d.assigneeId === null;
    // reopening a false positive takes back the suppressions it made: they were the mistake
    const lifted = d.state === 'false_positive'
      ? await tx.update(detectionSuppressions).set({ liftedAt: ctx.now(), liftedBy: me })
        .where(and(eq(detectionSuppressions.detectionId, d.id), isNull(detectionSuppressions.liftedAt))).returning({ id: detectionSuppressions.id })
      : [];
    const [next] = await tx.update(detections).set({ state: input.to, ...(takeIt ? { assigneeId: ctx.actor!.id } : {}), updatedAt: ctx.now() })
      .where(eq(detections.id, d.id)).returning();
    const detail = [takeIt ? `assigned to ${me}` : null, lifted.length ? `lifted ${lifted.length} suppression(s)` : null].filter(Boolean).join('; ') || undefined;
    await tx.insert(detectionTriage).values(historyEntry(ctx, d, input.to === 'open' ? 'reopen' : input.to === 'acknowledged' ? 'acknowledge' : 'resolve', { toState: input.to, detail, reason: input.reason }));
    audit({ action: 'detection.triage', targetType: 'detection', targetId: d.id, before: brief(d), after: { ...brief(next), liftedSuppressions: lifted.map((l) => l.id) }, reason: input.reason });
    return next;
  });
}

/** Marks a false positive and, when asked, suppresses the actor or the rule until `expiresAt`. */
export async function markFalsePositive(ctx: Ctx, input: FalsePositiveInput) {
  const me = email(ctx);
  const now = ctx.now();
  if (input.scope !== 'detection') {
    const until = input.expiresAt!.getTime();
    if (until <= now.getTime()) throw new DomainError('BAD_REQUEST', 'The suppression must expire in the future');
    if (until > now.getTime() + MAX_SUPPRESSION_DAYS * 86_400_000) {
      throw new DomainError('BAD_REQUEST', `A suppression lasts at most ${MAX_SUPPRESSION_DAYS} days; for a client that is always good, ask an admin to put it on the allow-list`);
    }
  }
  return audited(ctx, async (tx, audit) => {
    const d = await lockDetection(tx, input.id);
    checkStep(d, 'false_positive');
    let suppression: typeof detectionSuppressions.$inferSelect | null = null;
    if (input.scope !== 'detection') {
      if (input.scope === 'actor') {
        const [named] = await tx.select({ id: detectionActors.actorId }).from(detectionActors)
          .where(and(eq(detectionActors.detectionId, d.id), eq(detectionActors.actorType, input.actor!.type), eq(detectionActors.actorId, input.actor!.id)));
        if (!named) throw new DomainError('BAD_REQUEST', `${input.actor!.type} ${input.actor!.id.slice(0, 80)} is not one of this detection's actors`);
      }
      [suppression] = await tx.insert(detectionSuppressions).values({
        id: newId('sup'), scope: input.scope, kind: d.kind, service: d.service,
        actorType: input.scope === 'actor' ? input.actor!.type : null, actorId: input.scope === 'actor' ? input.actor!.id : null,
        reason: input.reason, detectionId: d.id, createdBy: me, createdAt: now, expiresAt: input.expiresAt!,
      }).returning();
    }
    const [next] = await tx.update(detections).set({ state: 'false_positive', updatedAt: now }).where(eq(detections.id, d.id)).returning();
    const what = !suppression ? undefined
      : suppression.scope === 'rule' ? `suppressed ${d.kind} on ${d.service ?? 'detections without a service'} until ${suppression.expiresAt.toISOString()}`
      : `suppressed ${suppression.actorType} ${suppression.actorId} for ${d.kind} on ${d.service ?? 'detections without a service'} until ${suppression.expiresAt.toISOString()}`;
    await tx.insert(detectionTriage).values(historyEntry(ctx, d, 'false_positive', { toState: 'false_positive', detail: what, reason: input.reason }));
    audit({
      action: 'detection.false_positive', targetType: 'detection', targetId: d.id, before: brief(d),
      after: { ...brief(next), suppression: suppression && { id: suppression.id, scope: suppression.scope, kind: suppression.kind, service: suppression.service, actorType: suppression.actorType, actorId: suppression.actorId, expiresAt: suppression.expiresAt } },
      reason: input.reason,
    });
    return { detection: next, suppression };
  });
}

export async function assignDetection(ctx: Ctx, input: AssignInput) {
  email(ctx);
  return audited(ctx, async (tx, audit) => {
    const d = await lockDetection(tx, input.id);
    let to: { id: string; email: string } | null = null;
    if (input.assigneeId) {
      const [u] = await tx.select({ id: users.id, email: users.email }).from(users)
        .where(and(eq(users.id, input.assigneeId), isNull(users.disabledAt), inArray(users.role, [...rolesWith('analyse')])));
      if (!u) throw new DomainError('BAD_REQUEST', 'Assign it to an enabled analyst or admin');
      to = u;
    }
    if ((to?.id ?? null) === d.assigneeId) return d;
    const [next] = await tx.update(detections).set({ assigneeId: to?.id ?? null, updatedAt: ctx.now() }).where(eq(detections.id, d.id)).returning();
    await tx.insert(detectionTriage).values(historyEntry(ctx, d, 'assign', { detail: to ? `assigned to ${to.email}` : 'unassigned', reason: input.reason ?? null }));
    audit({ action: 'detection.assign', targetType: 'detection', targetId: d.id, before: { assigneeId: d.assigneeId }, after: { assigneeId: to?.id ?? null, assignee: to?.email ?? null }, reason: input.reason ?? null });
    return next;
  });
}

/** Lifts a suppression before it expires (detections it held back are raised again from now on). */
export async function liftSuppression(ctx: Ctx, input: LiftInput) {
  const me = email(ctx);
  return audited(ctx, async (tx, audit) => {
    const [s] = await tx.update(detectionSuppressions).set({ liftedAt: ctx.now(), liftedBy: me })
      .where(and(eq(detectionSuppressions.id, input.id), isNull(detectionSuppressions.liftedAt))).returning();
    if (!s) throw new DomainError('NOT_FOUND', 'No such suppression in force (it may have been lifted already)');
    audit({
      action: 'detection.suppression.lift', targetType: 'detection_suppression', targetId: s.id,
      before: { scope: s.scope, kind: s.kind, service: s.service, actorType: s.actorType, actorId: s.actorId, expiresAt: s.expiresAt }, after: { liftedAt: s.liftedAt }, reason: input.reason,
    });
    return s;
  });
}
