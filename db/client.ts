import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { lockDataDir } from './lock';
import * as schema from './schema';

export type Schema = typeof schema;
/** The drizzle handle every domain function receives; the same API on PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Engine = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  engine: Engine;
  /** how many statements may usefully run at once (PGlite is one connection) */
  concurrency: number;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** a folder, or `memory://` for an in-memory database */
  dataDir?: string;
  poolSize?: number;
}

const MIGRATIONS = path.join(process.cwd(), 'drizzle');
// Any fixed number works; it only has to be the same for every replica.
const MIGRATION_LOCK = 7_420_001;

/** Opens the database and brings its schema up to date (both engines run the same migrations). */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts.dataDir ?? './data');
}

async function openPglite(dataDir: string): Promise<Database> {
  let dir: string | undefined;
  let unlock = () => {};
  if (dataDir !== 'memory://') {
    const root = path.resolve(dataDir);
    dir = path.join(root, 'pglite');
    mkdirSync(dir, { recursive: true });
    unlock = lockDataDir(root);
  }
  try {
    const client = await PGlite.create(dir ? { dataDir: dir } : {});
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS });
    const close = async () => {
      await client.close();
      unlock();
    };
    return { db, engine: 'pglite', concurrency: 1, close };
  } catch (e) {
    unlock();
    throw e;
  }
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // Migrate on one connection holding an advisory lock, so replicas starting together take turns.
  const lockClient = new pg.Client({ connectionString: url });
  await lockClient.connect();
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(lockClient, { schema }), { migrationsFolder: MIGRATIONS });
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lockClient.end();
  }
  // JIT compilation costs 60–120 ms on the views' larger rollup aggregates and gains nothing at
  // their sizes (EXPLAIN ANALYZE on bench:views); the ingest statement does not use it either.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'meshward', options: '-c jit=off' });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return { db, engine: 'postgres', concurrency: poolSize, close: () => pool.end() };
}

/** Rows of a raw statement, on either engine. */
export async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const res = (await db.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
