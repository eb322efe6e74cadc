import { and, desc, eq, gte, ilike, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { auditLog } from '@/db/schema';
import { escapeLike } from '@/db/like';
import type { Ctx } from '@/server/context';
import { audited } from './append';
import { nameAuditTargets } from './targets';

export const auditFilterSchema = z.object({
  action: z.string().trim().max(100).optional(),
  actor: z.string().trim().max(320).optional(),
  targetType: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(200).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  /** entries older than this id (keyset pagination, newest first) */
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AuditFilter = z.input<typeof auditFilterSchema>;

/** The WHERE of the filters (entries older than `cursor` too); undefined for none. Shared with the CSV export (server/exports/). */
export function auditWhere(f: Omit<z.output<typeof auditFilterSchema>, 'limit'>): SQL | undefined {
  const where: SQL[] = [];
  if (f.action) where.push(ilike(auditLog.action, `${escapeLike(f.action)}%`));
  if (f.actor) where.push(ilike(auditLog.actorEmail, `%${escapeLike(f.actor)}%`));
  if (f.targetType) where.push(eq(auditLog.targetType, f.targetType));
  // a decision on many objects names them in `after.targets` (server/discovery/review.ts)
  if (f.targetId) where.push(or(eq(auditLog.targetId, f.targetId), sql`jsonb_exists(${auditLog.after} -> 'targets', ${f.targetId})`)!);
  if (f.from) where.push(gte(auditLog.ts, f.from));
  if (f.to) where.push(lte(auditLog.ts, f.to));
  if (f.cursor) where.push(lt(auditLog.id, f.cursor));
  return where.length ? and(...where) : undefined;
}

/**
 * One page of the audit log, newest first, each entry's target named and linked (server/audit/
 * targets.ts, a query per kind of target on the page). Reading is itself audited, in the same
 * transaction, with the filters used (not the rows returned).
 */
export async function listAudit(ctx: Ctx, raw: AuditFilter) {
  const f = auditFilterSchema.parse(raw);
  const where = auditWhere(f);
  return audited(ctx, async (tx, audit) => {
    const items = await tx
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.id))
      .limit(f.limit + 1);
    const { cursor: _c, limit: _l, ...filters } = f;
    audit({ action: 'audit.read', targetType: 'audit_log', after: { filters, page: f.cursor ?? null } });
    const more = items.length > f.limit;
    const page = more ? items.slice(0, f.limit) : items;
    const named = await nameAuditTargets(tx, page, ctx.actor);
    return { items: page.map((e, i) => ({ ...e, ...named[i] })), nextCursor: more ? page[page.length - 1].id : null };
  });
}
