// The console process and the admin CLI with the keys: what the demo creates on first start,
// what a PostgreSQL console refuses without a master key, the audit checkpoint published at
// /api/health?audit, and `audit verify --checkpoint` noticing the newest entries removed.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@/db/client';
import { settings } from '@/db/schema';
import { startConsole, type ConsoleProcess } from '@/scripts/lib/console-process';
import { createTempStore, type TempStore } from '@/scripts/lib/temp-store';

const run = promisify(execFile);
const ADMIN = { MESHWARD_ADMIN_EMAIL: 'admin@keys.test', MESHWARD_ADMIN_PASSWORD: 'keys-admin-password-1' };

/** The admin CLI on the embedded database in `dataDir`: its exit code and output. */
async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, MESHWARD_DATA_DIR: dataDir, MESHWARD_LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'scripts/meshward.ts', ...args], { env });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('keys on the embedded database (the demo)', () => {
  let temp: TempStore;
  let server: ConsoleProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    await temp?.remove();
  });

  it('creates a 0600 key file, keeps its secrets encrypted, publishes checkpoints and the key set; the CLI checks a checkpoint', async () => {
    temp = await createTempStore('pglite', 'meshward_keys');
    const dataDir = temp.store.dataDir!;
    server = await startConsole({ store: temp.store, env: ADMIN });

    const health = await (await fetch(`${server.url}/api/health?audit`)).json() as { ok: boolean; audit: { id: number; hash: string; count: number; at: string } };
    expect(health.ok).toBe(true);
    expect(health.audit.id).toBeGreaterThanOrEqual(1); // the first admin's creation
    expect(health.audit.count).toBe(health.audit.id);
    expect(health.audit.hash).toMatch(/^[0-9a-f]{64}$/);

    const single = await fetch(`${server.url}/api/fleet/v1/signing-key`);
    const set = await (await fetch(`${server.url}/api/fleet/v1/signing-keys`)).json() as { keys: { key_id: string; status: string; public_pem: string }[]; signatures: unknown[] };
    expect(set.keys).toEqual([{ key_id: single.headers.get('x-meshward-key-id'), status: 'active', public_pem: await single.text() }]);
    expect(set.signatures).toHaveLength(1);

    expect((await server.stop()).code).toBe(0);
    server = undefined;
    expect(statSync(path.join(dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    const database = await openDatabase({ dataDir });
    try {
      const rows = await database.db.select().from(settings);
      expect(rows.map((r) => r.key).sort()).toEqual(['audit_key', 'auth_secret', 'policy_signing_key']);
      for (const r of rows) expect(r.value).toMatch(/^mwsealed:v1:/);
    } finally {
      await database.close();
    }

    const checkpoint = `${health.audit.id}:${health.audit.hash}`;
    const intact = await cli(dataDir, 'audit', 'verify', '--checkpoint', checkpoint);
    expect(intact.out).toContain(`audit chain intact: ${health.audit.id} entries, reaching 1 checkpoint`);
    expect(intact.code).toBe(0);

    // someone with the database's owner rights removes the newest entry
    const owner = await openDatabase({ dataDir });
    try {
      await owner.db.execute(sql`alter table audit_log disable trigger user`);
      await owner.db.execute(sql`delete from audit_log where id = ${health.audit.id}`);
      await owner.db.execute(sql`alter table audit_log enable trigger user`);
    } finally {
      await owner.close();
    }
    expect((await cli(dataDir, 'audit', 'verify')).code).toBe(0); // a shorter chain is still a chain
    const cut = await cli(dataDir, 'audit', 'verify', '--checkpoint', checkpoint);
    expect(cut.out).toContain(`but a checkpoint was taken at entry ${health.audit.id}: the newest entries were removed`);
    expect(cut.code).toBe(1);
    expect(await cli(dataDir, 'audit', 'verify', '--checkpoint', 'latest')).toMatchObject({ code: 2, out: expect.stringContaining('<entry id>:<64 hex digit hash>') });
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('keys on PostgreSQL', () => {
  let temp: TempStore;
  let server: ConsoleProcess | undefined;
  afterAll(async () => {
    await server?.kill();
    await temp?.remove();
  });

  it('without a master key the console refuses to start and says what to set; with one it starts', async () => {
    temp = await createTempStore('postgres', 'meshward_keys', process.env.TEST_DATABASE_URL);
    const refused = startConsole({ store: temp.store, env: { ...ADMIN, MESHWARD_SECRET_KEY: '' }, readyTimeoutMs: 60_000 });
    await expect(refused).rejects.toThrow(/with PostgreSQL it keeps secrets there only encrypted, and no key to encrypt them was given\. Set MESHWARD_SECRET_KEY \(or MESHWARD_SECRET_KEY_FILE\)/);
    server = await startConsole({ store: temp.store, env: ADMIN });
    expect((await fetch(`${server.url}/api/health?ready`)).status).toBe(200);
  });
});
