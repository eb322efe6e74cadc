import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Instance-wide values created on first start (session signing secret, …). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
