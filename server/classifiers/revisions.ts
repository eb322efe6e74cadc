// Published classifier sets: the newest is in force (revision 0, the built-in default, until an
// admin publishes one). Publishing names the revision it was based on, so two admins editing at
// once cannot silently overwrite each other; every publication is audited. Proxies pull the set
// as a signed bundle (`?format=classifiers`) with only the rules for their service.
import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { reason } from '@/server/audit/reason';
import type { Db } from '@/db/client';
import { classifierRevisions } from '@/db/schema/classifiers';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { inScope } from '@/server/fleet/scope';
import type { BundleEnvelope } from '@/server/policy/bundle';
import { BUNDLE_TTL_S, sha256Hex, signBundle, type SigningKey } from '@/server/policy/signing';
import { canonicalSet, classifierSetSchema, DEFAULT_CLASSIFIER_SET, type ClassifierSet } from './model';

const revision = z.number().int().min(0).max(1_000_000_000);
export const publishInput = z.object({ document: classifierSetSchema, basedOn: revision, reason });
export type PublishInput = z.output<typeof publishInput>;
export const republishInput = z.object({ revision: revision.min(1), basedOn: revision, reason });
export type RepublishInput = z.output<typeof republishInput>;
export const historyInput = z.object({ offset: z.number().int().min(0).max(1_000_000).default(0), limit: z.number().int().min(1).max(100).default(20) });
export type HistoryInput = z.output<typeof historyInput>;

export interface ClassifierRevision {
  revision: number;
  document: ClassifierSet;
  sha256: string;
  /** null for revision 0, the built-in default */
  publishedBy: string | null;
  publishedAt: Date | null;
  reason: string | null;
  republishOf: number | null;
}

type Row = typeof classifierRevisions.$inferSelect;

const DEFAULT_REVISION: ClassifierRevision = {
  revision: 0, document: DEFAULT_CLASSIFIER_SET, sha256: sha256Hex(canonicalSet(DEFAULT_CLASSIFIER_SET)),
  publishedBy: null, publishedAt: null, reason: null, republishOf: null,
};

function fromRow(r: Row): ClassifierRevision {
  const parsed = classifierSetSchema.safeParse(r.document);
  // written only through publish: a row that no longer validates was edited around the console
  if (!parsed.success) throw new Error(`classifier revision ${r.revision} is not a valid classifier set: ${parsed.error.issues[0]?.message}`);
  return { revision: r.revision, document: parsed.data, sha256: r.sha256, publishedBy: r.publishedBy, publishedAt: r.publishedAt, reason: r.reason, republishOf: r.republishOf };
}

export async function currentClassifiers(db: Db): Promise<ClassifierRevision> {
  const [r] = await db.select().from(classifierRevisions).orderBy(desc(classifierRevisions.revision)).limit(1);
  return r ? fromRow(r) : DEFAULT_REVISION;
}

export async function classifierHistory(ctx: Ctx, input: HistoryInput): Promise<{ rows: ClassifierRevision[]; total: number }> {
  const list = await ctx.db.select().from(classifierRevisions).orderBy(desc(classifierRevisions.revision)).offset(input.offset).limit(input.limit);
  const [{ n }] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(classifierRevisions);
  const rows = list.map(fromRow);
  // revision 0 closes the list once the stored ones are all shown
  if (input.offset + list.length >= Number(n)) rows.push(DEFAULT_REVISION);
  return { rows, total: Number(n) + 1 };
}

