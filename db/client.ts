import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { lockDataDir } from './lock';
import * as schema from './schema';

export type Schema = typeof schema;
/**
 * The drizzle handle every domain function receives: a database or a transaction (a drizzle
 * transaction is one of these, so a function runs unchanged inside the caller's transaction);
 * the same API on PGlite and PostgreSQL. Security-posture changes go through `audited()`
 * (server/audit/append.ts), which opens the transaction and writes its audit entry.
 */
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
  /**
   * PostgreSQL: false leaves the schema alone and only checks it is current — for a runtime role
   * without DDL, with migrations run beforehand by the migration role (docs/sql/). Default true.
   */
  migrate?: boolean;
}

const MIGRATIONS = path.join(process.cwd(), 'drizzle');
// Any fixed number works; it only has to be the same for every replica.
const MIGRATION_LOCK = 7_420_001;

/** Opens the database and brings its schema up to date (both engines run the same migrations). */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.migrate ?? true);
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

/** Refuses to start on a schema older (or newer) than this version's migrations. */
async function checkMigrated(client: pg.Client) {
  const expected = readMigrationFiles({ migrationsFolder: MIGRATIONS }).at(-1)?.folderMillis;
  const applied = await client
    .query<{ created_at: string }>('select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1')
    .then((r) => Number(r.rows[0]?.created_at), (e: { code?: string; message: string }) => {
      if (e.code === '42P01' || e.code === '3F000') return null; // never migrated
      throw new Error(`cannot read which migrations the database has (drizzle.__drizzle_migrations): ${e.message}`);
    });
  if (applied !== expected) {
    throw new Error(
      `the database schema is not the one this version needs (${applied ? `it is at migration ${applied}` : 'no migrations applied'}, ` +
        `this version needs ${expected}), and MESHWARD_MIGRATE=off: run \`npm run --silent meshward -- migrate\` ` +
        'with the migration role\'s DATABASE_URL first (README "Database roles")',
    );
  }
}

async function openPostgres(url: string, poolSize: number, migrate: boolean): Promise<Database> {
  // Migrate on one connection holding an advisory lock, so replicas starting together take turns.
  const lockClient = new pg.Client({ connectionString: url });
  await lockClient.connect();
  if (!migrate) {
    try {
      await checkMigrated(lockClient);
    } finally {
      await lockClient.end();
    }
    return openPool(url, poolSize);
  }
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(lockClient, { schema }), { migrationsFolder: MIGRATIONS });
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lockClient.end();
  }
  return openPool(url, poolSize);
}

function openPool(url: string, poolSize: number): Database {
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
