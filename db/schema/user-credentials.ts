import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * One-time links with which the owner of an account sets its password (SPEC "Roles": passwords
 * are set only by their owners). Only the SHA-256 of the token is stored; a link is used once,
 * expires, and a newer link for the same account supersedes it.
 */
export const passwordLinks = pgTable(
  'password_links',
  {
    id: text('id').primaryKey(),
    tokenSha256: text('token_sha256').notNull().unique(),
    userId: text('user_id').notNull().references(() => users.id),
    purpose: text('purpose').$type<'create' | 'reset' | 'admin_grant'>().notNull(),
    /** the admin who issued it (a user id), null for the operator's CLI */
    issuedBy: text('issued_by'),
    issuedByEmail: text('issued_by_email').notNull(),
    issuedFromIp: text('issued_from_ip'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedFromIp: text('used_from_ip'),
    /** a newer link for the account, or the account's role changing, ended this one */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    index('password_links_user').on(t.userId, t.issuedAt),
    check('password_links_purpose_check', sql`${t.purpose} in ('create', 'reset', 'admin_grant')`),
  ],
);

export const ADMIN_GRANT_STATES = ['pending', 'approved', 'denied'] as const;
export type AdminGrantState = (typeof ADMIN_GRANT_STATES)[number];

/**
 * A request to make someone an admin (a new account, or promoting an existing one). Once two
 * enabled admins exist, a second admin who is not the requester must approve it.
 */
export const adminGrants = pgTable(
  'admin_grants',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<'create' | 'promote'>().notNull(),
    /** the account to create (kind create) or to promote */
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    targetUserId: text('target_user_id').references(() => users.id),
    requestedBy: text('requested_by').notNull(),
    requestedByEmail: text('requested_by_email').notNull(),
    requestReason: text('request_reason').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    state: text('state').$type<AdminGrantState>().notNull().default('pending'),
    decidedBy: text('decided_by'),
    decidedByEmail: text('decided_by_email'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
  },
  (t) => [
    index('admin_grants_state').on(t.state, t.requestedAt),
    // one pending request per account
    uniqueIndex('admin_grants_pending_email').on(t.email).where(sql`${t.state} = 'pending'`),
    check('admin_grants_kind_check', sql`${t.kind} in ('create', 'promote')`),
    check('admin_grants_state_check', sql`${t.state} in ('pending', 'approved', 'denied')`),
  ],
);
