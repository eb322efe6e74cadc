import { lt, sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import { proxyMinuteStats, signInAttempts } from '@/db/schema';
import { pruneSessions } from '@/server/auth/sessions';
import { pruneThrottle } from '@/server/auth/throttle';
import { pruneMinuteRollups } from '@/server/rollups/prune';
import { ROLLUPS } from '@/server/rollups/specs';
import type { PartitionManager } from './partitions';

/** Rows per delete statement: a large expiry never holds locks or builds WAL for long in one go. */
const DELETE_BATCH = 10_000;

/** Deletes the rows of `table` whose `column` is before `cutoff`, a batch per statement. */
export async function deleteBefore(db: Db, table: string, column: string, cutoff: Date, batch = DELETE_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const [{ n }] = await rows<{ n: number }>(
      db,
      sql`with gone as (
        delete from ${sql.identifier(table)} where ctid = any(array(
          select ctid from ${sql.identifier(table)} where ${sql.identifier(column)} < ${cutoff.toISOString()}::timestamptz limit ${batch}))
        returning 1
      ) select count(*)::int as n from gone`,
    );
    total += n;
    if (n < batch) return total;
  }
}

/**
 * The periodic job: partitions ahead for the coming days, and everything older than the
 * retention period gone (events by dropping whole partitions, the rest by delete). Minute
 * rollups go after MINUTE_ROLLUP_DAYS, moved into their hour rows (server/rollups/prune.ts).
 */
export async function runRetention(db: Db, partitions: PartitionManager, nowMs: number, retentionDays: number) {
  await partitions.createAhead(nowMs);
  const dropped = await partitions.dropExpired(nowMs, retentionDays);
  const cutoff = new Date(nowMs - retentionDays * 86_400_000);
  await db.delete(proxyMinuteStats).where(lt(proxyMinuteStats.minute, cutoff));
  await db.delete(signInAttempts).where(lt(signInAttempts.ts, cutoff));
  await pruneSessions(db, cutoff);
  await pruneThrottle(db, new Date(nowMs));
  await pruneMinuteRollups(db, nowMs);
  let rollupRows = 0;
  for (const spec of ROLLUPS) {
    rollupRows += await deleteBefore(db, spec.hour, 'bucket', cutoff);
    // Late additions left in pruned minutes, when the retention period is the shorter.
    rollupRows += await deleteBefore(db, spec.minute, 'bucket', cutoff);
  }
  await deleteBefore(db, 'rollup_dirty_hours', 'hour', cutoff);
  return { dropped, rollupRows };
}
