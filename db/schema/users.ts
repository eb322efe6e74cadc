import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, bigserial } from 'drizzle-orm/pg-core';

import type { Role } from '@/lib/enums';


/** Console accounts. Passwords are argon2id hashes; OIDC-only accounts have none. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull().unique(),
    name: text('name').notNull().default(''),
    role: text('role').$type<Role>().notNull(),
    passwordHash: text('password_hash'),
    authProvider: text('auth_provider').notNull().default('credentials'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    /** sessions signed in before this instant are over (set when the password changes) */
    sessionsValidAfter: timestamp('sessions_valid_after', { withTimezone: true }),
    /**
     * Who issued the set-password link the current password came from (a user id). Null: set by
     * the operator (MESHWARD_ADMIN_PASSWORD, the CLI) or no password. Kept when the owner changes
     * the password, since whoever used the link may be the one changing it.
     */
    credentialIssuedBy: text('credential_issued_by'),
    credentialSetAt: timestamp('credential_set_at', { withTimezone: true }),
  },
  (t) => [check('users_role_check', sql`${t.role} in ('viewer', 'analyst', 'admin', 'auditor')`)],
);

/** Every sign-in attempt, kept for throttling (per account and per IP) and for investigation. */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ts: timestamp('ts', { withTimezone: true }).notNull(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    success: boolean('success').notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [index('sign_in_attempts_email_ts').on(t.email, t.ts), index('sign_in_attempts_ip_ts').on(t.ip, t.ts)],
);
