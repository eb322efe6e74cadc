import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import { histogramQuantile } from '@/server/rollups/latency-histogram';
import type { SeriesPoint } from './graph-schemas';
import { fillSteps, histogramSumSql, inRange, stepOf } from './rollup-query';
import type { ResolvedRange } from './time-range';

/** part / whole, or null when there is no whole. */
export const share = (part: number, whole: number): number | null => (whole > 0 ? Math.min(1, part / whole) : null);

/**
 * The rows of `query` as plain JSON: counts come back as numbers on both engines (PGlite
 * returns bigint sums as numbers, PostgreSQL as strings), in the query's order.
 */
export async function jsonRows<T>(db: Db, query: SQL): Promise<T[]> {
  const [r] = await rows<{ r: T[] }>(db, sql`select coalesce(json_agg(q), '[]'::json) as r from (${query}) q`);
  return r.r;
}

export function latencySummary(histogram: readonly number[] | null | undefined) {
  const h = (histogram ?? []).map(Number);
  return { p50Ms: histogramQuantile(h, 0.5), p95Ms: histogramQuantile(h, 0.95), p99Ms: histogramQuantile(h, 0.99) };
}

/**
 * Requests, 5xx and p95 per chart step from a rollup table with `requests`, `errors` and
 * `latency` columns, restricted by `where`. Every step of the range is present (zero when
 * quiet), so charts show gaps as gaps.
 */
export async function stepSeries(db: Db, table: SQL, where: SQL, range: ResolvedRange): Promise<SeriesPoint[]> {
  const found = await jsonRows<{ t: number; requests: number; errors: number; latency: number[] | null }>(
    db,
    sql`select ${stepOf(range)} as t, sum(requests) as requests, sum(errors) as errors, ${histogramSumSql} as latency
        from ${table} where ${inRange(range)} and ${where}
        group by 1 order by 1`,
  );
  const steps = fillSteps(range, found.map((p) => ({ ...p, t: Number(p.t) })), (t) => ({ t, requests: 0, errors: 0, latency: null }));
  return steps.map((p) => ({
    t: new Date(p.t),
    requests: Number(p.requests),
    errors: Number(p.errors),
    p95Ms: p.latency ? histogramQuantile(p.latency.map(Number), 0.95) : null,
  }));
}
