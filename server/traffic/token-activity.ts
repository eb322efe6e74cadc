import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '@/db/client';
import type { Ctx } from '@/server/context';
import { fillSteps, inRange, num, rangeRows, rollup, rollupPair, stepOf } from './rollup-query';
import { resolveRange } from './time-range';
import { describeRange, rangeInput, rangeOutput } from './view-range';

export const tokenInput = rangeInput.extend({
  /** the hashed token id as stored (`meshward.token_id`) */
  tokenId: z.string().trim().min(1).max(256),
});

const traffic = { requests: z.number(), errors: z.number(), clientErrors: z.number() };
export const ROUTES_SHOWN = 200;

export const tokenActivityOutput = z.object({
  tokenId: z.string(),
  range: rangeOutput,
  /** over everything retained, not only the range; null when the token was never seen */
  firstSeen: z.date().nullable(),
  /** start of the last minute (or hour, beyond the minute rollups) with traffic */
  lastSeen: z.date().nullable(),
  totals: z.object({ ...traffic, bytesOut: z.number(), matches: z.number(), sensitiveEvents: z.number() }),
  series: z.array(z.object({ t: z.number(), requests: z.number(), errors: z.number(), matches: z.number() })),
  edges: z.array(z.object({ src: z.string(), dst: z.string(), ...traffic, routes: z.number() })),
  routes: z.array(z.object({ src: z.string(), dst: z.string(), method: z.string(), route: z.string(), ...traffic, bytesOut: z.number() })),
  /** more routes than shown (the busiest ROUTES_SHOWN are) */
  routesTotal: z.number(),
  classes: z.array(z.object({ class: z.string(), direction: z.enum(['request', 'response']), matches: z.number(), events: z.number() })),
});
export type TokenActivity = z.infer<typeof tokenActivityOutput>;

/**
 * What one token did: where it went (edges, routes), which sensitive classes its traffic
 * carried, volume over time, and when it was first and last seen. An unknown token gives an
 * empty answer with `firstSeen` null, not an error: the page says so.
 */
