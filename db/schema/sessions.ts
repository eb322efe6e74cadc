import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * Server-side record of each signed-in session; its id travels in the session token as
 * `sid`. A session is good only while its row exists, is not revoked and has not expired,
 * so signing out (one session) or signing out everywhere (all of an account's) takes
 * effect on the next request, whatever copies of the cookie are still around.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** `credentials` or `oidc` */
    provider: text('provider').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** `sign_out`, `sign_out_everywhere` */
    revokedReason: text('revoked_reason'),
    userAgent: text('user_agent').notNull().default(''),
    ip: text('ip'),
  },
  (t) => [index('sessions_user_created').on(t.userId, t.createdAt), index('sessions_expires').on(t.expiresAt)],
);
