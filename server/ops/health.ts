import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { log } from '@/server/log';
import type { Metrics } from './metrics';

/** What readiness uses of the console. */
export interface ReadinessDeps {
  database: Pick<Database, 'db' | 'engine'>;
  writer: { readonly queuedEvents: number };
  metrics: Pick<Metrics, 'dbError'>;
}

export interface Readiness {
  ok: boolean;
  engine: string;
  /** a fixed phrase: the database's own error text (host names, SQL, values) stays in the log */
  error?: string;
  queue: number;
}

const TIMEOUT_MS = 1000;

/** Readiness: the database answers within a second. */
export async function readiness(deps: ReadinessDeps): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS);
    timer.unref();
  });
  const { database, writer } = deps;
  try {
    const answer = await Promise.race([database.db.execute(sql`select 1`), timeout]);
    if (answer === 'timeout') {
      deps.metrics.dbError('health');
      return { ok: false, engine: database.engine, error: 'the database did not answer within 1 s', queue: writer.queuedEvents };
    }
    return { ok: true, engine: database.engine, queue: writer.queuedEvents };
  } catch (e) {
    deps.metrics.dbError('health');
    log.warn({ err: e }, 'readiness: the database is unavailable');
    return { ok: false, engine: database.engine, error: 'the database is unavailable', queue: writer.queuedEvents };
  } finally {
    clearTimeout(timer);
  }
}
