import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import { rollupCompaction } from '@/db/schema';
import { LATE_EVENT_MS } from './ingest-sql';
import { summarizeBucketIndexes } from './brin';
import { consumeDirtySql, consumeStatements, minuteHoursBeforeSql, oldestMinuteSql, recomputeStatements } from './hour-sql';

/**
 * The rollup compaction job: hour rollup rows are (re)computed from minute rollup rows.
 *
 * Which hours. Each run recomputes every hour from SWEEP_MARGIN_MS before the previous
 * successful run's start up to and including the current hour (so hour views show the last
 * minutes), plus the hours marked in rollup_dirty_hours, plus the hours below
 * rollup_compaction.minutes_from that still hold minute rows (see "pruned hours").
 *
 * Why the result is exact although ingest keeps adding to minutes while an hour is being
 * recomputed. An hour is recomputed whole (delete + insert from its minute rows, which stay),
 * so a run that misses some minutes only has to be followed by one that sees them:
 * - An ingest statement that commits after run R read the minutes carries the writer's clock
 *   `now`, taken shortly before R started. Its events are either on time (ts within
 *   LATE_EVENT_MS of `now`), so in an hour the next run sweeps as long as the statement took
 *   less than SWEEP_MARGIN_MS - LATE_EVENT_MS (clock skew between replicas included); or late,
 *   and then the same statement marks their hour dirty, atomically with the minutes.
 * - A mark is consumed in the transaction that recomputes its hour, before the recompute reads
 *   the minutes, and only if no unfinished ingest holds it (`for update skip locked`; ingest
 *   takes the row lock with `on conflict do update`). So a consumed mark's minutes are
 *   committed and visible to the recompute; a mark an unfinished ingest holds, or writes once
 *   this transaction has deleted it (it waits, then inserts it again), stays for the next run.
 * - compacted_at advances only when a whole run succeeded.
 *
 * Pruned hours. Minute rows older than MINUTE_ROLLUP_DAYS are pruned (pruneMinuteRollups) by
 * moving them into the hour rows: the hour rows are replaced by the sums of exactly the row
 * versions deleted, in one statement per family, so pruning is that hour's last compaction and
 * nothing added meanwhile is lost. Below minutes_from, hour rows plus any minute rows there
 * (late additions) are the truth, so there the job moves (adds and deletes) instead of
 * recomputing.
 *
 * Every transaction takes one advisory lock, so replicas (and the retention job's pruning)
 * take turns instead of writing the same hour rows at once.
 */

const HOUR_MS = 3600_000;
/** How far before the previous run's start the sweep begins; see the header. */
export const SWEEP_MARGIN_MS = LATE_EVENT_MS + 5 * 60_000;
/** Longer spans are cut into transactions of this many hours, so a late ingest waits little on one. */
const HOURS_PER_TRANSACTION = 6;
const COMPACTION_LOCK = 7_420_002;

const hourFloor = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

export interface CompactOptions {
  /** compact exactly the hours overlapping [from, to) instead of the regular sweep (a backfill, a benchmark) */
  span?: { from: Date; to: Date };
}

export interface CompactResult {
  /** hours recomputed or moved */
  hours: number;
  /** dirty marks consumed */
  dirty: number;
}

interface State {
  compactedAt: Date | null;
  minutesFrom: Date | null;
}

export async function compactionState(db: Db): Promise<State> {
  const [row] = await db.select().from(rollupCompaction);
  return { compactedAt: row?.compactedAt ?? null, minutesFrom: row?.minutesFrom ?? null };
}

async function oldestMinute(db: Db, from: Date | null): Promise<number | null> {
  const [row] = await rows<{ oldest: string | Date | null }>(db, oldestMinuteSql(from));
  return row?.oldest == null ? null : new Date(row.oldest).getTime();
}

