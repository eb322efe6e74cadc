// Reading policy revisions: a service's open revision, its current published one, its
// history, and the document hash every revision carries.
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { policyRevisions } from '@/db/schema/policies';
import { DomainError } from '@/server/errors';
import { canonical, type PolicyDocument } from './model';

export type Revision = typeof policyRevisions.$inferSelect;

export function documentSha256(doc: PolicyDocument): string {
  return createHash('sha256').update(JSON.stringify(canonical(doc))).digest('hex');
}

export async function findRevision(db: Db, id: string, lock = false): Promise<Revision> {
  const q = db.select().from(policyRevisions).where(eq(policyRevisions.id, id)).limit(1);
  const [r] = lock ? await q.for('update') : await q;
  if (!r) throw new DomainError('NOT_FOUND', 'No such policy revision');
  return r;
}

export async function revisionOf(db: Db, service: string, revision: number): Promise<Revision> {
  const [r] = await db.select().from(policyRevisions).where(and(eq(policyRevisions.service, service), eq(policyRevisions.revision, revision))).limit(1);
  if (!r) throw new DomainError('NOT_FOUND', `${service} has no revision ${revision}`);
  return r;
}

/** The draft or approved revision waiting to be published, if any. */
export async function openRevision(db: Db, service: string): Promise<Revision | null> {
  const [r] = await db.select().from(policyRevisions)
    .where(and(eq(policyRevisions.service, service), inArray(policyRevisions.state, ['draft', 'approved']))).limit(1);
  return r ?? null;
}

/** What the fleet should be running: the newest published revision. */
export async function currentPublished(db: Db, service: string): Promise<Revision | null> {
  const [r] = await db.select().from(policyRevisions)
    .where(and(eq(policyRevisions.service, service), eq(policyRevisions.state, 'published')))
    .orderBy(desc(policyRevisions.revision)).limit(1);
  return r ?? null;
}

export async function nextRevisionNumber(db: Db, service: string): Promise<number> {
  const [r] = await db.select({ n: sql<number>`coalesce(max(${policyRevisions.revision}), 0)` }).from(policyRevisions).where(eq(policyRevisions.service, service));
  return Number(r?.n ?? 0) + 1;
}

/** Serialises lifecycle steps of one service: revision numbers and the one-open-revision rule. */
export async function lockService(db: Db, service: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(7420020, hashtext(${service}))`);
}

/** A short description of a revision for audit entries (never the whole document). */
export function summary(r: Pick<Revision, 'service' | 'revision' | 'state' | 'sha256' | 'document'>) {
  return { service: r.service, revision: r.revision, state: r.state, sha256: r.sha256, allow: r.document.allow.length, deny: r.document.deny.length };
}
