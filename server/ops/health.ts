import { sql } from 'drizzle-orm';
import type { Runtime } from '@/server/runtime';

/** Readiness: the database answers within a second. */
export async function readiness(rt: Runtime): Promise<{ ok: boolean; engine: string; error?: string; queue: number }> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('database did not answer within 1 s')), 1000).unref());
  try {
    await Promise.race([rt.database.db.execute(sql`select 1`), timeout]);
    return { ok: true, engine: rt.database.engine, queue: rt.writer.queuedEvents };
  } catch (e) {
    rt.metrics.dbError('health');
    return { ok: false, engine: rt.database.engine, error: (e as Error).message, queue: rt.writer.queuedEvents };
  }
}
