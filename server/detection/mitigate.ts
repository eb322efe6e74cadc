// "Deny this actor" (issue 10 §6): an expiring deny entry for one of a detection's actors goes
// into the service's policy DRAFT — the open draft, or a new one copied from the published
// revision — and from there through the normal two-person approval and publishing. Nothing
// reaches the fleet from here. Analysts may propose it (as they may edit any draft); whoever
// proposed it cannot approve it.
import { and, eq } from 'drizzle-orm';
import { detectionActors, detections, detectionTriage, type StoredMitigation } from '@/db/schema/detections';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { isServiceName } from '@/server/identity/names';
import { addDenyToDraft, draftWords } from '@/server/policy/deny-draft';
import { denyEntry, type DenyEntry } from '@/server/policy/model';
import { summary } from '@/server/policy/revisions';
import { MAX_DENY_DAYS, type MitigateInput } from './schemas';
import { historyEntry, lockDetection } from './triage';
import type { ActorRef } from './types';

/** The deny entry an actor becomes, or why it cannot be denied by a policy. */
export function denyFor(actor: ActorRef, reason: string, expiresAt: Date): DenyEntry {
  if (actor.type === 'service') {
    throw new DomainError('BAD_REQUEST', 'A calling service is governed by the whitelist, not the deny list: remove its allow rules on the policy page instead');
  }
  const kind = actor.type === 'ip_group' ? 'ip' : actor.type;
  const parsed = denyEntry.safeParse({ kind, value: actor.id, reason, expiresAt: expiresAt.toISOString() });
  if (!parsed.success) throw new DomainError('BAD_REQUEST', `${actor.type} ${actor.id.slice(0, 80)} cannot go into a policy: ${parsed.error.issues[0]?.message ?? 'not a valid value'}`);
  return parsed.data;
}

export async function denyActor(ctx: Ctx, input: MitigateInput) {
  const me = ctx.actor?.email;
  if (!me) throw new DomainError('FORBIDDEN', 'Sign in to propose a mitigation');
  const now = ctx.now();
  const until = input.expiresAt.getTime();
  if (until <= now.getTime()) throw new DomainError('BAD_REQUEST', 'The deny entry must expire in the future');
  if (until > now.getTime() + MAX_DENY_DAYS * 86_400_000) throw new DomainError('BAD_REQUEST', `A deny entry from a detection lasts at most ${MAX_DENY_DAYS} days; add a longer one on the policy page`);
  return audited(ctx, async (tx, audit) => {
    const d = await lockDetection(tx, input.id);
    if (d.state === 'false_positive') throw new DomainError('CONFLICT', 'This detection is marked a false positive: reopen it before denying its actors');
    if (!d.service || !isServiceName(d.service)) throw new DomainError('BAD_REQUEST', 'This detection names no service a policy can be written for: add the deny entry on that service\'s policy page');
    const [named] = await tx.select({ id: detectionActors.actorId }).from(detectionActors)
      .where(and(eq(detectionActors.detectionId, d.id), eq(detectionActors.actorType, input.actor.type), eq(detectionActors.actorId, input.actor.id)));
    if (!named) throw new DomainError('BAD_REQUEST', `${input.actor.type} ${input.actor.id.slice(0, 80)} is not one of this detection's actors`);
    const entry = denyFor(input.actor, input.reason, input.expiresAt);
    const added = await addDenyToDraft(tx, ctx, d.service, entry, input.reason);
    const { revision: r, before: open } = added;
    const mitigation: StoredMitigation = {
      service: d.service, policyId: r.id, revision: r.revision, kind: entry.kind, value: entry.value, expiresAt: entry.expiresAt!, by: me, at: now.toISOString(),
    };
    const [next] = await tx.update(detections).set({ mitigation, ...(d.state === 'open' ? { state: 'acknowledged' as const } : {}), updatedAt: now })
      .where(eq(detections.id, d.id)).returning();
    await tx.insert(detectionTriage).values(historyEntry(ctx, d, 'mitigate', {
      toState: d.state === 'open' ? 'acknowledged' : undefined,
      detail: `deny ${entry.kind} ${entry.value} until ${entry.expiresAt} proposed in ${draftWords(added)} of ${d.service}: it needs another admin's approval and publishing`,
      reason: input.reason,
    }));
    audit({
      action: 'detection.mitigate', targetType: 'policy', targetId: r.id, before: open ? summary(open) : null,
      after: { ...summary(r), detection: d.id, deny: entry, copiedFrom: added.copiedFrom },
      reason: input.reason,
    });
    return { detection: next, policy: { id: r.id, service: r.service, revision: r.revision, state: r.state, sha256: r.sha256 }, created: !open };
  });
}
