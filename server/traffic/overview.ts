import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '@/db/client';
import type { Ctx } from '@/server/context';
import { histogramQuantile } from '@/server/rollups/latency-histogram';
import { fillSteps, histogramsBy, inList, inRange, num, rollup, stepOf } from './rollup-query';
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
    sql`select sum(requests)::float8 as requests, sum(errors)::float8 as errors, sum(client_errors)::float8 as client_errors
        from ${rollup('service', range)} where ${inRange(range)}`,
  );
  const [hist] = await rows<{ latency: number[] }>(ctx.db, histogramsBy(rollup('service', range), sql`0`, inRange(range)));
  const [sensitive] = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select sum(matches)::float8 as matches, sum(events)::float8 as events, count(distinct data_class)::int as classes
        from ${rollup('sensitiveEdge', range)} where ${inRange(range)}`,
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
    ...percentiles(hist?.latency.map(Number)),
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
  const table = rollup('service', range);
  const counts = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select ${stepOf(range)} as t, sum(requests)::float8 as requests, sum(errors)::float8 as errors,
          sum(client_errors)::float8 as client_errors
        from ${table} where ${inRange(range)} group by 1`,
  );
  const hists = await rows<{ key: unknown; latency: number[] }>(ctx.db, histogramsBy(table, stepOf(range), inRange(range)));
  const latency = new Map(hists.map((h) => [num(h.key), h.latency.map(Number)]));
  const found = counts.map((c) => ({
    t: num(c.t),
    requests: num(c.requests),
    errors: num(c.errors),
    clientErrors: num(c.client_errors),
    ...percentiles(latency.get(num(c.t))),
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

// A separator that cannot occur in a service name, to key an edge in one text value.
const EDGE_KEY_SEP = '\u001f';

/** The busiest edges and services of the range, with their error rate and p95 latency. */
export async function topTalkers(ctx: Ctx, input: TopInput): Promise<z.infer<typeof topTalkersOutput>> {
  const range = resolveRange(input.range, ctx.now());
  const edgeTable = rollup('edge', range);
  const edges = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select src_service, dst_service, sum(requests)::float8 as requests, sum(errors)::float8 as errors,
          sum(client_errors)::float8 as client_errors, sum(bytes_in + bytes_out)::float8 as bytes
        from ${edgeTable} where ${inRange(range)}
        group by 1, 2 order by 3 desc, 1, 2 limit ${input.limit}`,
  );
  const edgeKeys = edges.map((e) => `${e.src_service}${EDGE_KEY_SEP}${e.dst_service}`);
  const edgeKey = sql`src_service || ${EDGE_KEY_SEP}::text || dst_service`;
  const edgeP95 = edgeKeys.length
    ? await p95By(ctx, histogramsBy(edgeTable, edgeKey, sql`${inRange(range)} and ${edgeKey} in ${inList(edgeKeys)}`))
    : new Map<string, number | null>();

  const serviceTable = rollup('service', range);
  const services = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select service, sum(requests)::float8 as requests, sum(errors)::float8 as errors,
          sum(client_errors)::float8 as client_errors, sum(bytes_in + bytes_out)::float8 as bytes
        from ${serviceTable} where ${inRange(range)}
        group by 1 order by 2 desc, 1 limit ${input.limit}`,
  );
  const names = services.map((s) => String(s.service));
  const serviceP95 = names.length
    ? await p95By(ctx, histogramsBy(serviceTable, sql`service`, sql`${inRange(range)} and service in ${inList(names)}`))
    : new Map<string, number | null>();

  const figures = (r: Record<string, unknown>, p95: number | null | undefined) => ({
    requests: num(r.requests),
    errors: num(r.errors),
    clientErrors: num(r.client_errors),
    errorRate: rate(num(r.errors), num(r.requests)),
    bytes: num(r.bytes),
    p95: p95 ?? null,
  });
  return {
    edges: edges.map((e, i) => ({ src: String(e.src_service), dst: String(e.dst_service), ...figures(e, edgeP95.get(edgeKeys[i])) })),
    services: services.map((s) => ({ service: String(s.service), ...figures(s, serviceP95.get(String(s.service))) })),
  };
}

async function p95By(ctx: Ctx, query: ReturnType<typeof sql>): Promise<Map<string, number | null>> {
  const found = await rows<{ key: unknown; latency: number[] }>(ctx.db, query);
  return new Map(found.map((h) => [String(h.key), histogramQuantile(h.latency.map(Number), 0.95)]));
}

// ---- tokens moving sensitive data -----------------------------------------------------------

export const topTokensOutput = z.array(
  z.object({ tokenId: z.string(), matches: z.number(), events: z.number(), classes: z.array(z.string()), requests: z.number() }),
);

/** Tokens ranked by the sensitive-data matches in their traffic, with the classes and their request count. */
export async function topTokens(ctx: Ctx, input: TopInput): Promise<z.infer<typeof topTokensOutput>> {
  const range = resolveRange(input.range, ctx.now());
  const top = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select token_id, sum(matches)::float8 as matches, sum(events)::float8 as events,
          array_agg(distinct data_class order by data_class) as classes
        from ${rollup('sensitiveToken', range)} where ${inRange(range)}
        group by 1 order by 2 desc, 1 limit ${input.limit}`,
  );
  if (!top.length) return [];
  const ids = top.map((t) => String(t.token_id));
  const requests = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select token_id, sum(requests)::float8 as requests from ${rollup('token', range)}
        where ${inRange(range)} and token_id in ${inList(ids)} group by 1`,
  );
  const byToken = new Map(requests.map((r) => [String(r.token_id), num(r.requests)]));
  return top.map((t) => ({
    tokenId: String(t.token_id),
    matches: num(t.matches),
    events: num(t.events),
    classes: (t.classes as string[]).map(String),
    requests: byToken.get(String(t.token_id)) ?? 0,
  }));
}