async function insertRevision(ctx: Ctx, document: ClassifierSet, basedOn: number, why: string, republishOf: number | null): Promise<ClassifierRevision> {
  const by = ctx.actor?.email;
  if (!by) throw new DomainError('FORBIDDEN', 'Sign in to publish classifiers');
  return audited(ctx, async (tx, audit) => {
    const current = await currentClassifiers(tx);
    if (current.revision !== basedOn) {
      throw new DomainError('CONFLICT', `Revision ${current.revision} was published${current.publishedBy ? ` by ${current.publishedBy}` : ''} since you started from ${basedOn}: reload and apply your change to it`);
    }
    const text = canonicalSet(document);
    const next = current.revision + 1;
    // the primary key settles a race between two publications based on the same revision
    const inserted = await tx.insert(classifierRevisions).values({
      revision: next, document: JSON.parse(text), sha256: sha256Hex(text), publishedBy: by, publishedAt: ctx.now(), reason: why, republishOf,
    }).onConflictDoNothing().returning();
    if (!inserted.length) throw new DomainError('CONFLICT', `Revision ${next} was published by someone else a moment ago: reload and apply your change to it`);
    audit({
      action: 'classifiers.publish', targetType: 'classifier_set', targetId: String(next),
      before: { revision: current.revision, document: current.document }, after: { revision: next, document: JSON.parse(text), ...(republishOf !== null ? { republishOf } : {}) }, reason: why,
    });
    return fromRow(inserted[0]);
  });
}

export function publishClassifiers(ctx: Ctx, input: PublishInput): Promise<ClassifierRevision> {
  return insertRevision(ctx, input.document, input.basedOn, input.reason, null);
}

/** An earlier revision's set published again as the newest (a rollback never lowers the revision). */
export async function republishClassifiers(ctx: Ctx, input: RepublishInput): Promise<ClassifierRevision> {
  const [old] = await ctx.db.select().from(classifierRevisions).where(eq(classifierRevisions.revision, input.revision));
  if (!old) throw new DomainError('NOT_FOUND', `There is no classifier revision ${input.revision}`);
  return insertRevision(ctx, fromRow(old).document, input.basedOn, input.reason, input.revision);
}

/** What a proxy of `service` applies: every class that runs, and only the rules for its service. */
export function setForService(set: ClassifierSet, service: string): ClassifierSet {
  return { ...set, rules: set.rules.filter((r) => inScope(r.services, service)) };
}

/** The policy bundles' envelope, for the classifier set. */
export type ClassifierBundle = Omit<BundleEnvelope, 'format' | 'content_type' | 'published_at'> & {
  format: 'classifiers';
  content_type: 'application/json';
  published_at: string | null;
};

/**
 * The signed classifier bundle of one service, in the policy bundles' envelope; null until a set
 * is published (revisions start at 1, as proxies require: the filter runs revision 0, the
 * built-in default, on its own).
 */
/** How long the newest revision number is shared by the waiting long polls of this process. */
export const NEWEST_REVISION_TTL_MS = 2000;
const newest = new WeakMap<Db, { at: number; revision: Promise<number> }>();

/**
 * The newest published revision number (0: none), one query a moment for the whole process: every
 * proxy's classifier long poll asks it every few seconds, and a fleet has thousands of them.
 */
export function newestClassifierRevision(db: Db, now: number = Date.now()): Promise<number> {
  const hit = newest.get(db);
  if (hit && now - hit.at >= 0 && now - hit.at < NEWEST_REVISION_TTL_MS) return hit.revision;
  const revision = db.select({ n: sql<number>`coalesce(max(${classifierRevisions.revision}), 0)::int` }).from(classifierRevisions)
    .then(([row]) => Number(row?.n ?? 0));
  newest.set(db, { at: now, revision });
  // a failed read is not shared: the next poll asks again
  revision.catch(() => {
    if (newest.get(db)?.revision === revision) newest.delete(db);
  });
  return revision;
}

export async function classifierBundle(db: Db, key: SigningKey, service: string, now: Date): Promise<ClassifierBundle | null> {
  const current = await currentClassifiers(db);
  if (current.revision === 0) return null;
  const content = JSON.stringify({ revision: current.revision, ...setForService(current.document, service) });
  const sha256 = sha256Hex(content);
  const issued_at = now.toISOString();
  const expires_at = new Date(now.getTime() + BUNDLE_TTL_S * 1000).toISOString();
  const fields = { service, revision: current.revision, format: 'classifiers' as const, sha256, issued_at, expires_at };
  return {
    ...fields, content_type: 'application/json', content, signature: signBundle(key, fields), key_id: key.keyId,
    published_at: current.publishedAt?.toISOString() ?? null, warnings: [],
  };
}
