import { sql, type SQL } from 'drizzle-orm';
import {
  edgeHour, edgeMinute, edgeRouteHour, edgeRouteMinute, sensitiveEdgeHour, sensitiveEdgeMinute,
  sensitiveTokenHour, sensitiveTokenMinute, serviceHour, serviceMinute, tokenHour, tokenMinute,
} from '@/db/schema';
import type { Resolution, ResolvedRange } from './time-range';

/** Each rollup family by resolution: the one place a view picks its table. */
const ROLLUPS = {
  edge: { minute: edgeMinute, hour: edgeHour },
  service: { minute: serviceMinute, hour: serviceHour },
  edgeRoute: { minute: edgeRouteMinute, hour: edgeRouteHour },
  token: { minute: tokenMinute, hour: tokenHour },
  sensitiveEdge: { minute: sensitiveEdgeMinute, hour: sensitiveEdgeHour },
  sensitiveToken: { minute: sensitiveTokenMinute, hour: sensitiveTokenHour },
} as const;
export type RollupFamily = keyof typeof ROLLUPS;

/** The table of `family` that serves `range`, as an SQL identifier. */
export function rollup(family: RollupFamily, range: { resolution: Resolution }): SQL {
  return sql`${ROLLUPS[family][range.resolution]}`;
}

/** Both tables of a family, for lookups that ignore the range (first/last seen). */
export function rollupPair(family: RollupFamily): { minute: SQL; hour: SQL } {
  return { minute: sql`${ROLLUPS[family].minute}`, hour: sql`${ROLLUPS[family].hour}` };
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** `bucket` inside the range (bounds are aligned to the resolution, so no bucket is cut). */
export function inRange(range: ResolvedRange): SQL {
  return sql`bucket >= ${ts(range.from)} and bucket < ${ts(range.to)}`;
}

/** The chart step a bucket belongs to, as epoch milliseconds; steps start at `range.from`. */
export function stepOf(range: ResolvedRange): SQL {
  return sql`(extract(epoch from date_bin(make_interval(secs => ${range.stepS}::int), bucket, ${ts(range.from)})) * 1000)::float8`;
}

/** Start of every step of the range (epoch ms), so series have a point where nothing happened. */
export function stepStarts(range: ResolvedRange): number[] {
  const out: number[] = [];
  const step = range.stepS * 1000;
  for (let t = range.from.getTime(); t < range.to.getTime(); t += step) out.push(t);
  return out;
}

/** One point per step: the row for that step, or `zero(t)` where there is none. */
export function fillSteps<T extends { t: number }>(range: ResolvedRange, found: T[], zero: (t: number) => T): T[] {
  const byStep = new Map(found.map((r) => [r.t, r]));
  return stepStarts(range).map((t) => byStep.get(t) ?? zero(t));
}

/**
 * SELECT list that sums the latency histograms of a group element-wise, for a query over
 * `table` grouped by `groupKey` (an SQL expression, possibly a constant). Yields
 * `(key, latency float8[])` rows; `where` narrows the rows summed.
 */
export function histogramsBy(table: SQL, groupKey: SQL, where: SQL): SQL {
  return sql`with h as (
      select ${groupKey} as key, u.i, sum(u.v)::float8 as n
      from ${table} cross join lateral unnest(latency) with ordinality as u(v, i)
      where ${where}
      group by 1, 2
    )
    select key, array_agg(n order by i) as latency from h group by key`;
}

/** Numbers from either engine (PGlite gives bigint as number, node-postgres as string). */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** `(v1, v2, …)` with every value bound as a parameter. */
export function inList(values: readonly string[]): SQL {
  return sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}
