// The CSV export's pages on PostgreSQL, read with COPY … TO STDOUT (FORMAT csv). With the lines
// made by a SELECT (export-sql.ts), PostgreSQL spent most of a page evaluating the quoting
// expressions, a dozen LIKEs a row; COPY's own CSV writer quotes in C by the same rule as
// csvText (a field holding a comma, quote, CR or LF is quoted, quotes doubled). What SQL still
// does per cell is csvText's formula neutralising and JavaScript's number text. Measured with
// bench:search; see the README's "Search performance".
//
// COPY takes no parameters: the statement's values are written in as literals by inlineParams
// (the driver's literal quoting, typed by context exactly as a parameter). Each page is its own
// REPEATABLE READ transaction under the search timeout, read whole into memory before it is
// handed on, so a slow download never holds a statement (or its snapshot) open.
import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Db } from '@/db/client';
import { accessEvents as ae } from '@/db/schema/access-events';
import { DomainError } from '@/server/errors';
import { sqlState } from '@/server/ops/error-summary';
import { TOO_LONG } from './bounded';
import type { Position } from './cursor';
import type { EventColumn } from './events';
import { FLOATS, jsNumber, pageColumnsSql, TEXTS, type PageRead } from './export-sql';
import { inlineParams } from './inline-sql';

const dialect = new PgDialect();

/** csvText's formula neutralising (= + - @ TAB CR get a leading '); '' as null, which COPY writes as an empty field (it would quote ''). */
function copyTextSql(v: SQL): SQL {
  return sql`case when ascii(${v}) in (61, 43, 45, 64, 9, 13) then '''' || ${v} else nullif(${v}, '') end`;
}

function copyCellSql(c: EventColumn): SQL {
  const text = TEXTS[c];
  if (text) return copyTextSql(sql.raw(`e.${text}`));
  const float = FLOATS[c];
  if (float) return jsNumber(sql.raw(`e.${float}`));
  if (c === 'status') return sql`e.status`;
  if (c === 'ts') return sql`e.tsm`;
  return copyTextSql(sql`e.sens`);
}

/**
 * A page's SELECT for COPY: three leading fields for Node (id, ts as UTC text, whether sensitive
 * is irregular: export-sql.ts) that splitCopyPage takes off, then the asked columns.
 */
export function copyPageSql(columns: readonly EventColumn[], scope: SQL, after: Position | null, pageSize: number): SQL {
  const keyset = after ? sql` and (${ae.ts}, ${ae.id}) < (${after.ts}::timestamptz, ${after.id}::bigint)` : sql``;
  const cells = sql.join(columns.map(copyCellSql), sql`, `);
  return sql`select e.oid, e.ots, e.irregular, ${cells}
    from (
      select ${pageColumnsSql('csv')}
      from ${ae} where ${scope}${keyset}
      order by ${ae.ts} desc, ${ae.id} desc limit ${pageSize + 1}
    ) e
    order by e.ots desc, e.oid desc`;
}

