import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { accessEvents as ae } from '@/db/schema/access-events';
import { DomainError } from '@/server/errors';
import { compileQuery, QueryError } from './query';

/** MESHWARD_RETENTION_DAYS's default, for callers that do not pass the configured value. */
export const DEFAULT_RETENTION_DAYS = 90;

/** What every search reads: the query's events in [from, to). */
export const scopeInput = z.object({
  q: z.string().max(4000).default(''),
  from: z.coerce.date(),
  to: z.coerce.date(),
});
export type ScopeInput = z.output<typeof scopeInput>;

export interface SearchOptions {
  /** events older than this are gone, so a longer range only costs time */
  retentionDays?: number;
}

/**
 * The condition of a search on access_events: the time range, which every query on access
 * events must have (it selects the day partitions), and the compiled query. A query the user
 * must fix becomes a BAD_REQUEST that keeps its column.
 */
export function searchScope(input: ScopeInput, opts: SearchOptions = {}): SQL {
  checkRange(input.from, input.to, opts.retentionDays ?? DEFAULT_RETENTION_DAYS);
  let where: SQL;
  try {
    where = compileQuery(input.q);
  } catch (e) {
    if (e instanceof QueryError) throw new DomainError('BAD_REQUEST', e.message, e.column);
    throw e;
  }
  return sql`${ae.ts} >= ${input.from.toISOString()}::timestamptz and ${ae.ts} < ${input.to.toISOString()}::timestamptz and ${where}`;
}

export function checkRange(from: Date, to: Date, retentionDays: number) {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new DomainError('BAD_REQUEST', 'The time range needs a valid start and end');
  if (from >= to) throw new DomainError('BAD_REQUEST', 'The time range must start before it ends');
  if (to.getTime() - from.getTime() > retentionDays * 86_400_000) {
    throw new DomainError('BAD_REQUEST', `The time range is longer than the ${retentionDays} days events are kept: shorten it`);
  }
}
