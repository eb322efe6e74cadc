// Secondary indexes of the populated tables are dropped while bench:views loads them and
// built once at the end: maintaining a (token_id, bucket) btree row by row over tens of
// millions of rows costs more than sorting them once.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';

// The definitions are kept in the database until rebuilt, so an interrupted populate cannot lose an index.
const CREATE = sql`create table if not exists bench_views_dropped_indexes (name text primary key, definition text not null)`;

/** Drops the non-unique indexes of `tables`, remembering their definitions. */
export async function dropSecondaryIndexes(db: Db, tables: readonly string[]): Promise<void> {
  await db.execute(CREATE);
  await rebuildIndexes(db);
  const found = await rows<{ name: string; definition: string }>(
    db,
    sql`select i.relname as name, pg_get_indexdef(x.indexrelid) as definition
        from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
        where not x.indisunique and t.relname in (${sql.join(tables.map((t) => sql`${t}`), sql`, `)})`,
  );
  for (const ix of found) {
    await db.execute(sql`insert into bench_views_dropped_indexes (name, definition) values (${ix.name}, ${ix.definition})`);
    await db.execute(sql.raw(`drop index "${ix.name}"`));
  }
}

/** Builds every index dropped by dropSecondaryIndexes. */
export async function rebuildIndexes(db: Db): Promise<void> {
  await db.execute(CREATE);
  for (const ix of await rows<{ name: string; definition: string }>(db, sql`select name, definition from bench_views_dropped_indexes`)) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
      await tx.execute(sql.raw(ix.definition));
      await tx.execute(sql`delete from bench_views_dropped_indexes where name = ${ix.name}`);
    });
  }
}
