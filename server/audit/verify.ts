import { asc, gt } from 'drizzle-orm';
import { auditLog } from '@/db/schema';
import type { Ctx } from '@/server/context';
import { GENESIS_HASH, entryHash } from './hash';

export type VerifyResult =
  | { ok: true; checked: number; lastId: number | null }
  | { ok: false; checked: number; brokenAt: number; problem: string };

const PAGE = 1000;

/**
 * Walks the chain from the first entry and reports the first link that does not hold:
 * a changed entry (hash mismatch), a removed or reordered one (id gap, prev_hash mismatch).
 */
export async function verifyAuditChain(ctx: Pick<Ctx, 'db'>): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let checked = 0;
  for (;;) {
    const page = await ctx.db
      .select()
      .from(auditLog)
      .where(gt(auditLog.id, expectedId - 1))
      .orderBy(asc(auditLog.id))
      .limit(PAGE);
    for (const row of page) {
      if (row.id !== expectedId) {
        return { ok: false, checked, brokenAt: expectedId, problem: `entry ${expectedId} is missing (next entry is ${row.id})` };
      }
      if (row.prevHash !== prevHash) {
        return { ok: false, checked, brokenAt: row.id, problem: `entry ${row.id} does not link to entry ${row.id - 1}` };
      }
      if (entryHash(row) !== row.hash) {
        return { ok: false, checked, brokenAt: row.id, problem: `entry ${row.id} was altered after it was written` };
      }
      prevHash = row.hash;
      expectedId += 1;
      checked += 1;
    }
    if (page.length < PAGE) return { ok: true, checked, lastId: checked ? expectedId - 1 : null };
  }
}
