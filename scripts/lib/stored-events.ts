// What a console's database holds, read directly (not through the console).
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from '@/db/client';
import type { DataStore } from './console-process';

/**
 * How many stored access events carry each request id. With PGlite the console must be
 * stopped first: its data folder belongs to one process at a time.
 */
export async function storedEventCounts(store: DataStore): Promise<Map<string, number>> {
  const database = await openDatabase(store.databaseUrl ? { databaseUrl: store.databaseUrl, poolSize: 2 } : { dataDir: store.dataDir });
  try {
    const found = await rows<{ request_id: string; n: number }>(
      database.db,
      sql`select request_id, count(*)::int as n from access_events group by request_id`,
    );
    return new Map(found.map((r) => [r.request_id, Number(r.n)]));
  } finally {
    await database.close();
  }
}
