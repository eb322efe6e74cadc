import { asc, gt } from 'drizzle-orm';
import { auditLog } from '@/db/schema';
import type { Ctx } from '@/server/context';
import type { Checkpoint } from './checkpoint';
import { GENESIS_HASH, expectedHash } from './hash';
import { installedAuditKeyring } from './keyring';

export type VerifyResult =
  | { ok: true; checked: number; lastId: number | null; lastHash: string | null }
  | { ok: false; checked: number; brokenAt: number; problem: string };

const PAGE = 1000;

/**
 * Walks the chain from the first entry and reports the first link that does not hold:
 * a changed entry (MAC mismatch), a removed or reordered one (id gap, prev_hash mismatch), an
 * unkeyed entry after keyed ones (written by someone without the audit key), and — given
 * checkpoints published earlier — a chain that no longer reaches them (its newest entries
 * were removed, or rewritten).
 */
export async function verifyAuditChain(ctx: Pick<Ctx, 'db'>, opts: { checkpoints?: Checkpoint[] } = {}): Promise<VerifyResult> {
  const ring = installedAuditKeyring();
  const checkpoints = new Map((opts.checkpoints ?? []).map((c) => [c.id, c.hash]));
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let checked = 0;
  let keyed = false;
  for (;;) {
    const page = await ctx.db
      .select()
      .from(auditLog)
      .where(gt(auditLog.id, expectedId - 1))
      .orderBy(asc(auditLog.id))
      .limit(PAGE);
    for (const row of page) {
      const broken = (problem: string) => ({ ok: false as const, checked, brokenAt: row.id, problem });
      if (row.id !== expectedId) {
        return { ok: false, checked, brokenAt: expectedId, problem: `entry ${expectedId} is missing (next entry is ${row.id})` };
      }
      if (row.prevHash !== prevHash) return broken(`entry ${row.id} does not link to entry ${row.id - 1}`);
      if (row.keyId === null && keyed) return broken(`entry ${row.id} carries no audit key but follows keyed entries: it was not written by Meshward`);
      const expected = expectedHash(ring, row);
      if (expected === null) {
        return broken(`entry ${row.id} was written with audit key ${row.keyId}, which this process was not given (add it to MESHWARD_AUDIT_KEY_PREVIOUS)`);
      }
      if (expected !== row.hash) return broken(`entry ${row.id} was altered after it was written`);
      const pinned = checkpoints.get(row.id);
      if (pinned !== undefined && pinned !== row.hash) {
        return broken(`entry ${row.id} differs from the checkpoint taken of it: the chain was rewritten`);
      }
      keyed ||= row.keyId !== null;
      prevHash = row.hash;
      expectedId += 1;
      checked += 1;
    }
    if (page.length < PAGE) break;
  }
  const lastId = checked ? expectedId - 1 : null;
  const beyond = [...checkpoints.keys()].filter((id) => id > (lastId ?? 0)).sort((a, b) => b - a)[0];
  if (beyond !== undefined) {
    return {
      ok: false, checked, brokenAt: (lastId ?? 0) + 1,
      problem: `the chain ends at entry ${lastId ?? 0}, but a checkpoint was taken at entry ${beyond}: the newest entries were removed`,
    };
  }
  if (checked && !keyed) {
    return {
      ok: false, checked, brokenAt: lastId!,
      problem: 'no entry carries the audit key: their plain hashes prove nothing; start the console once to seal them under the key',
    };
  }
  return { ok: true, checked, lastId, lastHash: lastId ? prevHash : null };
}
