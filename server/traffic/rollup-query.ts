import { sql, type SQL } from 'drizzle-orm';
import {
  edgeHour, edgeMinute, edgeRouteHour, edgeRouteMinute, sensitiveEdgeHour, sensitiveEdgeMinute,
  sensitiveTokenHour, sensitiveTokenMinute, serviceHour, serviceMinute, tokenEdgeHour, tokenHour, tokenMinute,
} from '@/db/schema';
import { LATENCY_BUCKETS } from '@/server/rollups/latency-histogram';
import type { Resolution, ResolvedRange } from './time-range';

/** Each rollup family by resolution: the one place a view picks its table. */
const ROLLUPS = {
  edge: { minute: edgeMinute, hour: edgeHour },
  service: { minute: serviceMinute, hour: serviceHour },
  edgeRoute: { minute: edgeRouteMinute, hour: edgeRouteHour },
  token: { minute: tokenMinute, hour: tokenHour },
  // token_edge has no minute table: its minutes are token_minute's rows without the route
  tokenEdge: {
    minute: sql`(select bucket, dst_service, src_service, token_id, requests, errors from ${tokenMinute}) as token_edge_minute`,
    hour: tokenEdgeHour,
  },
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

const HOUR_MS = 3600_000;

/**
 * The rows of `family` inside `range`, as a FROM item (`… as r`), for totals: top lists,
 * tiles, tables, anything that is not per chart step. Whole hours come from the hour table
 * and only the partial hours at either end from the minute table, so a 6 h range reads about
 * 5 hour rows and 60 minute rows per key instead of 360 minute rows. The sums are the same:
 * the rollup job (server/rollups/compact.ts) recomputes hour rows from the minutes every
 * minute, the current hour included; and the open end of a range is a partial hour, read
 * from the minutes, so it is as fresh as they are. Both tables of a family have the same
 * columns, in the same order.
 */
export function rangeRows(family: RollupFamily, range: ResolvedRange): SQL {
  const { minute, hour } = ROLLUPS[family];
  const between = (from: number, to: number) => sql`bucket >= ${ts(new Date(from))} and bucket < ${ts(new Date(to))}`;
  const from = range.from.getTime();
  const to = range.to.getTime();
  const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
  const lastHour = Math.floor(to / HOUR_MS) * HOUR_MS;
  if (range.resolution === 'hour') return sql`(select * from ${hour} where ${between(from, to)}) as r`;
  if (firstHour >= lastHour) return sql`(select * from ${minute} where ${between(from, to)}) as r`;
  const parts = [sql`select * from ${hour} where ${between(firstHour, lastHour)}`];
  if (from < firstHour) parts.push(sql`select * from ${minute} where ${between(from, firstHour)}`);
  if (lastHour < to) parts.push(sql`select * from ${minute} where ${between(lastHour, to)}`);
  return sql`(${sql.join(parts, sql` union all `)}) as r`;
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

/** `array[sum(latency[1]), …]`: the element-wise sum of the histograms of a group, in one pass. */
export const histogramSumSql: SQL = sql.raw(
  `array[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => `coalesce(sum(latency[${i + 1}]), 0)`).join(', ')}]`,
);

/** Numbers from either engine (PGlite gives bigint as number, node-postgres as string). */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** `(v1, v2, …)` with every value bound as a parameter. */
export function inList(values: readonly string[]): SQL {
  return sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}
