// docs/sql/roles.sql and grants.sql against a real PostgreSQL: a migration role that owns the
// schema, and a runtime role that does the console's work without DDL and cannot change,
// remove or empty the audit log, nor lift its append-only triggers. PostgreSQL only (PGlite
// has one user); runs when TEST_DATABASE_URL is set, as CI does.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, settings } from '@/db/schema';
import { audited } from '@/server/audit/append';
import { auditKeyring, installAuditKeyring, installedAuditKeyring, type AuditKeyring } from '@/server/audit/keyring';
import { verifyAuditChain } from '@/server/audit/verify';
import { systemCtx } from '@/server/context';
import { createProxyToken } from '@/server/fleet/tokens';
import type { AccessEventInput } from '@/server/ingest/event';
import { IngestWriter } from '@/server/ingest/writer';
import { PartitionManager, dayOf } from '@/server/maintenance/partitions';
import { runRetention } from '@/server/maintenance/retention';
import { loadSecrets } from '@/server/secrets/load';
import { openDatabase, rows, type Database } from './client';

const base = process.env.TEST_DATABASE_URL;
const tag = `${process.env.VITEST_POOL_ID ?? '0'}_${process.pid}`;
const OWNER = `mw_owner_${tag}`;
const APP = `mw_app_${tag}`;
const DB = `meshward_roles_${tag}`;
const EMPTY_DB = `meshward_roles_empty_${tag}`;
const PASSWORD = 'roles-test-password';

/** The shipped SQL, for this test's role names (roles are per cluster, shared by concurrent runs). */
const shipped = (file: string) => readFileSync(`docs/sql/${file}`, 'utf8').replaceAll('meshward_owner', OWNER).replaceAll('meshward_app', APP);

function urlFor(user: string | null, database: string): string {
  const u = new URL(base!);
  if (user) {
    u.username = user;
    u.password = PASSWORD;
  }
  u.pathname = `/${database}`;
  return u.toString();
}

/** Each text as one query (a script of several statements runs as one transaction). */
async function asSuperuser(database: string, ...texts: string[]) {
  const c = new pg.Client({ connectionString: urlFor(null, database) });
  await c.connect();
  try {
    for (const text of texts) await c.query(text);
  } finally {
    await c.end();
  }
}

