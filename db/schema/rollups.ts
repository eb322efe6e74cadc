import { bigint, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp, type PgColumn } from 'drizzle-orm/pg-core';

/**
 * Rollups of access events, so views never scan raw events. Each exists per minute (kept
 * MINUTE_ROLLUP_DAYS, written in the ingest statement from the rows actually inserted) and
 * per hour (kept the retention period, compacted from the minutes by the rollup job). Both
 * variants have the same columns; `bucket` is the start of the minute or hour (UTC).
 *
 * Latency is a fixed-bucket histogram (`latency` counts per bucket, bounds in
 * server/rollups/latency-histogram.ts): mergeable by element-wise sum, so any range and any
 * grouping yields percentiles.
 */
const bucket = () => timestamp('bucket', { withTimezone: true }).notNull();
const counter = (name: string) => integer(name).notNull().default(0);
const bytes = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);
const histogram = () => integer('latency').array().notNull();

/**
 * Tables whose primary key leads with what views look up (a token, a destination) reach
 * their buckets through a BRIN index instead of a second btree: the compaction job and
 * retention read them by bucket range only, and rows arrive in about bucket order. A BRIN
 * index summarises the pages added since it last ran only when asked, so the compaction job
 * asks (server/rollups/brin.ts); until then those pages are read, never missed.
 */
const bucketBrin = (table: string, bucketColumn: PgColumn) => index(`${table}_bucket`).using('brin', bucketColumn);

/** Calls from one service to another: requests, 5xx and 4xx, bytes, mTLS share, latency. */
function edgeStats(name: string) {
  return pgTable(
    name,
    {
      bucket: bucket(),
      srcService: text('src_service').notNull(),
      dstService: text('dst_service').notNull(),
      requests: counter('requests'),
      errors: counter('errors'),
      clientErrors: counter('client_errors'),
      mtls: counter('mtls'),
      bytesIn: bytes('bytes_in'),
      bytesOut: bytes('bytes_out'),
      latency: histogram(),
      latencySumMs: doublePrecision('latency_sum_ms').notNull().default(0),
    },
    (t) => [
      primaryKey({ columns: [t.bucket, t.srcService, t.dstService] }),
      index(`${name}_dst`).on(t.dstService, t.bucket),
      index(`${name}_src`).on(t.srcService, t.bucket),
    ],
  );
}
export const edgeMinute = edgeStats('edge_minute');
export const edgeHour = edgeStats('edge_hour');

/** Requests a service served (it is the destination), whoever called. */
function serviceStats(name: string) {
  return pgTable(
    name,
    {
      bucket: bucket(),
      service: text('service').notNull(),
      requests: counter('requests'),
      errors: counter('errors'),
      clientErrors: counter('client_errors'),
      bytesIn: bytes('bytes_in'),
      bytesOut: bytes('bytes_out'),
      latency: histogram(),
      latencySumMs: doublePrecision('latency_sum_ms').notNull().default(0),
    },
    (t) => [primaryKey({ columns: [t.bucket, t.service] }), index(`${name}_service`).on(t.service, t.bucket)],
  );
}
export const serviceMinute = serviceStats('service_minute');
export const serviceHour = serviceStats('service_hour');

/** Calls per edge and coarse route (`GET /api/users/{id}`), for "endpoints on this edge". */
function edgeRouteStats(name: string) {
  return pgTable(
    name,
    {
      bucket: bucket(),
      srcService: text('src_service').notNull(),
      dstService: text('dst_service').notNull(),
      method: text('method').notNull(),
      route: text('route').notNull(),
      requests: counter('requests'),
      errors: counter('errors'),
      clientErrors: counter('client_errors'),
      bytesOut: bytes('bytes_out'),
    },
    (t) => [
      // led by the edge: the node and edge panels ask for a destination's or an edge's routes
      primaryKey({ columns: [t.dstService, t.srcService, t.bucket, t.method, t.route] }),
      bucketBrin(name, t.bucket),
    ],
  );
}
export const edgeRouteMinute = edgeRouteStats('edge_route_minute');
export const edgeRouteHour = edgeRouteStats('edge_route_hour');

