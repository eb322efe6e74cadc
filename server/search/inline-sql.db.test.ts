import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { rows, type Db } from '@/db/client';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { engines, openTestDb, resetDb } from '@/server/testing/db';
import { inlineParams } from './inline-sql';
import { compileQuery, QueryError } from './query';
import { HOSTILE_VALUES, hostileQueries, prng } from './query/fuzz-corpus';

const dialect = new PgDialect();
const T = Date.UTC(2026, 0, 15, 12);

/** The statement as drizzle sends it (with parameters) and as COPY would take it (literals). */
async function both<R>(db: Db, query: SQL): Promise<{ bound: R[]; inlined: R[] }> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const inlined = inlineParams(text, params);
  if (inlined === null) throw new Error(`not inlined: ${text} ${JSON.stringify(params)}`);
  return { bound: await rows<R>(db, query), inlined: await rows<R>(db, sql.raw(inlined)) };
}

describe.each(engines())('inlined statements mean what the bound ones do [%s]', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = (await openTestDb(engine)).db;
    await resetDb(db);
    // hostile values where the queries look: paths, user agents, tokens
    const values = HOSTILE_VALUES.filter((v) => !v.includes('\u0000') && !/[\ud800-\udfff]/.test(v));
    const events = values.map((v, i) =>
      event(T + i * 1000, `r${i}`, { path: `/x/${encodeURIComponent(v)}`, userAgent: v, tokenId: `tok-${i % 7}`, status: 200 + (i % 5) * 100 }),
    );
    await ingest(db, [{ events, principal }], T + 600_000);
  });

  it('returns the same rows for every hostile query that compiles', async () => {
    let ran = 0;
    let matched = 0;
    for (const input of hostileQueries(29, 700)) {
      let where: SQL;
      try {
        where = compileQuery(input);
      } catch (e) {
        if (e instanceof QueryError) continue;
        throw e;
      }
      const { sql: text, params } = dialect.sqlToQuery(where);
      // (a NUL cannot be a literal: the export then reads with a SELECT)
      if (inlineParams(text, params) === null) continue;
      const query = sql`select request_id from access_events where ts >= ${new Date(T).toISOString()}::timestamptz and ${where} order by request_id`;
      let result: { bound: { request_id: string }[]; inlined: { request_id: string }[] };
      try {
        result = await both(db, query);
      } catch {
        // a value the database refuses (an address that is not one) is refused either way
        await expect(rows(db, query), input).rejects.toBeDefined();
        continue;
      }
      expect(result.inlined, input).toEqual(result.bound);
      ran++;
      if (result.bound.length > 0) matched++;
    }
    expect(ran).toBeGreaterThan(250);
    expect(matched).toBeGreaterThan(20);
  });

  it('reads back every string as it was given', async () => {
    const rnd = prng(7);
    const pieces = ["'", "''", '\\', '\\\\', '$1', '$$', '"', 'E', "e'", '--', '/*', '*/', ';', '\n', '\r', '\t', 'é', '😀', '\u2028', ' ', 'a'];
    for (let n = 0; n < 300; n++) {
      const value = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
      const { bound, inlined } = await both<{ v: string; n: string }>(db, sql`select ${value}::text as v, ${value} || '' as n`);
      expect(inlined, JSON.stringify(value)).toEqual(bound);
      expect(inlined[0].v).toBe(value);
    }
  });
});