describe.skipIf(!base)('production database roles [postgres]', () => {
  let app: Database;
  let keyringBefore: AuditKeyring | null = null;

  beforeAll(async () => {
    keyringBefore = (() => { try { return installedAuditKeyring(); } catch { return null; } })();
    installAuditKeyring(auditKeyring(Buffer.alloc(32, 9)));
    const serverDb = new URL(base!).pathname.slice(1) || 'postgres';
    await asSuperuser(serverDb, `drop database if exists ${DB} with (force)`, `drop database if exists ${EMPTY_DB} with (force)`, `create database ${DB}`, `create database ${EMPTY_DB}`);
    await asSuperuser(DB, shipped('roles.sql'));
    await asSuperuser(serverDb, `alter role ${OWNER} password '${PASSWORD}'; alter role ${APP} password '${PASSWORD}'`);
    // what `npm run meshward -- migrate` does, as the owner; then the grants, as the owner too
    await (await openDatabase({ databaseUrl: urlFor(OWNER, DB), poolSize: 2 })).close();
    const owner = new pg.Client({ connectionString: urlFor(OWNER, DB) });
    await owner.connect();
    await owner.query(shipped('grants.sql'));
    await owner.end();
    app = await openDatabase({ databaseUrl: urlFor(APP, DB), poolSize: 3, migrate: false });
  }, 120_000);

  afterAll(async () => {
    if (keyringBefore) installAuditKeyring(keyringBefore);
    await app?.close();
    if (!base) return;
    const serverDb = new URL(base).pathname.slice(1) || 'postgres';
    await asSuperuser(serverDb, `drop database if exists ${DB} with (force)`, `drop database if exists ${EMPTY_DB} with (force)`, `drop role if exists ${APP}`, `drop role if exists ${OWNER}`);
  });

  it('the runtime role appends audit entries but cannot change, remove or empty the log, nor lift its guard', async () => {
    const ctx = systemCtx(app.db, 'roles-test');
    await audited(ctx, async (_tx, audit) => audit({ action: 'test.appended', targetType: 'thing', reason: 'by the runtime role' }));
    expect((await verifyAuditChain(ctx)).ok).toBe(true);
    const refused = async (statement: string, why: RegExp) => {
      const e = await app.db.execute(sql.raw(statement)).then(() => null, (err: { cause?: { message?: string }; message: string }) => err.cause?.message ?? err.message);
      expect(e, statement).toMatch(why);
    };
    await refused(`update audit_log set reason = 'rewritten'`, /permission denied for table audit_log/);
    await refused('delete from audit_log', /permission denied for table audit_log/);
    await refused('truncate audit_log', /permission denied for table audit_log/);
    await refused('alter table audit_log disable trigger audit_log_append_only', /must be owner of table audit_log/);
    await refused('drop trigger audit_log_append_only on audit_log', /must be owner of (table|relation) audit_log/);
    await refused('drop table audit_log', /must be owner of table audit_log/);
    await refused(`create or replace function audit_log_refuse_change() returns trigger language plpgsql as $$ begin return new; end $$`, /must be owner of function audit_log_refuse_change|permission denied for schema public/);
    await refused('create table scratch (a int)', /permission denied for schema public/);
    await refused('alter table settings add column x int', /must be owner of table settings/);
    await refused('create schema scratch', /permission denied for database/);
    const [{ n }] = await rows<{ n: number }>(app.db, sql`select count(*)::int as n from audit_log`);
    expect(n).toBe(1);
  });

  it('the runtime role does the console’s normal work: secrets, tokens, ingest into new day partitions, retention', async () => {
    const secrets = await loadSecrets(app.db, { DATABASE_URL: 'postgres://runtime', MESHWARD_DATA_DIR: './unused', MESHWARD_SECRET_KEY: Buffer.alloc(32, 3).toString('hex') });
    expect(secrets.authSecrets).toHaveLength(1);
    expect((await app.db.select().from(settings)).length).toBe(3);
    const ctx = systemCtx(app.db, 'roles-test');
    await createProxyToken(ctx, { name: 'edge', services: ['*'] });

    const partitions = new PartitionManager(app.db);
    const now = Date.now();
    const writer = new IngestWriter({ db: app.db, partitions, lanes: 1, maxQueuedEvents: 1000, maxGroupEvents: 100 });
    const ev = (i: number, ts: number): AccessEventInput => ({
      ts, proxyId: 'proxy-a', requestId: `req-${i}`, source: 'envoy', cluster: null, namespace: 'shop', srcService: 'shop/web', dstService: 'shop/users',
      method: 'GET', path: `/api/users/${i}`, route: '/api/users/{id}', query: null, status: 200, responseFlags: null, durationMs: 3, bytesIn: 0, bytesOut: 10,
      clientIp: null, serverAddress: null, userAgent: null, protocol: null, tokenId: null, userId: null, mtls: false, sensitive: null, sample: null,
    });
    // today, and ten days ago (a backfill: its partition is created on demand)
    expect(await writer.submit([ev(1, now), ev(2, now - 10 * 86_400_000)], { tokenId: 'pt_x' })).toEqual({ stored: 2, duplicates: 0 });
    await writer.close();
    expect(await partitions.existing()).toContain(dayOf(now - 10 * 86_400_000));
    const { dropped } = await runRetention(app.db, partitions, now, 5);
    expect(dropped).toHaveLength(1);
    expect(await partitions.existing()).not.toContain(dayOf(now - 10 * 86_400_000));
    expect((await verifyAuditChain(ctx)).ok).toBe(true);
    expect((await app.db.select().from(auditLog)).map((e) => e.action)).toContain('proxy_token.create');
  });

  it('the runtime role cannot migrate, and with MESHWARD_MIGRATE=off a console refuses a schema it does not match', async () => {
    await expect(openDatabase({ databaseUrl: urlFor(APP, DB), poolSize: 2 })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/permission denied for database/) } });
    await expect(openDatabase({ databaseUrl: urlFor(null, EMPTY_DB), poolSize: 2, migrate: false })).rejects.toThrow(
      /no migrations applied.*MESHWARD_MIGRATE=off: run `npm run --silent meshward -- migrate` with the migration role's DATABASE_URL/,
    );
  });
});
