import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '@/db/client';
import type { Ctx } from '@/server/context';
import { histogramQuantile } from '@/server/rollups/latency-histogram';
import { fillSteps, histogramSumSql, inList, inRange, num, rangeRows, rollup, stepOf } from './rollup-query';
import { resolveRange } from './time-range';
import { describeRange, rangeInput, rangeOutput, type RangeInput } from './view-range';

export const topInput = rangeInput.extend({ limit: z.number().int().min(1).max(50).default(10) });
type TopInput = z.output<typeof topInput>;

const latencyOutput = { p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() };
const percentiles = (h: readonly number[] | undefined) => ({
  p50: h ? histogramQuantile(h, 0.5) : null,
  p95: h ? histogramQuantile(h, 0.95) : null,
  p99: h ? histogramQuantile(h, 0.99) : null,
});
const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

// ---- stat tiles -----------------------------------------------------------------------------

export const statsOutput = z.object({
  range: rangeOutput,
  requests: z.number(),
  /** requests per second over the part of the range that has passed */
  requestsPerS: z.number(),
  /** 5xx */
  errors: z.number(),
  /** 4xx */
  clientErrors: z.number(),
  errorRate: z.number(),
  ...latencyOutput,
  sensitiveMatches: z.number(),
  sensitiveEvents: z.number(),
  sensitiveClasses: z.number(),
});

/** The headline figures of a range, from the per-service rollups (every request counted once, at its destination). */
export async function overviewStats(ctx: Ctx, input: RangeInput): Promise<z.infer<typeof statsOutput>> {
  const now = ctx.now();
  const range = resolveRange(input.range, now);
  const [totals] = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select sum(requests)::float8 as requests, sum(errors)::float8 as errors, sum(client_errors)::float8 as client_errors,
          ${histogramSumSql} as latency
        from ${rangeRows('service', range)}`,
  );
  const [sensitive] = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select sum(matches)::float8 as matches, sum(events)::float8 as events, count(distinct data_class)::int as classes
        from ${rangeRows('sensitiveEdge', range)}`,
  );
  const requests = num(totals?.requests);
  const errors = num(totals?.errors);
  const elapsedS = Math.max(1, (Math.min(now.getTime(), range.to.getTime()) - range.from.getTime()) / 1000);
  return {
    range: describeRange(range),
    requests,
    requestsPerS: requests / elapsedS,
    errors,
    clientErrors: num(totals?.client_errors),
    errorRate: rate(errors, requests),
    ...percentiles((totals?.latency as unknown[] | undefined)?.map(Number)),
    sensitiveMatches: num(sensitive?.matches),
    sensitiveEvents: num(sensitive?.events),
    sensitiveClasses: num(sensitive?.classes),
  };
}

// ---- time series ----------------------------------------------------------------------------

export const seriesOutput = z.object({
  range: rangeOutput,
  points: z.array(
    z.object({ t: z.number(), requests: z.number(), errors: z.number(), clientErrors: z.number(), ...latencyOutput }),
  ),
});

