import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { PolicyState } from '@/lib/enums';


/**
 * A policy document as stored: the shape server/policy/model.ts validates with zod (and checks,
 * at compile time, to be the same as this one). Declared here so db/ depends on nothing in server/.
 */
export interface StoredPolicyDocument {
  service: string;
  defaultAction: 'deny';
  allow: { caller: string; method: string; template: string; endpointId: string | null }[];
  deny: { kind: 'token' | 'user' | 'ip'; value: string; reason: string; expiresAt: string | null }[];
}

/**
 * One revision of a service's policy (SPEC "policy"): `draft` → `approved` (by someone who did
 * not edit it) → `published`. A published revision never changes again; a rollback publishes
 * an old revision's document as a new revision. `sha256` is of the canonical document JSON.
 */
export const policyRevisions = pgTable(
  'policy_revisions',
  {
    id: text('id').primaryKey(),
    service: text('service').notNull(),
    revision: integer('revision').notNull(),
    state: text('state').$type<PolicyState>().notNull().default('draft'),
    document: jsonb('document').$type<StoredPolicyDocument>().notNull(),
    sha256: text('sha256').notNull(),
    /** everyone who changed its content: none of them may approve it */
    editors: text('editors').array().notNull().default(sql`'{}'::text[]`),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    approvedBy: text('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    publishedBy: text('published_by'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** the revision whose document a rollback published again */
    rollbackOf: integer('rollback_of'),
    /** the reason given at the last lifecycle step */
    reason: text('reason'),
  },
  (t) => [
    uniqueIndex('policy_revisions_service_revision').on(t.service, t.revision),
    index('policy_revisions_state').on(t.service, t.state),
    // at most one open draft or approved-but-unpublished revision per service
    uniqueIndex('policy_revisions_open').on(t.service).where(sql`${t.state} in ('draft', 'approved')`),
    check('policy_revisions_state_check', sql`${t.state} in ('draft', 'approved', 'published', 'discarded')`),
  ],
);
