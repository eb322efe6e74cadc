import { sql } from 'drizzle-orm';
import pg from 'pg';
import { beforeAll, beforeEach, describe } from 'vitest';
import { openDatabase, rows, type Database, type Db, type Engine } from '@/db/client';
import type { Role } from '@/lib/enums';
import { auditKeyring, installAuditKeyring } from '@/server/audit/keyring';
import type { Actor, Ctx } from '@/server/context';

/** Tests write audit entries as the console does: MACed under an audit key (a fixed one). */
export const TEST_AUDIT_KEY = Buffer.alloc(32, 7);
installAuditKeyring(auditKeyring(TEST_AUDIT_KEY));

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function engines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

type Cache = Partial<Record<Engine, Promise<Database>>>;
const KEY = Symbol.for('meshward.test.databases');

/** One database per engine per test worker, kept across the worker's files (opening PGlite costs seconds). */
export function openTestDb(engine: Engine): Promise<Database> {
  const g = globalThis as { [KEY]?: Cache };
  const cache = (g[KEY] ??= {});
  cache[engine] ??= engine === 'pglite' ? openDatabase({ dataDir: 'memory://' }) : openWorkerPostgres();
  return cache[engine];
}

async function openWorkerPostgres(): Promise<Database> {
  const base = process.env.TEST_DATABASE_URL!;
  const name = `meshward_test_${process.env.VITEST_POOL_ID ?? '0'}_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    // databases of test workers that are gone (their process ended without dropping them)
    const stale = await admin.query<{ datname: string }>(`select datname from pg_database where datname ~ '^meshward_test_[0-9]+_[0-9]+$'`);
    for (const { datname } of stale.rows) {
      const pid = Number(datname.split('_').pop());
      if (pid !== process.pid && !processAlive(pid)) await admin.query(`drop database if exists ${datname} with (force)`).catch(() => undefined);
    }
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return openDatabase({ databaseUrl: url.toString(), poolSize: 6 });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Empties every table, the append-only audit log included (its guard is lifted for the moment). */
export async function resetDb(db: Db) {
  const tables = await rows<{ name: string }>(
    db,
    sql`select tablename as name from pg_tables where schemaname = 'public'
        and tablename <> 'audit_log' and tablename not like 'access_events_p%'`,
  );
  await db.execute(sql.raw(`truncate ${tables.map((t) => `"${t.name}"`).join(', ')}`));
  await db.execute(sql`alter table audit_log disable trigger audit_log_no_truncate`);
  await db.execute(sql`truncate audit_log`);
  await db.execute(sql`alter table audit_log enable trigger audit_log_no_truncate`);
}

export interface Harness {
  engine: Engine;
  database: Database;
  db: Db;
}

/** A describe block run once per engine, with a fresh (emptied) database before each test. */
export function describeEachEngine(title: string, body: (h: Harness) => void) {
  describe.each(engines())(`${title} [%s]`, (engine) => {
    const h = { engine } as Harness;
    beforeAll(async () => {
      h.database = await openTestDb(engine);
      h.db = h.database.db;
    });
    beforeEach(() => resetDb(h.db));
    body(h);
  });
}

export function actor(role: Role, id = `usr_${role}`): Actor {
  return { id, email: `${role}@example.test`, role };
}

export function ctxFor(db: Db, who: Actor | null, extra: Partial<Ctx> = {}): Ctx {
  return { db, now: () => new Date(), actor: who, requestId: 'req-test', sourceIp: '192.0.2.10', ...extra };
}

/**
 * Accounts for `who`, as the operator would make them (no console issuer), so that rules reading
 * the users table (two enabled admins, credential provenance) see them. Existing ids are kept.
 */
export async function seedAccounts(db: Db, ...who: Actor[]): Promise<void> {
  const { users } = await import('@/db/schema');
  for (const a of who) {
    await db.insert(users).values({ id: a.id, email: a.email, name: '', role: a.role }).onConflictDoNothing();
  }
}

/** An account with a password, written directly (tests of sign-in and sessions need no links). */
export async function seedPasswordAccount(db: Db, a: { email: string; role: Role; password: string; name?: string }): Promise<Actor> {
  const { users } = await import('@/db/schema');
  const { hashPassword } = await import('@/server/auth/password');
  const [u] = await db.insert(users)
    .values({ id: `usr_${a.email}`, email: a.email, name: a.name ?? '', role: a.role, passwordHash: await hashPassword(a.password) })
    .returning({ id: users.id, email: users.email, role: users.role });
  return u;
}
