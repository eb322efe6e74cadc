// Saved and shared searches of `/search`: a query, a range and the columns shown, kept by an analyst
// for themselves (`private`) or for everyone signed in (`team`).
import { and, desc, eq, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { savedSearches, users, type SavedSearchRange } from '@/db/schema';
import { audited } from '@/server/audit/append';
import type { Actor, Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import { PRESETS, type Preset } from '@/server/traffic/time-range';
import { EVENT_COLUMNS } from './events';
import { compileQuery, QueryError } from './query';

/** The most a list returns: saved searches are a handful per person; this only bounds a runaway. */
export const MAX_LISTED = 500;

const VISIBILITY = ['private', 'team'] as const;
const PRESET_NAMES = Object.keys(PRESETS) as [Preset, ...Preset[]];

const isoInstant = z.string().datetime({ offset: true, message: 'must be an ISO 8601 time, e.g. 2026-01-15T12:00:00Z' });

/** The time range, as the URL of `/search` carries it: a preset that follows "now", or a fixed window. */
export const savedRangeSchema = z.union([
  // a string checked against PRESETS (not an enum): the page carries the preset from its URL as text
  z.object({ preset: z.string().refine((p) => Object.hasOwn(PRESETS, p), `preset must be one of ${PRESET_NAMES.join(', ')}`) }).strict(),
  z
    .object({ from: isoInstant, to: isoInstant })
    .strict()
    .refine((r) => Date.parse(r.from) < Date.parse(r.to), 'The range must start before it ends')
    // stored in UTC, as every time is
    .transform((r) => ({ from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString() })),
]);

const nameSchema = z.string().trim().min(1, 'Give the search a name').max(120, 'A name has at most 120 characters');
const querySchema = z.string().max(4000, 'A query has at most 4,000 characters');
const columnsSchema = z
  .array(z.enum(EVENT_COLUMNS))
  .max(30)
  .refine((c) => new Set(c).size === c.length, 'Each column at most once');

export const savedIdInput = z.object({ id: z.string().min(1).max(64) });
export type SavedIdInput = z.input<typeof savedIdInput>;

export const savedCreateInput = z.object({
  name: nameSchema,
  query: querySchema,
  range: savedRangeSchema,
  /** the result table's columns, in order; empty for the table's default */
  columns: columnsSchema.default([]),
  visibility: z.enum(VISIBILITY).default('private'),
});
export type SavedCreateInput = z.input<typeof savedCreateInput>;

export const savedUpdateInput = z
  .object({
    id: z.string().min(1).max(64),
    name: nameSchema.optional(),
    query: querySchema.optional(),
    range: savedRangeSchema.optional(),
    columns: columnsSchema.optional(),
    visibility: z.enum(VISIBILITY).optional(),
  })
  .refine((u) => Object.keys(u).some((k) => k !== 'id' && u[k as keyof typeof u] !== undefined), 'Nothing to change');
export type SavedUpdateInput = z.input<typeof savedUpdateInput>;

export const savedSearchOutput = z.object({
  id: z.string(),
  name: z.string(),
  query: z.string(),
  range: z.union([z.object({ preset: z.string() }), z.object({ from: z.string(), to: z.string() })]),
  columns: z.array(z.string()),
  visibility: z.enum(VISIBILITY),
  owner: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  /** the caller owns it (and may change it) */
  mine: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type SavedSearch = z.infer<typeof savedSearchOutput>;
export const savedListOutput = z.array(savedSearchOutput);
export const savedRemoveOutput = z.object({ id: z.string() });

const columns = {
  id: savedSearches.id,
  name: savedSearches.name,
  query: savedSearches.query,
  range: savedSearches.range,
  columns: savedSearches.columns,
  visibility: savedSearches.visibility,
  ownerId: savedSearches.ownerId,
  ownerEmail: users.email,
  ownerName: users.name,
  createdAt: savedSearches.createdAt,
  updatedAt: savedSearches.updatedAt,
};
interface Stored {
  id: string;
  name: string;
  query: string;
  range: SavedSearchRange;
  columns: string[];
  visibility: 'private' | 'team';
  ownerId: string;
  ownerEmail: string;
  ownerName: string;
  createdAt: Date;
  updatedAt: Date;
}

function shown(r: Stored, me: Actor): SavedSearch {
  return {
    id: r.id,
    name: r.name,
    query: r.query,
    range: r.range,
    columns: r.columns,
    visibility: r.visibility,
    owner: { id: r.ownerId, email: r.ownerEmail, name: r.ownerName },
    mine: r.ownerId === me.id,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function signedIn(ctx: Ctx): Actor {
  if (!ctx.actor) throw new DomainError('FORBIDDEN', 'Sign in to use saved searches');
  return ctx.actor;
}

/** Whom a saved search is visible to: its owner, or everyone when shared with the team. */
const visibleTo = (me: Actor) => or(eq(savedSearches.ownerId, me.id), eq(savedSearches.visibility, 'team'));

const notFound = () => new DomainError('NOT_FOUND', 'No such saved search: it may have been deleted or not be shared with you');

/** The caller's own searches and every team search, the most recently changed first. */
export async function listSavedSearches(ctx: Ctx): Promise<SavedSearch[]> {
  const me = signedIn(ctx);
  const found = await ctx.db
    .select(columns)
    .from(savedSearches)
    .innerJoin(users, eq(users.id, savedSearches.ownerId))
    .where(visibleTo(me))
    .orderBy(desc(savedSearches.updatedAt), savedSearches.id)
    .limit(MAX_LISTED);
  return found.map((r) => shown(r, me));
}

/** One saved search; another person's private one answers NOT_FOUND, as if it did not exist. */
export async function getSavedSearch(ctx: Ctx, raw: SavedIdInput): Promise<SavedSearch> {
  const me = signedIn(ctx);
  const { id } = savedIdInput.parse(raw);
  const row = await findVisible(ctx.db, me, id);
  if (!row) throw notFound();
  return shown(row, me);
}

export async function createSavedSearch(ctx: Ctx, raw: SavedCreateInput): Promise<SavedSearch> {
  const me = signedIn(ctx);
  const input = savedCreateInput.parse(raw);
  checkQuery(input.query);
  return audited(ctx, async (tx, audit) => {
    await lockOwner(tx, me.id);
    await assertNameFree(tx, me.id, input.name, null);
    const id = newId('ss');
    const now = ctx.now();
    await tx.insert(savedSearches).values({
      id, name: input.name, query: input.query, range: input.range, columns: input.columns, visibility: input.visibility,
      ownerId: me.id, createdAt: now, updatedAt: now,
    });
    audit({ action: 'search.saved.create', targetType: 'saved_search', targetId: id, after: trail(input) });
    return shown((await findVisible(tx, me, id))!, me);
  });
}

/**
 * Changes the fields given. The owner may, and an admin may change a team search (sharing with
 * the team is what puts it in everyone's list); anyone else gets FORBIDDEN, or NOT_FOUND for a
 * private search they cannot see.
 */
export async function updateSavedSearch(ctx: Ctx, raw: SavedUpdateInput): Promise<SavedSearch> {
  const me = signedIn(ctx);
  const input = savedUpdateInput.parse(raw);
  if (input.query !== undefined) checkQuery(input.query);
  return audited(ctx, async (tx, audit) => {
    const before = await findChangeable(tx, me, input.id, 'change');
    await lockOwner(tx, before.ownerId);
    if (input.name !== undefined && input.name !== before.name) await assertNameFree(tx, before.ownerId, input.name, before.id);
    const change: Partial<typeof savedSearches.$inferInsert> = { updatedAt: ctx.now() };
    if (input.name !== undefined) change.name = input.name;
    if (input.query !== undefined) change.query = input.query;
    if (input.range !== undefined) change.range = input.range;
    if (input.columns !== undefined) change.columns = input.columns;
    if (input.visibility !== undefined) change.visibility = input.visibility;
    await tx.update(savedSearches).set(change).where(and(eq(savedSearches.id, before.id), eq(savedSearches.ownerId, before.ownerId)));
    const after = (await tx.select(columns).from(savedSearches).innerJoin(users, eq(users.id, savedSearches.ownerId)).where(eq(savedSearches.id, before.id)))[0];
    audit({
      action: 'search.saved.update', targetType: 'saved_search', targetId: before.id,
      before: trail(before, before.ownerEmail), after: trail(after, after.ownerEmail),
    });
    return shown(after, me);
  });
}

/** Deletes a saved search: its owner, or an admin for a team search (as updateSavedSearch). */
export async function removeSavedSearch(ctx: Ctx, raw: SavedIdInput): Promise<{ id: string }> {
  const me = signedIn(ctx);
  const { id } = savedIdInput.parse(raw);
  return audited(ctx, async (tx, audit) => {
    const before = await findChangeable(tx, me, id, 'delete');
    await tx.delete(savedSearches).where(and(eq(savedSearches.id, before.id), eq(savedSearches.ownerId, before.ownerId)));
    audit({ action: 'search.saved.delete', targetType: 'saved_search', targetId: before.id, before: trail(before, before.ownerEmail) });
    return { id: before.id };
  });
}

async function findVisible(db: Db, me: Actor, id: string, lock = false): Promise<Stored | null> {
  const q = db
    .select(columns)
    .from(savedSearches)
    .innerJoin(users, eq(users.id, savedSearches.ownerId))
    .where(and(eq(savedSearches.id, id), visibleTo(me)))
    .limit(1);
  const [row] = lock ? await q.for('update', { of: savedSearches }) : await q;
  return row ?? null;
}

async function findChangeable(tx: Db, me: Actor, id: string, verb: 'change' | 'delete'): Promise<Stored> {
  const row = await findVisible(tx, me, id, true);
  if (!row) throw notFound();
  if (row.ownerId !== me.id && me.role !== 'admin') {
    throw new DomainError('FORBIDDEN', `Only ${row.ownerEmail}, who saved “${row.name}”, or an admin can ${verb} it: save a copy of your own instead`);
  }
  return row;
}

/** What the audit trail keeps of a saved search: enough to see what was shared, and with whom. */
function trail(s: { name: string; query: string; visibility: string; range: SavedSearchRange; columns: string[] }, owner?: string) {
  return { name: s.name, query: s.query, visibility: s.visibility, range: s.range, columns: s.columns, ...(owner ? { owner } : {}) };
}

/** A saved query must run: a query the user must fix is BAD_REQUEST with its column, as a search answers. */
function checkQuery(q: string) {
  try {
    compileQuery(q);
  } catch (e) {
    if (e instanceof QueryError) throw new DomainError('BAD_REQUEST', e.message, e.column);
    throw e;
  }
}

/**
 * Serialises one owner's saved-search writes, so two saves of the same name cannot both pass the
 * check. NO KEY UPDATE leaves the row's key share locks (foreign keys to the account) unblocked.
 */
async function lockOwner(tx: Db, ownerId: string) {
  const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.id, ownerId)).for('no key update');
  if (!owner) throw new DomainError('NOT_FOUND', 'The account that would own this search does not exist');
}

/** Names are unique per owner, ignoring case: two searches called "Errors" and "errors" would be a trap. */
async function assertNameFree(tx: Db, ownerId: string, name: string, exceptId: string | null) {
  const [clash] = await tx
    .select({ id: savedSearches.id, name: savedSearches.name })
    .from(savedSearches)
    .where(and(eq(savedSearches.ownerId, ownerId), sql`lower(${savedSearches.name}) = lower(${name})`, exceptId ? sql`${savedSearches.id} <> ${exceptId}` : undefined))
    .limit(1);
  if (clash) throw new DomainError('CONFLICT', `A saved search called “${clash.name}” exists already: choose another name, or update that one`);
}
