import { sql } from 'drizzle-orm';
import type { Ctx } from '@/server/context';
import { PANEL_ROUTES, panelTokens } from './graph-edge';
import type { NodeDetail, NodeInput } from './graph-schemas';
import { EXTERNAL, namespaceOf } from './graph-names';
import { jsonRows, latencySummary, share, stepSeries } from './graph-series';
import { histogramSumSql, rangeRows, rollup } from './rollup-query';
import { resolveRange } from './time-range';

export const PANEL_NEIGHBOURS = 100;

type Neighbour = { service: string; requests: number; errors: number; mtls: number };

/**
 * The side panel of one service: what it served (totals, latency, series, its routes and the
 * tokens that called it), whom it talks to either way, and the data classes on those edges.
 * A service that serves nothing (`external`) gets the series of what it sent instead.
 */
export async function graphNode(ctx: Ctx, input: NodeInput): Promise<NodeDetail> {
  const range = resolveRange(input.range, ctx.now());
  const svc = input.service;
  const n = (v: number | null | undefined) => Number(v ?? 0);

  const [served] = await jsonRows<{ requests: number | null; errors: number | null; latency: number[] }>(
    ctx.db,
    sql`select sum(requests) as "requests", sum(errors) as "errors", ${histogramSumSql} as "latency"
        from ${rangeRows('service', range)} where service = ${svc}`,
  );
  const neighbours = (mine: 'src_service' | 'dst_service', theirs: 'src_service' | 'dst_service') =>
    jsonRows<Neighbour>(
      ctx.db,
      sql`select ${sql.identifier(theirs)} as "service", sum(requests) as "requests", sum(errors) as "errors", sum(mtls) as "mtls"
          from ${rangeRows('edge', range)} where ${sql.identifier(mine)} = ${svc}
          group by 1 order by 2 desc, 1 limit ${PANEL_NEIGHBOURS}`,
    );
  const inbound = await neighbours('dst_service', 'src_service');
  const outbound = await neighbours('src_service', 'dst_service');
  // The neighbour lists are capped; the total is not.
  const [sent] = await jsonRows<{ requests: number | null }>(
    ctx.db,
    sql`select sum(requests) as "requests" from ${rangeRows('edge', range)} where src_service = ${svc}`,
  );
  const requestsOut = n(sent?.requests);
  const servesNothing = n(served?.requests) === 0 && requestsOut > 0;
  const series = servesNothing
    ? await stepSeries(ctx.db, rollup('edge', range), sql`src_service = ${svc}`, range)
    : await stepSeries(ctx.db, rollup('service', range), sql`service = ${svc}`, range);
  const routes = await jsonRows<NodeDetail['routes'][number]>(
    ctx.db,
    sql`select method, route, sum(requests) as "requests", sum(errors) as "errors", sum(client_errors) as "clientErrors", sum(bytes_out) as "bytesOut"
        from ${rangeRows('edgeRoute', range)} where dst_service = ${svc}
        group by method, route order by 3 desc, route, method limit ${PANEL_ROUTES}`,
  );
  const classes = await jsonRows<NodeDetail['classes'][number]>(
    ctx.db,
    sql`select case when dst_service = ${svc} then 'inbound' else 'outbound' end as "side",
          data_class as "dataClass", direction, sum(matches) as "matches", sum(events) as "events"
        from ${rangeRows('sensitiveEdge', range)} where (dst_service = ${svc} or src_service = ${svc})
        group by 1, 2, 3 order by 4 desc, 2, 3, 1`,
  );
  const tokens = await panelTokens(ctx.db, range, sql`dst_service = ${svc}`);
  const clusters = await jsonRows<{ cluster: string }>(
    ctx.db,
    sql`select distinct cluster from proxies where service = ${svc} and cluster is not null order by 1`,
  );

  const neighbourRow = (r: Neighbour) => ({
    service: r.service,
    requests: n(r.requests),
    errors: n(r.errors),
    errorRate: share(n(r.errors), n(r.requests)),
    mtlsShare: share(n(r.mtls), n(r.requests)),
  });
  const requestsIn = n(served?.requests);
  return {
    range,
    service: svc,
    namespace: namespaceOf(svc),
    clusters: clusters.map((c) => c.cluster),
    external: svc === EXTERNAL,
    seriesOf: servesNothing ? 'outbound' : 'inbound',
    totals: {
      requestsIn,
      errorsIn: n(served?.errors),
      errorRate: share(n(served?.errors), requestsIn),
      requestsOut,
      ...latencySummary(served?.latency),
    },
    series,
    inbound: inbound.map(neighbourRow),
    outbound: outbound.map(neighbourRow),
    routes: routes.map((r) => ({ ...r, requests: n(r.requests), errors: n(r.errors), clientErrors: n(r.clientErrors), bytesOut: n(r.bytesOut) })),
    classes: classes.map((c) => ({ ...c, matches: n(c.matches), events: n(c.events) })),
    tokens,
  };
}
