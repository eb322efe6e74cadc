// A fresh PostgreSQL database for one run, on the server `baseUrl` points at; dropped afterwards.
import pg from 'pg';

export interface TempDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Connects to the server's `postgres` maintenance database: the one named in the URL may not exist. */
async function admin(baseUrl: string, statement: string): Promise<void> {
  const url = new URL(baseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * Creates `<prefix>_<pid>_<time>` on the server of `baseUrl` (whose own database is never
 * touched). Its URL is `baseUrl` with the database name replaced.
 */
export async function createTempDatabase(baseUrl: string, prefix: string): Promise<TempDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await admin(baseUrl, `create database "${name}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin(baseUrl, `drop database if exists "${name}" with (force)`),
  };
}
