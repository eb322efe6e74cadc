import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';

/**
 * Summarises the pages added to the rollups' BRIN bucket indexes (db/schema/rollups.ts)
 * since the last call. PostgreSQL does it only in (auto)vacuum, which PGlite never runs;
 * unsummarised pages are read by every bucket-range scan, so without this the compaction
 * job's scans would grow to whole tables. Cheap: it reads only the new pages.
 */
export async function summarizeBucketIndexes(db: Db): Promise<void> {
  await db.execute(sql`select brin_summarize_new_values(i.indexrelid)
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
    where a.amname = 'brin' and c.relnamespace = current_schema()::regnamespace`);
}
