import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { DomainError } from '@/server/errors';
import { sqlState } from '@/server/ops/error-summary';

/** How long one search statement may run: a broad query over days must not hold a connection for minutes. */
export const SEARCH_TIMEOUT_MS = 10_000;

const QUERY_CANCELED = '57014';

export const TOO_LONG = 'the search took too long: narrow the time range or add a field';

/**
 * Runs `read` on `tx` (a transaction) under a statement timeout, and turns the timeout into an
 * error the person can act on. The timeout is lifted again before the caller goes on in the same
 * transaction (an audit append waits on the chain lock, and must not fail a finished read).
 */
export async function boundedRead<T>(tx: Db, read: () => Promise<T>, timeoutMs = SEARCH_TIMEOUT_MS): Promise<T> {
  // SET takes no parameters; the value is an integer we produced
  await tx.execute(sql.raw(`set local statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`));
  try {
    return await read();
  } catch (e) {
    if (sqlState(e) === QUERY_CANCELED) throw new DomainError('BAD_REQUEST', TOO_LONG);
    throw e;
  } finally {
    // (after an error the transaction is aborted and rolled back, which resets it anyway)
    await tx.execute(sql`set local statement_timeout to default`).catch(() => undefined);
  }
}