/** The hours (start, ms) this run handles, ascending. */
async function hoursToCompact(db: Db, nowMs: number, state: State, opts: CompactOptions): Promise<number[]> {
  const hours = new Set<number>();
  if (opts.span) {
    for (let h = hourFloor(opts.span.from.getTime()); h < opts.span.to.getTime(); h += HOUR_MS) hours.add(h);
    return [...hours].sort((a, b) => a - b);
  }
  const current = hourFloor(nowMs);
  hours.add(current);
  // Hours without minute rows have no hour rows either (minutes are kept from minutes_from on),
  // so the sweep jumps from one hour holding minute rows to the next: after a long pause, or
  // on the first run (from the oldest minute row), it recomputes only those.
  let next = state.compactedAt ? hourFloor(state.compactedAt.getTime() - SWEEP_MARGIN_MS) : null;
  if (state.minutesFrom && next !== null) next = Math.max(next, state.minutesFrom.getTime());
  for (;;) {
    const found = await oldestMinute(db, next === null ? state.minutesFrom : new Date(next));
    if (found === null || found >= current) break;
    hours.add(hourFloor(found));
    next = hourFloor(found) + HOUR_MS;
  }
  for (const r of await rows<{ hour: string | Date }>(db, sql`select hour from rollup_dirty_hours`)) {
    hours.add(new Date(r.hour).getTime());
  }
  if (state.minutesFrom) {
    for (const r of await rows<{ hour: string | Date }>(db, minuteHoursBeforeSql(state.minutesFrom))) {
      hours.add(new Date(r.hour).getTime());
    }
  }
  return [...hours].sort((a, b) => a - b);
}

/** Runs of consecutive hours, at most HOURS_PER_TRANSACTION long. */
function spans(hours: number[]) {
  const out: { from: number; to: number }[] = [];
  for (const h of hours) {
    const last = out[out.length - 1];
    if (last && last.to === h && (h - last.from) / HOUR_MS < HOURS_PER_TRANSACTION) last.to = h + HOUR_MS;
    else out.push({ from: h, to: h + HOUR_MS });
  }
  return out;
}

/**
 * Compacts one span in one transaction: its dirty marks first, then its hour rows, moved
 * below minutes_from (read under the lock: a prune may just have moved it) and recomputed
 * from there on.
 */
async function compactSpan(db: Db, from: number, to: number): Promise<number> {
  return db.transaction(async (t) => {
    await t.execute(sql`select pg_advisory_xact_lock(${COMPACTION_LOCK})`);
    const [{ n }] = await rows<{ n: number }>(t, consumeDirtySql(new Date(from), new Date(to)));
    const split = Math.min(Math.max((await compactionState(t)).minutesFrom?.getTime() ?? from, from), to);
    const statements = [
      ...(split > from ? consumeStatements(new Date(from), new Date(split), false) : []),
      ...(to > split ? recomputeStatements(new Date(split), new Date(to)) : []),
    ];
    for (const statement of statements) await t.execute(statement);
    return n;
  });
}

/**
 * One run of the job (see the header): recomputes the hour rollups of the swept, dirty and
 * pruned-but-touched hours, or only of `opts.span`. Only a regular run records itself.
 */
export async function compactRollups(db: Db, nowMs: number, opts: CompactOptions = {}): Promise<CompactResult> {
  await summarizeBucketIndexes(db);
  const state = await compactionState(db);
  const hours = await hoursToCompact(db, nowMs, state, opts);
  let dirty = 0;
  for (const s of spans(hours)) dirty += await compactSpan(db, s.from, s.to);
  if (!opts.span) {
    const at = new Date(nowMs);
    await db.insert(rollupCompaction).values({ compactedAt: at })
      .onConflictDoUpdate({ target: rollupCompaction.id, set: { compactedAt: at } });
  }
  return { hours: hours.length, dirty };
}

/** Exposed for pruneMinuteRollups, which shares the lock and the statements. */
export const compactionInternals = { COMPACTION_LOCK, HOUR_MS, HOURS_PER_TRANSACTION, hourFloor, oldestMinute };
