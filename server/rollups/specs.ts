import { getTableName } from 'drizzle-orm';
import {
  edgeHour, edgeMinute, edgeRouteHour, edgeRouteMinute, sensitiveEdgeHour, sensitiveEdgeMinute,
  sensitiveTokenHour, sensitiveTokenMinute, serviceHour, serviceMinute, tokenEdgeHour, tokenHour, tokenMinute,
} from '@/db/schema';
import { LATENCY_BUCKETS } from './latency-histogram';

/**
 * What one rollup column holds, as an aggregate over the rows the ingest statement inserted
 * (columns of access_events plus `bucket` and `lb`, the latency bucket index; or, for the
 * sensitive rollups, `data_class`, `direction` and `matches` of each event). `merge` says how two partial values combine: `add`
 * for counters and sums, `histogram` for element-wise addition of latency histograms.
 */
export interface RollupMeasure {
  column: string;
  aggregate: string;
  merge: 'add' | 'histogram';
}

/** One rollup family: its minute and hour tables, the key (after `bucket`), the measures. */
export interface RollupSpec {
  name: string;
  minute: string;
  hour: string;
  /** key columns after `bucket`: [rollup column, expression over the source rows] */
  keys: readonly (readonly [column: string, from: string])[];
  measures: readonly RollupMeasure[];
  /** `events`: one row per inserted event; `sensitive`: one row per event × class × direction */
  source: 'events' | 'sensitive';
  /** which source rows count */
  where?: string;
  /**
   * The family whose minute rows this one's hour rows are computed from: it has no minute
   * table of its own (`minute` names the base's), ingest writes nothing for it, and moving
   * the base's minutes into hours feeds it too. Its keys and measures are columns there.
   */
  derivedFrom?: string;
}

const count = (column: string, filter?: string): RollupMeasure => ({
  column,
  aggregate: filter ? `count(*) filter (where ${filter})` : 'count(*)',
  merge: 'add',
});
const sum = (column: string, of: string): RollupMeasure => ({ column, aggregate: `coalesce(sum(${of}), 0)`, merge: 'add' });

const REQUESTS = count('requests');
const ERRORS = count('errors', 'status >= 500');
const CLIENT_ERRORS = count('client_errors', 'status between 400 and 499');
const MTLS = count('mtls', 'mtls');
const BYTES_IN = sum('bytes_in', 'bytes_in');
const BYTES_OUT = sum('bytes_out', 'bytes_out');
/** bucket counts over `lb`, which is NULL without a duration: such events are in no bucket */
const LATENCY: RollupMeasure = {
  column: 'latency',
  aggregate: `array[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => `count(*) filter (where lb = ${i})`).join(', ')}]::int[]`,
  merge: 'histogram',
};
const LATENCY_SUM = sum('latency_sum_ms', 'duration_ms');
const MATCHES = sum('matches', 'matches');
const EVENTS = count('events');

const EDGE = [['src_service', 'src_service'], ['dst_service', 'dst_service']] as const;
const ROUTE = [['method', 'method'], ['route', 'route']] as const;
const SENSITIVE = [['data_class', 'data_class'], ['direction', 'direction']] as const;
const TOKEN = [['token_id', 'token_id']] as const;

const names = (minute: Parameters<typeof getTableName>[0], hour: Parameters<typeof getTableName>[0]) => ({
  minute: getTableName(minute),
  hour: getTableName(hour),
});

/** The rollups of db/schema/rollups.ts, in the order the ingest statement writes them. */
export const ROLLUPS: readonly RollupSpec[] = [
  {
    name: 'edge', ...names(edgeMinute, edgeHour), source: 'events', keys: EDGE,
    measures: [REQUESTS, ERRORS, CLIENT_ERRORS, MTLS, BYTES_IN, BYTES_OUT, LATENCY, LATENCY_SUM],
  },
  {
    name: 'service', ...names(serviceMinute, serviceHour), source: 'events', keys: [['service', 'dst_service']],
    measures: [REQUESTS, ERRORS, CLIENT_ERRORS, BYTES_IN, BYTES_OUT, LATENCY, LATENCY_SUM],
  },
  {
    name: 'edge_route', ...names(edgeRouteMinute, edgeRouteHour), source: 'events', keys: [...EDGE, ...ROUTE],
    measures: [REQUESTS, ERRORS, CLIENT_ERRORS, BYTES_OUT],
  },
  {
    name: 'token', ...names(tokenMinute, tokenHour), source: 'events', keys: [...TOKEN, ...EDGE, ...ROUTE],
    where: 'token_id is not null',
    measures: [REQUESTS, ERRORS, CLIENT_ERRORS, BYTES_OUT],
  },
  {
    name: 'token_edge', minute: getTableName(tokenMinute), hour: getTableName(tokenEdgeHour), derivedFrom: 'token', source: 'events',
    keys: [['dst_service', 'dst_service'], ['src_service', 'src_service'], ...TOKEN],
    where: 'token_id is not null',
    measures: [REQUESTS, ERRORS],
  },
  {
    name: 'sensitive_edge', ...names(sensitiveEdgeMinute, sensitiveEdgeHour), source: 'sensitive', keys: [...EDGE, ...SENSITIVE],
    measures: [MATCHES, EVENTS],
  },
  {
    name: 'sensitive_token', ...names(sensitiveTokenMinute, sensitiveTokenHour), source: 'sensitive', keys: [...TOKEN, ...SENSITIVE],
    where: 'token_id is not null',
    measures: [MATCHES, EVENTS],
  },
];

/** The families with minute tables of their own: what ingest writes and pruning moves. */
export const MINUTE_ROLLUPS = ROLLUPS.filter((spec) => !spec.derivedFrom);

/** The families computed from `base`'s minute rows. */
export const derivedOf = (base: RollupSpec) => ROLLUPS.filter((spec) => spec.derivedFrom === base.name);

/** The columns of a rollup row, in table order: bucket, keys, measures. */
export function rollupColumns(spec: RollupSpec): string[] {
  return ['bucket', ...spec.keys.map(([c]) => c), ...spec.measures.map((m) => m.column)];
}
