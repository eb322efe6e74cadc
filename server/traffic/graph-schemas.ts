import { z } from 'zod';
import { timeRangeInput } from './time-range';

/** The most edges one topology answer carries; the busiest are kept and `truncated` says so. */
export const EDGE_CAP = 5000;

const service = z.string().trim().min(1).max(256);
const range = timeRangeInput.prefault({ preset: '1h' });

export const topologyInput = z
  .object({
    range,
    /** keep edges with an end in one of these namespaces (none: every namespace) */
    namespaces: z.array(z.string().trim().min(1).max(128)).max(200).default([]),
    /** keep edges that carried this sensitive-data class */
    dataClass: z.string().trim().min(1).max(64).optional(),
    /** keep edges with at least this many requests in the range */
    minRequests: z.number().int().min(0).max(1e12).default(0),
    limit: z.number().int().min(1).max(EDGE_CAP).default(EDGE_CAP),
  })
  .prefault({});
export type TopologyInput = z.output<typeof topologyInput>;

export const nodeInput = z.object({ range, service });
export const edgeInput = z.object({ range, src: service, dst: service });
export type NodeInput = z.output<typeof nodeInput>;
export type EdgeInput = z.output<typeof edgeInput>;

const rangeOut = z.object({ from: z.date(), to: z.date(), resolution: z.enum(['minute', 'hour']), stepS: z.number() });
const ratio = z.number().min(0).max(1).nullable();

export const classCount = z.object({ dataClass: z.string(), matches: z.number() });

export const topologyNode = z.object({
  id: z.string(),
  /** null for `external` and other names outside a namespace */
  namespace: z.string().nullable(),
  clusters: z.array(z.string()),
  external: z.boolean(),
  requestsIn: z.number(),
  requestsOut: z.number(),
  errorsIn: z.number(),
  /** 5xx share of the requests it served */
  errorRate: ratio,
  /** classes on the shown edges touching it */
  classes: z.array(z.string()),
});

export const topologyEdge = z.object({
  source: z.string(),
  target: z.string(),
  requests: z.number(),
  errors: z.number(),
  errorRate: ratio,
  mtlsShare: ratio,
  /** most matches first */
  classes: z.array(classCount),
});

export const topologyOutput = z.object({
  range: rangeOut,
  nodes: z.array(topologyNode),
  edges: z.array(topologyEdge),
  /** the cap cut edges: `totals` counts everything the filters kept */
  truncated: z.boolean(),
  limit: z.number(),
  totals: z.object({ nodes: z.number(), edges: z.number(), requests: z.number() }),
  /** what the filter controls offer: every namespace and class seen in the range */
  available: z.object({
    namespaces: z.array(z.object({ name: z.string(), services: z.number() })),
    classes: z.array(z.string()),
  }),
});
export type Topology = z.output<typeof topologyOutput>;
export type TopologyNode = z.output<typeof topologyNode>;
export type TopologyEdge = z.output<typeof topologyEdge>;

/** One chart step: requests, 5xx and p95 latency (null without requests). */
export const seriesPoint = z.object({ t: z.date(), requests: z.number(), errors: z.number(), p95Ms: z.number().nullable() });
export type SeriesPoint = z.output<typeof seriesPoint>;

const latency = z.object({ p50Ms: z.number().nullable(), p95Ms: z.number().nullable(), p99Ms: z.number().nullable() });

export const routeRow = z.object({ method: z.string(), route: z.string(), requests: z.number(), errors: z.number(), clientErrors: z.number(), bytesOut: z.number() });
export const classRow = z.object({ dataClass: z.string(), direction: z.string(), matches: z.number(), events: z.number() });
export const tokenRow = z.object({ tokenId: z.string(), requests: z.number(), errors: z.number(), routes: z.number() });
export const neighbourRow = z.object({ service: z.string(), requests: z.number(), errors: z.number(), errorRate: ratio, mtlsShare: ratio });

export const edgeOutput = z.object({
  range: rangeOut,
  src: z.string(),
  dst: z.string(),
  totals: z.object({
    requests: z.number(), errors: z.number(), clientErrors: z.number(), errorRate: ratio,
    bytesIn: z.number(), bytesOut: z.number(), mtlsShare: ratio,
  }).extend(latency.shape),
  series: z.array(seriesPoint),
  routes: z.array(routeRow),
  classes: z.array(classRow),
  tokens: z.array(tokenRow),
});
export type EdgeDetail = z.output<typeof edgeOutput>;

export const nodeOutput = z.object({
  range: rangeOut,
  service: z.string(),
  namespace: z.string().nullable(),
  clusters: z.array(z.string()),
  external: z.boolean(),
  totals: z.object({ requestsIn: z.number(), errorsIn: z.number(), errorRate: ratio, requestsOut: z.number() }).extend(latency.shape),
  /** `inbound`: the requests it served, per step; `outbound` for a service that only calls (`external`) */
  seriesOf: z.enum(['inbound', 'outbound']),
  series: z.array(seriesPoint),
  inbound: z.array(neighbourRow),
  outbound: z.array(neighbourRow),
  routes: z.array(routeRow),
  classes: z.array(classRow.extend({ side: z.enum(['inbound', 'outbound']) })),
  tokens: z.array(tokenRow),
});
export type NodeDetail = z.output<typeof nodeOutput>;
