import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Published revisions of the classifier set (SPEC "classifier"): which sensitive-data classes
 * the proxies' content filters look for (built-in and admin-defined) and what they do on a
 * match (report, redact, block). The newest revision is in force; revision 0 is the built-in
 * default and is never stored. `document` is validated on write (server/classifiers/model.ts).
 */
export const classifierRevisions = pgTable('classifier_revisions', {
  revision: integer('revision').primaryKey(),
  document: jsonb('document').$type<Record<string, unknown>>().notNull(),
  sha256: text('sha256').notNull(),
  publishedBy: text('published_by').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  reason: text('reason').notNull(),
  /** the revision whose document this one published again */
  republishOf: integer('republish_of'),
});
