import { sql } from 'drizzle-orm';
import { check, pgTable, smallint, timestamp } from 'drizzle-orm/pg-core';

/**
 * Hours whose minute rollups received late events (older than the compaction job's regular
 * sweep covers): written by the ingest statement, consumed by the job
 * (server/rollups/compact.ts explains why this is exact).
 */
export const rollupDirtyHours = pgTable('rollup_dirty_hours', {
  hour: timestamp('hour', { withTimezone: true }).primaryKey(),
});

/** One row: how far the rollup compaction job got. */
export const rollupCompaction = pgTable(
  'rollup_compaction',
  {
    id: smallint('id').primaryKey().default(1),
    /** when the last successful run started: the next run sweeps the hours from just before it (the epoch: no run yet) */
    compactedAt: timestamp('compacted_at', { withTimezone: true }).notNull(),
    /**
     * Minute rollups are complete from this hour on; older minute rows were pruned, and any
     * found there are late additions not yet in the hour rows. Null until the first prune.
     */
    minutesFrom: timestamp('minutes_from', { withTimezone: true }),
  },
  (t) => [check('rollup_compaction_one_row', sql`${t.id} = 1`)],
);
