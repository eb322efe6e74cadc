import { sql } from 'drizzle-orm';
import {
  bigint, boolean, doublePrecision, index, inet, jsonb, pgTable, primaryKey, smallint, text, timestamp,
} from 'drizzle-orm/pg-core';

export type SensitiveDirection = 'request' | 'response';
export interface SensitiveMatch {
  class: string;
  direction: SensitiveDirection;
  count: number;
  path?: string;
  /** truncated hash/partial of a value, never the value itself */
  partial?: string;
}

/**
 * One request/response seen by a proxy. Partitioned by day on `ts` (see the
 * migration and server/maintenance/partitions.ts); the primary key doubles as the
 * idempotency key that makes retried batches harmless.
 */
export const accessEvents = pgTable(
  'access_events',
  {
    id: bigint('id', { mode: 'number' }).notNull(),
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    proxyId: text('proxy_id').notNull(),
    requestId: text('request_id').notNull(),
    source: text('source').notNull(),
    cluster: text('cluster'),
    namespace: text('namespace'),
    srcService: text('src_service').notNull(),
    dstService: text('dst_service').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** the path with id-like segments replaced (`/api/users/{id}`): a coarse endpoint until APIs are learned */
    route: text('route').notNull(),
    query: text('query'),
    status: smallint('status').notNull(),
    responseFlags: text('response_flags'),
    durationMs: doublePrecision('duration_ms'),
    bytesIn: bigint('bytes_in', { mode: 'number' }),
    bytesOut: bigint('bytes_out', { mode: 'number' }),
    clientIp: inet('client_ip'),
    serverAddress: text('server_address'),
    userAgent: text('user_agent'),
    protocol: text('protocol'),
    tokenId: text('token_id'),
    userId: text('user_id'),
    mtls: boolean('mtls'),
    sensitive: jsonb('sensitive').$type<SensitiveMatch[]>(),
    sample: text('sample'),
  },
  (t) => [
    primaryKey({ columns: [t.ts, t.proxyId, t.requestId] }),
    index('access_events_dst_ts').on(t.dstService, t.ts),
    // Errors are what status lookups are about; a partial index costs nothing on the 2xx majority.
    index('access_events_error_ts').on(t.status, t.ts).where(sql`${t.status} >= 400`),
    // Actors (token, user, client IP, calling service) share one GIN index over
    // mw_event_actors(): `mw_event_actors(src_service, token_id, user_id, client_ip) @> array['t:' || $token]`,
    // ANDed with the time range of the primary key. Three btrees keyed by random values cost
    // ingest 60% more than the bare insert; GIN queues new entries and merges them in bulk.
    index('access_events_actors').using('gin', sql`mw_event_actors(${t.srcService}, ${t.tokenId}, ${t.userId}, ${t.clientIp})`),
    // Search (issue 11, npm run bench:search): a CIDR block (`client_ip <<= '10.2.0.0/16'`) is a range of this
    // btree; the GIN above only answers exact addresses.
    index('access_events_client_ip').on(t.clientIp),
    // Path wildcards and free text (`path like`, `path ilike '%…%' or user_agent ilike '%…%'`) through
    // trigrams. Needs pg_trgm: the migration creates these only where the extension can be installed
    // (PostgreSQL; PGlite loads no extensions, and searches there scan the day partitions).
    index('access_events_path_trgm').using('gin', sql`${t.path} gin_trgm_ops`),
    index('access_events_user_agent_trgm').using('gin', sql`${t.userAgent} gin_trgm_ops`),
  ],
);
