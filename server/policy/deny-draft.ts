// An expiring deny entry written into a service's policy DRAFT: the open draft, or a new one
// copied from the published revision. Shared by a detection's mitigation and "deny this actor"
// on the traffic views (token page, policy shadow impact). Nothing reaches the fleet from here:
// the draft goes through the normal two-person approval and publishing, and whoever wrote the
// entry is one of its editors, so they cannot approve it.
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { policyRevisions } from '@/db/schema/policies';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { insertRevision } from './lifecycle';
import { canonical, type DenyEntry } from './model';
import { currentPublished, documentSha256, lockService, openRevision, type Revision } from './revisions';

export interface DenyDraftResult {
  /** the draft that now holds the entry */
  revision: Revision;
  /** the open draft before the change (null: a new draft was made) */
  before: Revision | null;
  /** the published revision the new draft was copied from (null: the open draft was used) */
  copiedFrom: number | null;
}

/** How to read the outcome to a person: which revision took the entry. */
export const draftWords = (r: DenyDraftResult) =>
  r.before ? `draft revision ${r.revision.revision}` : `a new draft, revision ${r.revision.revision}, copied from the published policy`;

/**
 * Adds `entry` to `service`'s draft inside the caller's transaction (which writes the audit
 * entry). Refuses, writing nothing, when the service has no policy yet (a deny list alone would
 * deny everything else too), when an approved revision waits to be published, and when the
 * actor is denied already for at least as long; a longer expiry replaces the shorter one.
 */
export async function addDenyToDraft(tx: Db, ctx: Ctx, service: string, entry: DenyEntry, reason: string): Promise<DenyDraftResult> {
  const me = ctx.actor?.email;
  if (!me) throw new DomainError('FORBIDDEN', 'Sign in to change policies');
  await lockService(tx, service);
  const open = await openRevision(tx, service);
  if (open?.state === 'approved') throw new DomainError('CONFLICT', `Revision ${open.revision} of ${service} is approved and waiting to be published: publish or discard it first, then deny the actor`);
  const published = await currentPublished(tx, service);
  const base = open ?? published;
  if (!base) throw new DomainError('BAD_REQUEST', `${service} has no policy yet: approve its endpoints and generate a policy on the policy page first (a deny list alone would deny everything else too)`);
  const until = entry.expiresAt === null ? Infinity : Date.parse(entry.expiresAt);
  const same = base.document.deny.find((x) => x.kind === entry.kind && x.value === entry.value);
  if (same && (same.expiresAt === null || Date.parse(same.expiresAt) >= until)) {
    throw new DomainError('CONFLICT', `${entry.kind} ${entry.value} is denied already in revision ${base.revision} (${base.state})${same.expiresAt ? ` until ${same.expiresAt}` : ''}`);
  }
  const doc = canonical({ ...base.document, deny: [...base.document.deny.filter((x) => x !== same), entry] });
  if (open) {
    const [revision] = await tx.update(policyRevisions).set({
      document: doc, sha256: documentSha256(doc), editors: [...new Set([...open.editors, me])], updatedAt: ctx.now(), reason,
    }).where(eq(policyRevisions.id, open.id)).returning();
    return { revision, before: open, copiedFrom: null };
  }
  const revision = await insertRevision(tx, ctx, service, doc, { reason });
  return { revision, before: null, copiedFrom: published!.revision };
}
