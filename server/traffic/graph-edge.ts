import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '@/db/client';
import type { Ctx } from '@/server/context';
import type { EdgeDetail, EdgeInput } from './graph-schemas';
import { jsonRows, latencySummary, share, stepSeries } from './graph-series';
import { histogramSumSql, inList, rangeRows, rollup } from './rollup-query';
import { resolveRange, type ResolvedRange } from './time-range';

export const PANEL_ROUTES = 50;
export const PANEL_TOKENS = 20;

/** The side panel of one edge: totals, series, the routes called on it, data classes and top tokens. */
export async function graphEdge(ctx: Ctx, input: EdgeInput): Promise<EdgeDetail> {
  const range = resolveRange(input.range, ctx.now());
  const edge = sql`src_service = ${input.src} and dst_service = ${input.dst}`;

  const [totals] = await jsonRows<{
    requests: number | null; errors: number | null; clientErrors: number | null; mtls: number | null;
    bytesIn: number | null; bytesOut: number | null; latency: number[];
  }>(
    ctx.db,
    sql`select sum(requests) as "requests", sum(errors) as "errors", sum(client_errors) as "clientErrors", sum(mtls) as "mtls",
          sum(bytes_in) as "bytesIn", sum(bytes_out) as "bytesOut", ${histogramSumSql} as "latency"
        from ${rangeRows('edge', range)} where ${edge}`,
  );
  const series = await stepSeries(ctx.db, rollup('edge', range), edge, range);
  const routes = await jsonRows<EdgeDetail['routes'][number]>(
    ctx.db,
    sql`select method, route, sum(requests) as "requests", sum(errors) as "errors", sum(client_errors) as "clientErrors", sum(bytes_out) as "bytesOut"
        from ${rangeRows('edgeRoute', range)} where ${edge}
        group by method, route order by 3 desc, route, method limit ${PANEL_ROUTES}`,
  );
  const classes = await jsonRows<EdgeDetail['classes'][number]>(
    ctx.db,
    sql`select data_class as "dataClass", direction, sum(matches) as "matches", sum(events) as "events"
        from ${rangeRows('sensitiveEdge', range)} where ${edge}
        group by data_class, direction order by 3 desc, 1, 2`,
  );
  const tokens = await panelTokens(ctx.db, range, edge);

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
    tokens,
  };
}

type PanelToken = EdgeDetail['tokens'][number];

/**
 * The PANEL_TOKENS busiest tokens among the token rollup rows matching `where` (over
 * `src_service` and `dst_service`), with how many routes each called. Ranked from token_edge,
 * which holds the same sums without the route, so a busy service's many token × route rows
 * are never summed; only the winners' routes are then counted, by token.
 */
export async function panelTokens(db: Db, range: ResolvedRange, where: SQL): Promise<PanelToken[]> {
  const top = await jsonRows<Omit<PanelToken, 'routes'>>(
    db,
    sql`select token_id as "tokenId", sum(requests) as "requests", sum(errors) as "errors"
        from ${rangeRows('tokenEdge', range)} where ${where}
        group by 1 order by 2 desc, 1 limit ${PANEL_TOKENS}`,
  );
  if (!top.length) return [];
  const routes = await jsonRows<{ tokenId: string; routes: number }>(
    db,
    sql`select token_id as "tokenId", count(*) as "routes"
        from (select token_id from ${rangeRows('token', range)}
              where ${where} and token_id in ${inList(top.map((t) => t.tokenId))} group by token_id, method, route) g
        group by 1`,
  );
  const routesOf = new Map(routes.map((r) => [r.tokenId, Number(r.routes)]));
  return top.map((t) => ({ tokenId: t.tokenId, requests: Number(t.requests ?? 0), errors: Number(t.errors ?? 0), routes: routesOf.get(t.tokenId) ?? 0 }));
}
