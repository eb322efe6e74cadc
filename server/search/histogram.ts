// The histogram above the result table of `/search`: matches per round interval, for brush-to-zoom.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '@/db/client';
import { accessEvents as ae } from '@/db/schema/access-events';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { boundedRead } from './bounded';
import { rollupCountsSql, rollupPlan } from './histogram-rollups';
import { compileQuery, parse } from './query';
import { scopeInput, searchScope, type SearchOptions } from './scope';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
/** Round intervals, so a bucket starts at a time a person reads at a glance (and the brush snaps to). */
export const INTERVALS_MS = [S, 5 * S, 10 * S, 30 * S, MIN, 5 * MIN, 15 * MIN, H, 6 * H, 24 * H] as const;

export const histogramInput = scopeInput.extend({ buckets: z.number().int().min(10).max(200).default(60) });
export type HistogramInput = z.input<typeof histogramInput>;

export const histogramOutput = z.object({
  intervalMs: z.number(),
  /** `t`: bucket start (ms since epoch, UTC); `errors`: 5xx, as on the overview */
  buckets: z.array(z.object({ t: z.number(), count: z.number(), errors: z.number() })),
  total: z.number(),
});
export type HistogramOutput = z.infer<typeof histogramOutput>;

/**
 * The buckets covering [from, to) at `interval`: aligned to multiples of it since the epoch
 * (UTC midnight for days), so the first may start before `from`; only events in range count.
 */
export function bucketStarts(from: Date, to: Date, intervalMs: number): number[] {
  const starts: number[] = [];
  for (let t = Math.floor(from.getTime() / intervalMs) * intervalMs; t < to.getTime(); t += intervalMs) starts.push(t);
  return starts;
}

/** The smallest round interval that covers the range in at most `max` buckets. */
export function chooseInterval(from: Date, to: Date, max: number): number {
  const fits = (iv: number) => Math.ceil(to.getTime() / iv) - Math.floor(from.getTime() / iv) <= max;
  const iv = INTERVALS_MS.find(fits);
  if (iv === undefined) throw new DomainError('BAD_REQUEST', `The time range is too long for ${max} daily buckets: shorten it or ask for more buckets`);
  return iv;
}

/**
 * Matches and 5xx per bucket. Whole minutes the rollups can count (histogram-rollups.ts,
 * rollupPlan) are read from service_minute / edge_minute, the rest from raw events: the
 * histogram of a plain or service/caller/status-class query over a day reads about 1,440
 * rollup rows per service and the events of at most two part-minutes instead of every event
 * (at `to` = now, of the last minute only those after now). Same result, to the event.
 */
export async function searchHistogram(ctx: Ctx, raw: HistogramInput, opts: SearchOptions = {}): Promise<HistogramOutput> {
  const input = histogramInput.parse(raw);
  const scope = searchScope(input, opts);
  const intervalMs = chooseInterval(input.from, input.to, input.buckets);
  const plan = rollupPlan(parse(input.q), input.from, input.to, intervalMs, { now: ctx.now(), retentionDays: opts.retentionDays });
  const bin = (ts: SQL) => sql`(extract(epoch from date_bin(${`${intervalMs / 1000} seconds`}::interval, ${ts}, timestamptz '1970-01-01 00:00:00+00')) * 1000)::float8`;
  // the events matching `where`, counted per bucket, or taken away (the parts of rollup minutes outside the range)
  const events = (where: SQL, sign: 1 | -1 = 1) => {
    const minus = sql.raw(sign < 0 ? '-' : '');
    return sql`select ${bin(sql`${ae.ts}`)} as t, ${minus}count(*) as count, ${minus}count(*) filter (where ${ae.status} >= 500) as errors
      from ${ae} where ${where} group by 1`;
  };
  const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
  const matches = plan && compileQuery(input.q);
  const parts = plan
    ? [rollupCountsSql(plan, bin), ...plan.events.map((e) => events(sql`${ae.ts} >= ${at(e.from)} and ${ae.ts} < ${at(e.to)} and ${matches}`, e.sign))]
    : [events(scope)];
  const found = await ctx.db.transaction((tx) =>
    boundedRead(tx, () =>
      rows<{ t: number; count: number; errors: number }>(tx, parts.length === 1
        ? sql`select t, count::float8 as count, errors::float8 as errors from (${parts[0]}) p`
        : sql`select t, sum(count)::float8 as count, sum(errors)::float8 as errors
            from (${sql.join(parts.map((p) => sql`(${p})`), sql` union all `)}) p group by t`),
    ),
  );
  const byStart = new Map(found.map((r) => [Number(r.t), r]));
  const buckets = bucketStarts(input.from, input.to, intervalMs).map((t) => {
    const r = byStart.get(t);
    return { t, count: r ? Number(r.count) : 0, errors: r ? Number(r.errors) : 0 };
  });
  return { intervalMs, buckets, total: buckets.reduce((n, b) => n + b.count, 0) };
}