/** The COPY statement of `query`, its values as literals; null when one cannot be written so. */
export function copyStatement(query: SQL): string | null {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const inlined = inlineParams(text, params);
  return inlined === null ? null : `copy (${inlined}) to stdout with (format csv)`;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;

/**
 * Where the CSV record that starts at `from` ends (its \n), in COPY's CSV: a \n inside quotes
 * belongs to the field. `quote` is the first quote at or after `from`, or -1. Bytes, not
 * characters: in UTF-8 these ASCII bytes are never part of another character.
 */
function recordEnd(b: Buffer, from: number, quote: number): number {
  let nl = b.indexOf(LF, from);
  if (quote === -1 || (nl !== -1 && quote > nl)) return nl;
  let inQuote = false;
  let i = from;
  for (;;) {
    const q = b.indexOf(QUOTE, i);
    nl = b.indexOf(LF, i);
    if (nl === -1) return -1;
    if (q !== -1 && q < nl) {
      inQuote = !inQuote;
      i = q + 1;
    } else if (inQuote) {
      i = nl + 1;
    } else {
      return nl;
    }
  }
}

export interface CopyPage {
  /** the first `pageSize` records without their leading fields, each ending in CRLF, as UTF-8 */
  bytes: Buffer;
  found: number;
  last: Position | null;
  irregular: boolean;
}

/**
 * COPY's output of copyPageSql as the export's lines: leading fields off, CRLF line ends
 * (csvRenderer's). Kept as bytes: decoding a page to a string and encoding it again for the
 * response cost more than the rest of Node's share.
 */
export function splitCopyPage(b: Buffer, pageSize: number): CopyPage {
  // the leading fields take more than the \r each line gains
  const out = Buffer.allocUnsafe(b.length);
  let o = 0;
  let found = 0;
  let last: Position | null = null;
  let irregular = false;
  let quote = b.indexOf(QUOTE);
  let i = 0;
  while (i < b.length) {
    // id, ts and a boolean: never quoted
    const c1 = b.indexOf(COMMA, i);
    const c2 = c1 === -1 ? -1 : b.indexOf(COMMA, c1 + 1);
    const c3 = c2 === -1 ? -1 : b.indexOf(COMMA, c2 + 1);
    if (c3 === -1) throw new Error('export: a COPY record without its leading fields');
    if (quote !== -1 && quote <= c3) quote = b.indexOf(QUOTE, c3 + 1);
    const end = recordEnd(b, c3 + 1, quote);
    if (end === -1) throw new Error('export: a COPY record without its line end');
    found += 1;
    if (found <= pageSize) {
      o += b.copy(out, o, c3 + 1, end);
      out[o++] = 0x0d;
      out[o++] = LF;
      if (b[c2 + 1] === 0x74) irregular = true; // 't'
      if (found === pageSize) last = { id: b.toString('latin1', i, c1), ts: b.toString('latin1', c1 + 1, c2) };
    }
    i = end + 1;
    if (quote !== -1 && quote < i) quote = b.indexOf(QUOTE, i);
  }
  return { bytes: out.subarray(0, o), found, last, irregular };
}

function copyOut(client: pg.PoolClient, statement: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = client.query(copyTo(statement));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The pool behind `db` when it is node-postgres's, else null (PGlite). */
export function pgPool(db: Db): pg.Pool | null {
  const client = (db as unknown as { $client?: unknown }).$client;
  return client instanceof pg.Pool ? client : null;
}

export interface CopyReaderOptions {
  columns: readonly EventColumn[];
  scope: SQL;
  pageSize: number;
  timeoutMs: number;
  /** a page whose `sensitive` only Node reads right, read again on the same snapshot */
  irregular: (tx: Db, after: Position | null) => Promise<PageRead>;
}

/**
 * The page reader of a CSV export on PostgreSQL, or null where COPY does not apply (PGlite, a
 * value inlineParams refuses): the caller then reads pages with a SELECT.
 */
export function copyPageReader(db: Db, o: CopyReaderOptions): ((after: Position | null) => Promise<PageRead>) | null {
  const pool = pgPool(db);
  if (!pool) return null;
  // the first page's statement, built once: whether COPY applies is whether it can be written
  const first = copyStatement(copyPageSql(o.columns, o.scope, null, o.pageSize));
  if (first === null) return null;
  return async (after) => {
    const statement = after === null ? first : copyStatement(copyPageSql(o.columns, o.scope, after, o.pageSize));
    if (statement === null) throw new Error('export: a keyset that cannot be written as a literal');
    const client = await pool.connect();
    let failed: Error | undefined;
    try {
      // one round trip. SET takes no parameters; the timeout is an integer we produced. UTC ISO text
      // for the keyset, float8 as the shortest text that reads back (a server may be set otherwise)
      await client.query(
        `begin isolation level repeatable read, read only; set local statement_timeout = ${Math.max(1, Math.floor(o.timeoutMs))};
        set local timezone = 'UTC'; set local datestyle = 'ISO, YMD'; set local extra_float_digits = 1`,
      );
      const page = splitCopyPage(await copyOut(client, statement), o.pageSize);
      const read: PageRead = page.irregular ? await o.irregular(drizzle(client) as unknown as Db, after) : page;
      await client.query('commit');
      return read;
    } catch (e) {
      failed = e instanceof Error ? e : new Error(String(e));
      if (sqlState(e) === '57014') throw new DomainError('BAD_REQUEST', TOO_LONG);
      throw e;
    } finally {
      // a connection that failed mid-COPY is closed, not given to the next caller
      client.release(failed);
    }
  };
}
