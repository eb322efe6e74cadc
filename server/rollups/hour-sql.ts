import { sql, type SQL } from 'drizzle-orm';
import { hourOf, mergeSql } from './ingest-sql';
import { derivedOf, MINUTE_ROLLUPS, ROLLUPS, rollupColumns, type RollupSpec } from './specs';

/**
 * The statements that build hour rollup rows from minute rollup rows, for every family of
 * specs.ts. Spans are [from, to) of whole hours; server/rollups/compact.ts says when each is
 * used and why it is exact under concurrent ingest.
 */

const keyColumns = (spec: RollupSpec) => ['bucket', ...spec.keys.map(([column]) => column)];

/** The hour rows of a set of minute rows: `sum` for counters, element-wise sum for histograms. */
function hourSelect(spec: RollupSpec, from: string, where: SQL = sql``): SQL {
  const keys = keyColumns(spec);
  const positions = keys.map((_, i) => i + 1).join(', ');
  const measures = spec.measures.map((m) =>
    m.merge === 'histogram' ? `mw_sum_int_arrays(${m.column})` : `sum(${m.column})`);
  return sql`select ${sql.raw([hourOf('bucket'), ...keys.slice(1), ...measures].join(', '))}
    from ${sql.raw(from)} ${where} group by ${sql.raw(positions)} order by ${sql.raw(positions)}`;
}

const tstz = (d: Date) => sql`${d.toISOString()}::timestamptz`;

const deleteHours = (spec: RollupSpec, from: Date, to: Date) =>
  sql`delete from ${sql.raw(spec.hour)} where bucket >= ${tstz(from)} and bucket < ${tstz(to)}`;

/** Replaces the hour rows of the span with the sums of its minute rows, which stay. */
export function recomputeStatements(from: Date, to: Date): SQL[] {
  return ROLLUPS.flatMap((spec) => [
    deleteHours(spec, from, to),
    sql`insert into ${sql.raw(spec.hour)} (${sql.raw(rollupColumns(spec).join(', '))})
      ${hourSelect(spec, spec.minute, sql`where bucket >= ${tstz(from)} and bucket < ${tstz(to)}`)}`,
  ]);
}

/**
 * Moves the span's minute rows into the hour rows: deletes them and adds their sums (to
 * nothing, if `replace` first cleared the hour rows). The rows added are exactly the row
 * versions deleted, so an ingest adding to a minute row meanwhile is either in them or
 * leaves a row behind for the next move. Rows an unfinished ingest holds are skipped
 * rather than waited for (that ingest may be waiting for this transaction's dirty mark).
 */
export function consumeStatements(from: Date, to: Date, replace: boolean): SQL[] {
  return MINUTE_ROLLUPS.flatMap((spec) => {
    const keys = keyColumns(spec).join(', ');
    // the families computed from these minutes take the same moved rows
    const derived = derivedOf(spec);
    const feed = derived.map((d, i) => sql`, derived_${sql.raw(String(i))} as (
        insert into ${sql.raw(d.hour)} as t (${sql.raw(rollupColumns(d).join(', '))})
        ${hourSelect(d, 'moved')}
        on conflict (${sql.raw(keyColumns(d).join(', '))}) do update set ${sql.raw(mergeSql(d))}
      )`);
    const move = sql`with moved as (
        delete from ${sql.raw(spec.minute)} where (${sql.raw(keys)}) in (
          select ${sql.raw(keys)} from ${sql.raw(spec.minute)}
          where bucket >= ${tstz(from)} and bucket < ${tstz(to)}
          order by ${sql.raw(keys)} for update skip locked)
        returning *
      )${sql.join(feed, sql``)}
      insert into ${sql.raw(spec.hour)} as t (${sql.raw(rollupColumns(spec).join(', '))})
      ${hourSelect(spec, 'moved')}
      on conflict (${sql.raw(keys)}) do update set ${sql.raw(mergeSql(spec))}`;
    return replace ? [...[spec, ...derived].map((s) => deleteHours(s, from, to)), move] : [move];
  });
}

/**
 * Consumes the dirty marks of the span that no unfinished ingest holds. A held mark stays
 * for the next run: its ingest's minutes may not be visible to this transaction yet.
 */
export function consumeDirtySql(from: Date, to: Date): SQL {
  return sql`with gone as (
      delete from rollup_dirty_hours where hour in (
        select hour from rollup_dirty_hours where hour >= ${tstz(from)} and hour < ${tstz(to)}
        order by hour for update skip locked)
      returning 1
    ) select count(*)::int as n from gone`;
}

/** The earliest minute bucket of any minute rollup at or after `from` (index-only per table). */
export function oldestMinuteSql(from: Date | null): SQL {
  const where = from ? sql` where bucket >= ${tstz(from)}` : sql``;
  const parts = MINUTE_ROLLUPS.map((spec) => sql`(select min(bucket) as b from ${sql.raw(spec.minute)}${where})`);
  return sql`select min(b) as oldest from (${sql.join(parts, sql` union all `)}) m`;
}

/** Hours holding minute rows before `before`: left behind where minutes were already pruned. */
export function minuteHoursBeforeSql(before: Date): SQL {
  const parts = MINUTE_ROLLUPS.map((spec) =>
    sql`select distinct ${sql.raw(hourOf('bucket'))} as hour from ${sql.raw(spec.minute)} where bucket < ${tstz(before)}`);
  return sql`select hour from (${sql.join(parts, sql` union `)}) h order by hour`;
}
