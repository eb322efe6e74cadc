import { sql, type SQL } from 'drizzle-orm';
import { rows } from '@/db/client';
import type { Ctx } from '@/server/context';
import type { Topology, TopologyEdge, TopologyInput, TopologyNode } from './graph-schemas';
import { EXTERNAL, namespaceOf, namespaceSql } from './graph-names';
import { share } from './graph-series';
import { inRange, rollup } from './rollup-query';
import { resolveRange } from './time-range';

interface EdgeRow {
  src: string;
  dst: string;
  requests: number;
  errors: number;
  mtls: number;
  classes: Array<{ dataClass: string; matches: number }> | null;
}
interface NodeRow {
  svc: string;
  requestsIn: number;
  errorsIn: number;
  requestsOut: number;
  clusters: string[] | null;
}
interface Answer {
  edges: EdgeRow[];
  nodes: NodeRow[];
  totalNodes: number;
  totalEdges: number;
  totalRequests: number;
  namespaces: Array<{ name: string; services: number }>;
  classes: string[];
}

/**
 * The service graph of a range: every edge aggregated over the rollup buckets, filtered
 * (namespace, data class, minimum volume) and cut to the busiest `limit` edges inside the
 * database, so a large mesh never ships whole. One statement: the aggregate is computed once
 * and the answer comes back as one JSON document (no bigint-as-string differences between
 * engines). Edges carry only what the picture draws: latency, bytes and 4xx are in the edge
 * panel's own query, and summing histograms and shipping them for 5,000 edges cost more than
 * the rest of the answer together.
 */
export async function graphTopology(ctx: Ctx, input: TopologyInput): Promise<Topology> {
  const range = resolveRange(input.range, ctx.now());
  const when = inRange(range);

  const filters: SQL[] = [sql`requests >= ${input.minRequests}`];
  if (input.namespaces.length) {
    const list = sql.join(input.namespaces.map((n) => sql`${n}`), sql`, `);
    filters.push(sql`(${namespaceSql(sql`src`)} in (${list}) or ${namespaceSql(sql`dst`)} in (${list}))`);
  }
  if (input.dataClass) {
    filters.push(sql`exists (select 1 from classes c where c.src = agg.src and c.dst = agg.dst and c.data_class = ${input.dataClass})`);
  }

  const [{ answer }] = await rows<{ answer: Answer }>(
    ctx.db,
    sql`with agg as (
      select src_service as src, dst_service as dst, sum(requests) as requests, sum(errors) as errors, sum(mtls) as mtls
      from ${rollup('edge', range)} where ${when}
      group by 1, 2
    ), classes as (
      select src_service as src, dst_service as dst, data_class, sum(matches) as matches
      from ${rollup('sensitiveEdge', range)} where ${when}
      group by 1, 2, 3
    ), kept as (
      select * from agg where ${sql.join(filters, sql` and `)}
    ), ranked as (
      select * from kept order by requests desc, src, dst limit ${input.limit}
    ), shown as (
      select src as svc from ranked union select dst from ranked
    ), edge_classes as (
      select src, dst, json_agg(json_build_object('dataClass', data_class, 'matches', matches) order by matches desc, data_class) as list
      from classes group by src, dst
    ), node_in as (
      select dst as svc, sum(requests) as requests, sum(errors) as errors from agg group by dst
    ), node_out as (
      select src as svc, sum(requests) as requests from agg group by src
    ), node_clusters as (
      select service as svc, array_agg(distinct cluster order by cluster) as clusters
      from proxies where cluster is not null and service in (select svc from shown) group by service
    ), services as materialized (
      -- materialized: the namespace regex then runs once per service, not once per edge end
      select src as svc from agg union select dst from agg
    )
    select json_build_object(
      'edges', (select coalesce(json_agg(json_build_object(
          'src', r.src, 'dst', r.dst, 'requests', r.requests, 'errors', r.errors,
          'mtls', r.mtls, 'classes', ec.list)
          order by r.requests desc, r.src, r.dst), '[]'::json)
        from ranked r left join edge_classes ec on ec.src = r.src and ec.dst = r.dst),
      'nodes', (select coalesce(json_agg(json_build_object(
          'svc', s.svc, 'requestsIn', coalesce(i.requests, 0), 'errorsIn', coalesce(i.errors, 0),
          'requestsOut', coalesce(o.requests, 0), 'clusters', nc.clusters) order by s.svc), '[]'::json)
        from shown s left join node_in i on i.svc = s.svc left join node_out o on o.svc = s.svc
        left join node_clusters nc on nc.svc = s.svc),
      'totalNodes', (select count(*) from (select src from kept union select dst from kept) n),
      'totalEdges', (select count(*) from kept),
      'totalRequests', (select coalesce(sum(requests), 0) from kept),
      'namespaces', (select coalesce(json_agg(json_build_object('name', ns, 'services', n) order by ns), '[]'::json)
        from (select ${namespaceSql(sql`svc`)} as ns, count(*) as n from services group by 1) x where ns is not null),
      'classes', (select coalesce(json_agg(distinct data_class order by data_class), '[]'::json) from classes)
    ) as answer`,
  );

  const edges: TopologyEdge[] = answer.edges.map((e) => ({
    source: e.src,
    target: e.dst,
    requests: Number(e.requests),
    errors: Number(e.errors),
    errorRate: share(Number(e.errors), Number(e.requests)),
    mtlsShare: share(Number(e.mtls), Number(e.requests)),
    classes: (e.classes ?? []).map((c) => ({ dataClass: c.dataClass, matches: Number(c.matches) })),
  }));

  const classesOf = new Map<string, Set<string>>();
  for (const e of edges) {
    for (const end of [e.source, e.target]) {
      let set = classesOf.get(end);
      if (!set) classesOf.set(end, (set = new Set()));
      for (const c of e.classes) set.add(c.dataClass);
    }
  }
  const nodes: TopologyNode[] = answer.nodes.map((n) => ({
    id: n.svc,
    namespace: namespaceOf(n.svc),
    clusters: n.clusters ?? [],
    external: n.svc === EXTERNAL,
    requestsIn: Number(n.requestsIn),
    requestsOut: Number(n.requestsOut),
    errorsIn: Number(n.errorsIn),
    errorRate: share(Number(n.errorsIn), Number(n.requestsIn)),
    classes: [...(classesOf.get(n.svc) ?? [])].sort(),
  }));

  const totalEdges = Number(answer.totalEdges);
  return {
    range,
    nodes,
    edges,
    truncated: totalEdges > edges.length,
    limit: input.limit,
    totals: { nodes: Number(answer.totalNodes), edges: totalEdges, requests: Number(answer.totalRequests) },
    available: {
      namespaces: answer.namespaces.map((n) => ({ name: n.name, services: Number(n.services) })),
      classes: answer.classes,
    },
  };
}
