import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * How a saved search names its time range: a preset that follows "now" (`24h`), or a fixed
 * window in UTC. The URL of `/search` carries the same two forms.
 */
export type SavedSearchRange = { preset: string } | { from: string; to: string };

/**
 * A search an analyst kept (SPEC page `/search`): the query text, the range and the columns
 * shown. `private` is seen by its owner only; `team` by every signed-in user (viewers open it,
 * only the owner or an admin changes it).
 */
export const savedSearches = pgTable(
  'saved_searches',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    query: text('query').notNull(),
    range: jsonb('range').$type<SavedSearchRange>().notNull(),
    columns: jsonb('columns').$type<string[]>().notNull().default([]),
    visibility: text('visibility').$type<'private' | 'team'>().notNull().default('private'),
    ownerId: text('owner_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('saved_searches_owner').on(t.ownerId, t.updatedAt), index('saved_searches_visibility').on(t.visibility, t.updatedAt)],
);
