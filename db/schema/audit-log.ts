import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Append-only, hash-chained record of every change to security posture.
 * `hash` = HMAC-SHA256 under the audit key named by `key_id` over `prev_hash` and the canonical
 * entry (server/audit/hash.ts); entries from before the chain was keyed have no `key_id` and a
 * plain SHA-256. A trigger in the migration refuses UPDATE, DELETE and TRUNCATE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    actorId: text('actor_id'),
    actorEmail: text('actor_email'),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    sourceIp: text('source_ip'),
    requestId: text('request_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    keyId: text('key_id'),
  },
  (t) => [
    index('audit_log_ts').on(t.ts),
    index('audit_log_action_ts').on(t.action, t.ts),
    index('audit_log_actor_ts').on(t.actorEmail, t.ts),
  ],
);
