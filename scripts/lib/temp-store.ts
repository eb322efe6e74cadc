// A fresh place for a console's data: a temp PGlite folder, or a temp PostgreSQL database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Engine } from '@/db/client';
import type { DataStore } from './console-process';
import { createTempDatabase } from './temp-database';

export interface TempStore {
  engine: Engine;
  store: DataStore;
  remove(): Promise<void>;
}

/** `postgresUrl` names the server for the `postgres` engine (its own database is left alone). */
export async function createTempStore(engine: Engine, prefix: string, postgresUrl?: string): Promise<TempStore> {
  if (engine === 'postgres') {
    if (!postgresUrl) throw new Error('the postgres engine needs a server URL');
    const db = await createTempDatabase(postgresUrl, prefix);
    return { engine, store: { databaseUrl: db.url }, remove: () => db.drop() };
  }
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  return { engine, store: { dataDir: dir }, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}
