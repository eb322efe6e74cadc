import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import { MINUTE_ROLLUP_DAYS } from '@/db/schema';
import { compactionInternals, compactionState } from './compact';
import { consumeDirtySql, consumeStatements } from './hour-sql';

const { COMPACTION_LOCK, HOUR_MS, HOURS_PER_TRANSACTION, hourFloor, oldestMinute } = compactionInternals;

/**
 * Prunes the minute rollups of the hours older than MINUTE_ROLLUP_DAYS. Each span of hours is
 * compacted and pruned in one move (server/rollups/compact.ts, "pruned hours"): its hour rows
 * become the sums of exactly the minute rows deleted, and rollup_compaction.minutes_from
 * advances past it in the same transaction. Hours are taken in order, so minutes_from always
 * separates pruned hours from complete ones.
 */
export async function pruneMinuteRollups(db: Db, nowMs: number): Promise<{ hours: number; minutesFrom: Date }> {
  const target = hourFloor(nowMs - MINUTE_ROLLUP_DAYS * 86_400_000);
  let hours = 0;
  for (;;) {
    const step = await db.transaction(async (t) => {
      await t.execute(sql`select pg_advisory_xact_lock(${COMPACTION_LOCK})`);
      // Read under the lock: another replica may have pruned meanwhile.
      const { minutesFrom } = await compactionState(t);
      if (minutesFrom && minutesFrom.getTime() >= target) return { done: true, hours: 0, minutesFrom };
      // Hours without minute rows need no move: jump to the next minute row.
      const next = await oldestMinute(t, minutesFrom);
      const from = next === null ? target : Math.min(hourFloor(next), target);
      const to = Math.min(from + HOURS_PER_TRANSACTION * HOUR_MS, target);
      if (to > from) {
        await rows(t, consumeDirtySql(new Date(from), new Date(to)));
        for (const statement of consumeStatements(new Date(from), new Date(to), true)) await t.execute(statement);
      }
      // Before the first compaction run compacted_at is the epoch: the run then starts at the oldest minute row.
      await t.execute(sql`insert into rollup_compaction (compacted_at, minutes_from) values ('epoch', ${new Date(to).toISOString()}::timestamptz)
        on conflict (id) do update set minutes_from = excluded.minutes_from`);
      return { done: to >= target, hours: (to - from) / HOUR_MS, minutesFrom: new Date(to) };
    });
    hours += step.hours;
    if (step.done) return { hours, minutesFrom: step.minutesFrom };
  }
}
