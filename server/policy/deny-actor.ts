// "Deny this actor" from the traffic views (issue 14 §3): from a token's page (per service it
// reached, or one of its client addresses or users) or from a shadow-impact example, an analyst
// proposes an expiring deny entry into the service's policy draft. Same path as a detection's
// mitigation (addDenyToDraft): one audited transaction, then the normal two-person approval and
// publishing; nothing here approves or publishes anything.
import { MAX_DENY_DAYS } from '@/server/detection/triage-steps';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { addDenyToDraft } from './deny-draft';
import { denyEntry, type DenyEntry } from './model';
import { summary } from './revisions';
import type { DenyActorInput } from './schemas';

export { MAX_DENY_DAYS };

const KIND_WORDS: Record<DenyEntry['kind'], string> = { token: 'token', user: 'user', ip: 'address' };

/** The deny entry the input asks for, checked as any deny entry is, or why it cannot be one. */
export function proposedEntry(input: DenyActorInput, now: Date): DenyEntry {
  const until = input.expiresAt.getTime();
  if (Number.isNaN(until)) throw new DomainError('BAD_REQUEST', 'Choose when the entry expires');
  if (until <= now.getTime()) throw new DomainError('BAD_REQUEST', 'The deny entry must expire in the future');
  if (until > now.getTime() + MAX_DENY_DAYS * 86_400_000) {
    throw new DomainError('BAD_REQUEST', `A deny entry proposed from traffic lasts at most ${MAX_DENY_DAYS} days; add a longer one on the policy page`);
  }
  const parsed = denyEntry.safeParse({ kind: input.actor.kind, value: input.actor.value, reason: input.reason, expiresAt: input.expiresAt.toISOString() });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError('BAD_REQUEST', `${KIND_WORDS[input.actor.kind]} ${JSON.stringify(input.actor.value.slice(0, 80))} cannot go into a policy: ${issue?.message ?? 'not a valid value'}`);
  }
  // trimming is for the reason; an actor is denied exactly as telemetry named it, or not at all
  if (parsed.data.value !== input.actor.value) throw new DomainError('BAD_REQUEST', `The ${KIND_WORDS[input.actor.kind]} has leading or trailing spaces: a policy matches it exactly, so it cannot be denied from here`);
  return parsed.data;
}

export async function proposeDeny(ctx: Ctx, input: DenyActorInput) {
  if (!ctx.actor) throw new DomainError('FORBIDDEN', 'Sign in to change policies');
  const entry = proposedEntry(input, ctx.now());
  return audited(ctx, async (tx, audit) => {
    const added = await addDenyToDraft(tx, ctx, input.service, entry, input.reason);
    const r = added.revision;
    audit({
      action: 'policy.deny', targetType: 'policy', targetId: r.id, before: added.before ? summary(added.before) : null,
      after: { ...summary(r), deny: entry, copiedFrom: added.copiedFrom }, reason: input.reason,
    });
    return { policy: { id: r.id, service: r.service, revision: r.revision, state: r.state, sha256: r.sha256 }, created: added.before === null, entry };
  });
}