export async function tokenActivity(ctx: Ctx, input: z.output<typeof tokenInput>): Promise<TokenActivity> {
  const range = resolveRange(input.range, ctx.now());
  const id = input.tokenId;
  const tokens = rollup('token', range);
  const sensitive = rollup('sensitiveToken', range);
  const mine = sql`${inRange(range)} and token_id = ${id}`;

  const seen = await firstLastSeen(ctx, id);
  // A busy token calls tens of thousands of routes: the page shows the busiest ROUTES_SHOWN,
  // so only those leave the database; edges (and so the totals) are summed from all of them,
  // in the same statement so the routes are grouped once.
  const [grouped] = await rows<{ routes: Record<string, unknown>[] | null; edges: Record<string, unknown>[] | null }>(
    ctx.db,
    sql`with r as materialized (
          select src_service, dst_service, method, route, sum(requests)::float8 as requests, sum(errors)::float8 as errors,
            sum(client_errors)::float8 as client_errors, sum(bytes_out)::float8 as bytes_out
          from ${rangeRows('token', range)} where token_id = ${id} group by 1, 2, 3, 4)
        select
          (select json_agg(t order by t.requests desc, t.src_service, t.dst_service, t.method, t.route)
            from (select * from r order by requests desc, src_service, dst_service, method, route limit ${ROUTES_SHOWN}) t) as routes,
          (select json_agg(e) from (
            select src_service, dst_service, sum(requests) as requests, sum(errors) as errors, sum(client_errors) as client_errors,
              sum(bytes_out) as bytes_out, count(*) as routes
            from r group by 1, 2) e) as edges`,
  );
  const routes = (grouped?.routes ?? []).map((r) => ({
    src: String(r.src_service),
    dst: String(r.dst_service),
    method: String(r.method),
    route: String(r.route),
    requests: num(r.requests),
    errors: num(r.errors),
    clientErrors: num(r.client_errors),
    bytesOut: num(r.bytes_out),
  }));
  const edgeRows = grouped?.edges ?? [];
  const edges = edgeRows.map((e) => ({
    src: String(e.src_service),
    dst: String(e.dst_service),
    requests: num(e.requests),
    errors: num(e.errors),
    clientErrors: num(e.client_errors),
    routes: num(e.routes),
  }));
  const classRows = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select data_class, direction, sum(matches)::float8 as matches, sum(events)::float8 as events
        from ${rangeRows('sensitiveToken', range)} where token_id = ${id} group by 1, 2 order by 3 desc, 1, 2`,
  );
  const classes = classRows.map((c) => ({
    class: String(c.data_class),
    direction: c.direction === 'request' ? ('request' as const) : ('response' as const),
    matches: num(c.matches),
    events: num(c.events),
  }));

  const requestSteps = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select ${stepOf(range)} as t, sum(requests)::float8 as requests, sum(errors)::float8 as errors
        from ${tokens} where ${mine} group by 1`,
  );
  const matchSteps = await rows<Record<string, unknown>>(
    ctx.db,
    sql`select ${stepOf(range)} as t, sum(matches)::float8 as matches from ${sensitive} where ${mine} group by 1`,
  );
  const matchesAt = new Map(matchSteps.map((m) => [num(m.t), num(m.matches)]));
  const stepsWithRequests = new Set(requestSteps.map((r) => num(r.t)));
  const found = [
    ...requestSteps.map((r) => ({ t: num(r.t), requests: num(r.requests), errors: num(r.errors), matches: matchesAt.get(num(r.t)) ?? 0 })),
    // matches are written with the requests that carried them, but a rollup job may have compacted one family first
    ...matchSteps.filter((m) => !stepsWithRequests.has(num(m.t))).map((m) => ({ t: num(m.t), requests: 0, errors: 0, matches: num(m.matches) })),
  ];

  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);
  return {
    tokenId: id,
    range: describeRange(range),
    ...seen,
    totals: {
      requests: sum(edges, (e) => e.requests),
      errors: sum(edges, (e) => e.errors),
      clientErrors: sum(edges, (e) => e.clientErrors),
      bytesOut: sum(edgeRows, (e) => num(e.bytes_out)),
      matches: sum(classes, (c) => c.matches),
      sensitiveEvents: sum(classes, (c) => c.events),
    },
    series: fillSteps(range, found, (t) => ({ t, requests: 0, errors: 0, matches: 0 })),
    edges: edges.sort((a, b) => b.requests - a.requests || a.src.localeCompare(b.src) || a.dst.localeCompare(b.dst)),
    routes,
    routesTotal: sum(edges, (e) => e.routes),
    classes,
  };
}

/**
 * First and last bucket with traffic in either resolution. The minute rollups are precise
 * but kept only days; the hour ones reach back the retention period, so an hour bucket
 * wins when it starts before the hour of the first minute bucket.
 */
async function firstLastSeen(ctx: Ctx, tokenId: string): Promise<{ firstSeen: Date | null; lastSeen: Date | null }> {
  const { minute, hour } = rollupPair('token');
  const [r] = await rows<{ first_ms: unknown; last_ms: unknown }>(
    ctx.db,
    sql`with m as (select min(bucket) as lo, max(bucket) as hi from ${minute} where token_id = ${tokenId}),
        h as (select min(bucket) as lo, max(bucket) as hi from ${hour} where token_id = ${tokenId})
        select (extract(epoch from case
                  when m.lo is null or h.lo < date_bin('1 hour', m.lo, timestamptz 'epoch') then h.lo else m.lo end) * 1000)::float8 as first_ms,
               (extract(epoch from greatest(m.hi, h.hi)) * 1000)::float8 as last_ms
        from m, h`,
  );
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(num(v)));
  return { firstSeen: at(r?.first_ms), lastSeen: at(r?.last_ms) };
}
