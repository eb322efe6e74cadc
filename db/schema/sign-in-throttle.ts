import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const THROTTLE_SCOPES = ['account', 'address'] as const;
export type ThrottleScope = (typeof THROTTLE_SCOPES)[number];

/**
 * Sign-in throttle counters, one row per (account, source address) pair and one per source
 * address across all accounts. Rows are read and written under a row lock in one short
 * transaction per attempt (server/auth/throttle.ts), so concurrent attempts cannot overrun.
 */
export const signInThrottle = pgTable(
  'sign_in_throttle',
  {
    scope: text('scope').$type<ThrottleScope>().notNull(),
    /** the normalised email typed, for `account` rows (the account need not exist); '' for `address` rows */
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    /** failures counted so far, before the decay since `last_failure_at` is applied */
    failures: integer('failures').notNull().default(0),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }),
    /** attempts are refused, unchecked, until this instant */
    blockedUntil: timestamp('blocked_until', { withTimezone: true }),
    /** attempts refused while blocked, since the counter last started from zero */
    refused: integer('refused').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'sign_in_throttle_pkey', columns: [t.scope, t.email, t.ip] }),
    check('sign_in_throttle_scope_check', sql`${t.scope} in ('account', 'address')`),
  ],
);
