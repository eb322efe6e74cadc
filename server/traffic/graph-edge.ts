import { sql } from 'drizzle-orm';
import type { Ctx } from '@/server/context';
import type { EdgeDetail, EdgeInput } from './graph-schemas';
import { histogramSumSql, jsonRows, latencySummary, share, stepSeries } from './graph-series';
import { inRange, rollup } from './rollup-query';
import { resolveRange } from './time-range';

export const PANEL_ROUTES = 50;
export const PANEL_TOKENS = 20;

/** The side panel of one edge: totals, series, the routes called on it, data classes and top tokens. */
export async function graphEdge(ctx: Ctx, input: EdgeInput): Promise<EdgeDetail> {
  const range = resolveRange(input.range, ctx.now());
  const edge = sql`src_service = ${input.src} and dst_service = ${input.dst}`;
  const when = inRange(range);

  const [totals] = await jsonRows<{
    requests: number | null; errors: number | null; clientErrors: number | null; mtls: number | null;
    bytesIn: number | null; bytesOut: number | null; latency: number[];
  }>(
    ctx.db,
    sql`select sum(requests) as "requests", sum(errors) as "errors", sum(client_errors) as "clientErrors", sum(mtls) as "mtls",
          sum(bytes_in) as "bytesIn", sum(bytes_out) as "bytesOut", ${histogramSumSql} as "latency"
        from ${rollup('edge', range)} where ${when} and ${edge}`,
  );
  const series = await stepSeries(ctx.db, rollup('edge', range), edge, range);
  const routes = await jsonRows<EdgeDetail['routes'][number]>(
    ctx.db,
    sql`select method, route, sum(requests) as "requests", sum(errors) as "errors", sum(client_errors) as "clientErrors", sum(bytes_out) as "bytesOut"
        from ${rollup('edgeRoute', range)} where ${when} and ${edge}
        group by method, route order by 3 desc, route, method limit ${PANEL_ROUTES}`,
  );
  const classes = await jsonRows<EdgeDetail['classes'][number]>(
    ctx.db,
    sql`select data_class as "dataClass", direction, sum(matches) as "matches", sum(events) as "events"
        from ${rollup('sensitiveEdge', range)} where ${when} and ${edge}
        group by data_class, direction order by 3 desc, 1, 2`,
  );
  const tokens = await jsonRows<EdgeDetail['tokens'][number]>(
    ctx.db,
    sql`select token_id as "tokenId", sum(requests) as "requests", sum(errors) as "errors", count(distinct (method, route)) as "routes"
        from ${rollup('token', range)} where ${when} and ${edge}
        group by token_id order by 2 desc, 1 limit ${PANEL_TOKENS}`,
  );

  const n = (v: number | null | undefined) => Number(v ?? 0);
  const requests = n(totals?.requests);
  return {
    range,
    src: input.src,
    dst: input.dst,
    totals: {
      requests,
      errors: n(totals?.errors),
      clientErrors: n(totals?.clientErrors),
      errorRate: share(n(totals?.errors), requests),
      bytesIn: n(totals?.bytesIn),
      bytesOut: n(totals?.bytesOut),
      mtlsShare: share(n(totals?.mtls), requests),
      ...latencySummary(totals?.latency),
    },
    series,
    routes: routes.map((r) => ({ ...r, requests: n(r.requests), errors: n(r.errors), clientErrors: n(r.clientErrors), bytesOut: n(r.bytesOut) })),
    classes: classes.map((c) => ({ ...c, matches: n(c.matches), events: n(c.events) })),
    tokens: tokens.map((k) => ({ ...k, requests: n(k.requests), errors: n(k.errors), routes: n(k.routes) })),
  };
}
