import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Credentials proxies send as `Authorization: Bearer`. Only a SHA-256 of the token is kept. */
export const proxyTokens = pgTable('proxy_tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** first characters of the token, shown so an operator can tell tokens apart */
  prefix: text('prefix').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  /**
   * The services the token serves: `ns/name`, `ns/*` or `*` (server/fleet/scope.ts). Every
   * token is created with an explicit scope; the default only migrates tokens made before
   * scopes existed, which could already reach every service, to `*` so their proxies keep working.
   */
  services: text('services').array().notNull().default(sql`'{*}'::text[]`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  createdBy: text('created_by'),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  revokedBy: text('revoked_by'),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
});

export type ProxyCounters = Record<string, number>;

/** One filter instance in the fleet, registered by its first heartbeat or telemetry batch. */
export const proxies = pgTable(
  'proxies',
  {
    id: text('id').primaryKey(),
    tokenId: text('token_id').notNull(),
    service: text('service'),
    cluster: text('cluster'),
    node: text('node'),
    version: text('version'),
    policyRevision: text('policy_revision'),
    /** the classifier set revision the proxy's content filter applied, from its heartbeat */
    classifierRevision: integer('classifier_revision'),
    /** seconds between heartbeats the proxy promised; silent after twice this */
    intervalS: integer('interval_s').notNull().default(30),
    counters: jsonb('counters').$type<ProxyCounters>().notNull().default({}),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    lastHeartbeatAt: timestamp('last_heartbeat_at', { withTimezone: true }),
    lastEventAt: timestamp('last_event_at', { withTimezone: true }),
  },
  (t) => [index('proxies_last_seen').on(t.lastSeenAt)],
);

/** Rollup: stored access events per proxy per minute, written in the ingest transaction. */
export const proxyMinuteStats = pgTable(
  'proxy_minute_stats',
  {
    proxyId: text('proxy_id').notNull(),
    minute: timestamp('minute', { withTimezone: true }).notNull(),
    events: integer('events').notNull(),
  },
  (t) => [primaryKey({ columns: [t.proxyId, t.minute] }), index('proxy_minute_stats_minute').on(t.minute)],
);
