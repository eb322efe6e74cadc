import { sql, type SQL } from 'drizzle-orm';
import { LATENCY_BOUNDS_MS, LATENCY_BUCKETS } from './latency-histogram';
import { MINUTE_ROLLUPS, type RollupSpec } from './specs';

/**
 * Buckets are cut with date_bin from a fixed UTC origin: date_trunc would follow the
 * session's time zone, and hours of zones with a half-hour offset would be cut wrong.
 */
export const BUCKET_ORIGIN = `timestamptz '2000-01-01 00:00:00+00'`;
export const minuteOf = (ts: string) => `date_bin('1 minute', ${ts}, ${BUCKET_ORIGIN})`;
export const hourOf = (ts: string) => `date_bin('1 hour', ${ts}, ${BUCKET_ORIGIN})`;

/** Index of a duration's latency bucket (latencyBucket() in SQL); NULL for a NULL duration. */
export const latencyBucketSql = (durationMs: string) =>
  `width_bucket(${durationMs}, array[${LATENCY_BOUNDS_MS.join(',')}]::float8[])`;

/**
 * A sensitive match's count is capped in the rollups: a sender claiming billions of matches
 * in one event would overflow the int counters and fail the whole group of batches. The
 * event itself keeps the claimed count.
 */
export const MAX_MATCH_COUNT = 1_000_000;

/** What the `ins` CTE (the INSERT into access_events) returns for the rollups to read. */
export const INSERTED_COLUMNS = [
  'proxy_id', 'ts', `${minuteOf('ts')} as bucket`, 'src_service', 'dst_service', 'method', 'route', 'token_id',
  'status', 'mtls', 'bytes_in', 'bytes_out', 'duration_ms', `${latencyBucketSql('duration_ms')} as lb`, 'sensitive',
].join(', ');

/**
 * Each inserted event's sensitive matches, one row per class and direction: `matches` sums
 * the counts of that class and direction in the event, so `count(*)` over these rows counts
 * events.
 */
const SENSITIVE_ROWS = `sensitive_rows as (
      select e.bucket, e.src_service, e.dst_service, e.token_id, m.data_class, m.direction, m.matches
      from ins e cross join lateral (
        select x.class as data_class, x.direction, sum(least(x.count, ${MAX_MATCH_COUNT})) as matches
        from jsonb_to_recordset(e.sensitive) as x(class text, direction text, count bigint)
        where x.class is not null and x.direction is not null
        group by 1, 2
      ) m
      where e.sensitive is not null
    )`;

/**
 * Element-wise sum of two latency histograms as one array expression: every histogram the
 * rollups write has LATENCY_BUCKETS elements, and spelling them out costs a fraction of a
 * PL/pgSQL loop (mw_add_int_arrays), which the ingest statement would call for every rollup
 * row it adds to.
 */
export function addHistogramsSql(a: string, b: string): string {
  return `array[${Array.from({ length: LATENCY_BUCKETS }, (_, k) => `coalesce(${a}[${k + 1}], 0) + coalesce(${b}[${k + 1}], 0)`).join(', ')}]::int[]`;
}

/** `set` clauses that add `excluded` (the incoming partial row) to the stored row `t`. */
export function mergeSql(spec: RollupSpec): string {
  return spec.measures
    .map((m) => m.merge === 'histogram'
      ? `${m.column} = ${addHistogramsSql(`t.${m.column}`, `excluded.${m.column}`)}`
      : `${m.column} = t.${m.column} + excluded.${m.column}`)
    .join(', ');
}

/**
 * An upsert that adds the source rows to a minute table. Rows go in key order, so concurrent
 * writers lock shared rows in the same order and cannot deadlock.
 */
function minuteUpsert(spec: RollupSpec): string {
  const keys = ['bucket', ...spec.keys.map(([column]) => column)];
  const positions = keys.map((_, i) => i + 1).join(', ');
  const select = ['bucket', ...spec.keys.map(([column, from]) => (from === column ? column : `${from} as ${column}`))];
  return `${spec.name}_minute as (
      insert into ${spec.minute} as t (${[...keys, ...spec.measures.map((m) => m.column)].join(', ')})
      select ${[...select, ...spec.measures.map((m) => m.aggregate)].join(', ')}
      from ${spec.source === 'events' ? 'ins' : 'sensitive_rows'}
      ${spec.where ? `where ${spec.where}` : ''}
      group by ${positions} order by ${positions}
      on conflict (${keys.join(', ')}) do update set ${mergeSql(spec)}
    )`;
}

/**
 * The CTEs (each led by a comma) that add the events of the `ins` CTE to every minute
 * rollup. Built once: the statement text is the same for every group.
 */
export const MINUTE_ROLLUP_CTES = [SENSITIVE_ROWS, ...MINUTE_ROLLUPS.map(minuteUpsert)].map((cte) => `, ${cte}`).join('\n    ');

/**
 * Events older than this before the writer's clock mark their hour for the compaction job,
 * whose regular sweep covers only the hours from a little before its previous run.
 */
export const LATE_EVENT_MS = 10 * 60_000;

/**
 * The CTE that marks the hours of events older than `lateBefore`. Only statements with such
 * events carry it, so the usual statement never touches (or waits for) rollup_dirty_hours.
 *
 * `do update` rather than `do nothing`: it locks an existing mark until this statement
 * commits, so the compaction job (which consumes only unlocked marks) cannot consume the
 * mark before it can see these minutes (server/rollups/compact.ts).
 */
export function dirtyHoursCte(lateBefore: Date): SQL {
  return sql`, dirty_hours as (
      insert into rollup_dirty_hours (hour)
      select distinct ${sql.raw(hourOf('ts'))} from ins where ts < ${lateBefore.toISOString()}::timestamptz
      order by 1
      on conflict (hour) do update set hour = excluded.hour
    )`;
}