/** What each token (hashed bearer) did: per edge and route. Events without a token are not here. */
function tokenStats(name: string, byEdge: boolean) {
  return pgTable(
    name,
    {
      bucket: bucket(),
      tokenId: text('token_id').notNull(),
      srcService: text('src_service').notNull(),
      dstService: text('dst_service').notNull(),
      method: text('method').notNull(),
      route: text('route').notNull(),
      requests: counter('requests'),
      errors: counter('errors'),
      clientErrors: counter('client_errors'),
      bytesOut: bytes('bytes_out'),
    },
    (t) => [
      // led by the token: the token page and the top lists look a token's rows up
      primaryKey({ columns: [t.tokenId, t.bucket, t.srcService, t.dstService, t.method, t.route] }),
      bucketBrin(name, t.bucket),
      // who called a service (or an edge: its callers filtered) in the minutes of a range;
      // whole hours are in token_edge_hour. Bucket before caller: minutes are kept a week.
      ...(byEdge ? [index(`${name}_edge`).on(t.dstService, t.bucket, t.srcService)] : []),
    ],
  );
}
export const tokenMinute = tokenStats('token_minute', true);
export const tokenHour = tokenStats('token_hour', false);

/**
 * Calls per destination, caller and token: token_hour without the route, computed by the
 * compaction job from token_minute (ingest writes nothing more for it), for the graph panels'
 * busiest tokens of a service or an edge over whole hours. A busy service has an order of
 * magnitude fewer rows here to rank than in token_hour.
 */
export const tokenEdgeHour = pgTable(
  'token_edge_hour',
  {
    bucket: bucket(),
    dstService: text('dst_service').notNull(),
    srcService: text('src_service').notNull(),
    tokenId: text('token_id').notNull(),
    requests: counter('requests'),
    errors: counter('errors'),
  },
  (t) => [
    primaryKey({ columns: [t.dstService, t.bucket, t.srcService, t.tokenId] }),
    bucketBrin('token_edge_hour', t.bucket),
  ],
);

/** Sensitive-data matches per edge and class: `matches` sums the match counts, `events` counts events. */
function sensitiveEdgeStats(name: string) {
  return pgTable(
    name,
    {
      bucket: bucket(),
      srcService: text('src_service').notNull(),
      dstService: text('dst_service').notNull(),
      dataClass: text('data_class').notNull(),
      direction: text('direction').notNull(),
      matches: counter('matches'),
      events: counter('events'),
    },
    (t) => [
      primaryKey({ columns: [t.bucket, t.srcService, t.dstService, t.dataClass, t.direction] }),
      index(`${name}_class`).on(t.dataClass, t.bucket),
    ],
  );
}
export const sensitiveEdgeMinute = sensitiveEdgeStats('sensitive_edge_minute');
export const sensitiveEdgeHour = sensitiveEdgeStats('sensitive_edge_hour');

/** Sensitive-data matches per token and class. */
function sensitiveTokenStats(name: string) {
  return pgTable(
    name,
    {
      bucket: bucket(),
      tokenId: text('token_id').notNull(),
      dataClass: text('data_class').notNull(),
      direction: text('direction').notNull(),
      matches: counter('matches'),
      events: counter('events'),
    },
    (t) => [
      primaryKey({ columns: [t.bucket, t.tokenId, t.dataClass, t.direction] }),
      index(`${name}_token`).on(t.tokenId, t.bucket),
      index(`${name}_class`).on(t.dataClass, t.bucket),
    ],
  );
}
export const sensitiveTokenMinute = sensitiveTokenStats('sensitive_token_minute');
export const sensitiveTokenHour = sensitiveTokenStats('sensitive_token_hour');

/** Minute-level rollups are kept this long; hour-level ones for the retention period. */
export const MINUTE_ROLLUP_DAYS = 7;

export const ROLLUP_PAIRS = [
  [edgeMinute, edgeHour],
  [serviceMinute, serviceHour],
  [edgeRouteMinute, edgeRouteHour],
  [tokenMinute, tokenHour],
  [sensitiveEdgeMinute, sensitiveEdgeHour],
  [sensitiveTokenMinute, sensitiveTokenHour],
] as const;

/** Hour tables computed from another family's minute rows (server/rollups/specs.ts, `derivedFrom`). */
export const DERIVED_HOUR_TABLES = [tokenEdgeHour] as const;