/** Requests, errors and latency percentiles per chart step; steps without traffic are zeros (latency null). */
export async function overviewSeries(ctx: Ctx, input: RangeInput): Promise<z.infer<typeof seriesOutput>> {
  const range = resolveRange(input.range, ctx.now());
  const counts = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select ${stepOf(range)} as t, sum(requests)::float8 as requests, sum(errors)::float8 as errors,
          sum(client_errors)::float8 as client_errors, ${histogramSumSql} as latency
        from ${rollup('service', range)} where ${inRange(range)} group by 1`,
  );
  const found = counts.map((c) => ({
    t: num(c.t),
    requests: num(c.requests),
    errors: num(c.errors),
    clientErrors: num(c.client_errors),
    ...percentiles((c.latency as unknown[]).map(Number)),
  }));
  const points = fillSteps(range, found, (t) => ({ t, requests: 0, errors: 0, clientErrors: 0, p50: null, p95: null, p99: null }));
  return { range: describeRange(range), points };
}

// ---- top talkers ----------------------------------------------------------------------------

const talker = {
  requests: z.number(),
  errors: z.number(),
  clientErrors: z.number(),
  errorRate: z.number(),
  bytes: z.number(),
  p95: z.number().nullable(),
};
export const topTalkersOutput = z.object({
  edges: z.array(z.object({ src: z.string(), dst: z.string(), ...talker })),
  services: z.array(z.object({ service: z.string(), ...talker })),
});

/** The busiest edges and services of the range, with their error rate and p95 latency. */
export async function topTalkers(ctx: Ctx, input: TopInput): Promise<z.infer<typeof topTalkersOutput>> {
  const range = resolveRange(input.range, ctx.now());
  // Few edges and services, so every group's histogram is summed in the same pass.
  const edges = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select src_service, dst_service, sum(requests)::float8 as requests, sum(errors)::float8 as errors,
          sum(client_errors)::float8 as client_errors, sum(bytes_in + bytes_out)::float8 as bytes, ${histogramSumSql} as latency
        from ${rangeRows('edge', range)}
        group by 1, 2 order by 3 desc, 1, 2 limit ${input.limit}`,
  );
  const services = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select service, sum(requests)::float8 as requests, sum(errors)::float8 as errors,
          sum(client_errors)::float8 as client_errors, sum(bytes_in + bytes_out)::float8 as bytes, ${histogramSumSql} as latency
        from ${rangeRows('service', range)}
        group by 1 order by 2 desc, 1 limit ${input.limit}`,
  );

  const figures = (r: Record<string, unknown>) => ({
    requests: num(r.requests),
    errors: num(r.errors),
    clientErrors: num(r.client_errors),
    errorRate: rate(num(r.errors), num(r.requests)),
    bytes: num(r.bytes),
    p95: histogramQuantile((r.latency as unknown[]).map(Number), 0.95),
  });
  return {
    edges: edges.map((e) => ({ src: String(e.src_service), dst: String(e.dst_service), ...figures(e) })),
    services: services.map((s) => ({ service: String(s.service), ...figures(s) })),
  };
}

// ---- tokens moving sensitive data -----------------------------------------------------------

export const topTokensOutput = z.array(
  z.object({ tokenId: z.string(), matches: z.number(), events: z.number(), classes: z.array(z.string()), requests: z.number() }),
);

/** Tokens ranked by the sensitive-data matches in their traffic, with the classes and their request count. */
export async function topTokens(ctx: Ctx, input: TopInput): Promise<z.infer<typeof topTokensOutput>> {
  const range = resolveRange(input.range, ctx.now());
  // Ranked on the token alone; the classes and requests are looked up for the winners only.
  const top = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select token_id, sum(matches)::float8 as matches, sum(events)::float8 as events
        from ${rangeRows('sensitiveToken', range)}
        group by 1 order by 2 desc, 1 limit ${input.limit}`,
  );
  if (!top.length) return [];
  const ids = inList(top.map((t) => String(t.token_id)));
  const classes = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select token_id, data_class from ${rangeRows('sensitiveToken', range)}
        where token_id in ${ids} group by 1, 2 order by 1, 2`,
  );
  const classesOf = new Map<string, string[]>();
  for (const c of classes) classesOf.set(String(c.token_id), [...(classesOf.get(String(c.token_id)) ?? []), String(c.data_class)]);
  const requests = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select token_id, sum(requests)::float8 as requests from ${rangeRows('token', range)}
        where token_id in ${ids} group by 1`,
  );
  const byToken = new Map(requests.map((r) => [String(r.token_id), num(r.requests)]));
  return top.map((t) => ({
    tokenId: String(t.token_id),
    matches: num(t.matches),
    events: num(t.events),
    classes: classesOf.get(String(t.token_id)) ?? [],
    requests: byToken.get(String(t.token_id)) ?? 0,
  }));
}
