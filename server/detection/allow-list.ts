// The allow-list of known good clients (search-engine crawlers at their published ranges,
// uptime monitors, partner aggregators): never scored. Admins keep it; every change is audited.
// A user agent is whatever the client says it is, so a `user_agent` entry alone trusts anyone
// who copies it: prefer the crawler's published address ranges (`cidr`), which its operator
// confirms by reverse DNS (`crawl-66-249-66-1.googlebot.com` resolving back to the address).
import { asc, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { detectionAllowList } from '@/db/schema/detections';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import { parseCidr, cidrText } from '@/server/policy/compile/cidr';
import type { AddAllowInput, RemoveAllowInput } from './schemas';
import type { AllowEntry } from './types';

export type AllowRow = typeof detectionAllowList.$inferSelect;

export async function loadAllowList(db: Db): Promise<AllowEntry[]> {
  const rows = await db.select({ type: detectionAllowList.type, value: detectionAllowList.value, note: detectionAllowList.note }).from(detectionAllowList);
  return rows;
}

export function listAllowList(ctx: Ctx): Promise<AllowRow[]> {
  return ctx.db.select().from(detectionAllowList).orderBy(asc(detectionAllowList.type), asc(detectionAllowList.value));
}

/** One spelling per client: addresses and blocks in their canonical form, so duplicates are found. */
function canonicalValue(type: AddAllowInput['type'], value: string): string {
  if (type === 'ip' || type === 'cidr') return cidrText(parseCidr(value)!);
  return value;
}

export async function addAllowEntry(ctx: Ctx, input: AddAllowInput): Promise<AllowRow> {
  const by = ctx.actor?.email;
  if (!by) throw new DomainError('FORBIDDEN', 'Sign in to change the allow-list');
  const value = canonicalValue(input.type, input.value);
  return audited(ctx, async (tx, audit) => {
    const [row] = await tx.insert(detectionAllowList).values({ id: newId('allow'), type: input.type, value, note: input.note, createdBy: by, createdAt: ctx.now() })
      .onConflictDoNothing().returning();
    if (!row) throw new DomainError('CONFLICT', `${input.type} ${value} is on the allow-list already`);
    audit({ action: 'detection.allow.add', targetType: 'detection_allow', targetId: row.id, before: null, after: { type: row.type, value: row.value, note: row.note }, reason: input.reason });
    return row;
  });
}

export async function removeAllowEntry(ctx: Ctx, input: RemoveAllowInput): Promise<{ id: string }> {
  return audited(ctx, async (tx, audit) => {
    const [row] = await tx.delete(detectionAllowList).where(eq(detectionAllowList.id, input.id)).returning();
    if (!row) throw new DomainError('NOT_FOUND', 'No such allow-list entry (someone may have removed it already)');
    audit({ action: 'detection.allow.remove', targetType: 'detection_allow', targetId: row.id, before: { type: row.type, value: row.value, note: row.note }, after: null, reason: input.reason });
    return { id: row.id };
  });
}
