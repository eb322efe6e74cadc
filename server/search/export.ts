// Streamed export of `/search`: everything a query matches in a range, as CSV or NDJSON, read
// page by page so that a million rows cost no more memory than ten thousand.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows as selectRows, type Db } from '@/db/client';
import { accessEvents as ae } from '@/db/schema/access-events';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { isDomainError, type DomainErrorCode } from '@/server/errors';
import { jsonError, requireSessionRole, type SessionSource } from '@/server/http/session-actor';
import { CSV_EOL, csvText } from '@/lib/csv';
import { log } from '@/server/log';
import { boundedRead, SEARCH_TIMEOUT_MS } from './bounded';
import type { Position } from './cursor';
import { EVENT_COLUMNS, eventFields, readEventPage, type EventColumn, type EventFields, type EventRecord } from './events';
import { scopeInput, searchScope, type SearchOptions } from './scope';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Rows per read. With the lines rendered by PostgreSQL (below), a page costs Node one string, so
 * larger pages no longer cost garbage collection; they save the per-statement planning (~1–10 ms
 * a page, the day partitions) and round trips. Each page is still its own statement under the
 * search timeout: a page of a sparse query scans further, so not larger than this.
 */
export const EXPORT_PAGE = 10_000;

const instant = (name: string) => z.coerce.date({ error: `${name} must be a time in ISO 8601, e.g. 2026-01-15T12:00:00Z` });

export const exportInput = scopeInput.extend({
  from: instant('from'),
  to: instant('to'),
  format: z.enum(EXPORT_FORMATS, { error: 'format must be csv or ndjson' }).default('csv'),
  /** in this order; all but the event key when left out */
  columns: z
    .array(z.enum(EVENT_COLUMNS, { error: (i) => `columns: no column ${JSON.stringify(i.input)}; the columns are ${EVENT_COLUMNS.join(', ')}` }))
    .min(1, 'columns: name at least one, or leave columns out for all')
    .max(30)
    .optional(),
});
export type ExportInput = z.input<typeof exportInput>;

export interface ExportOptions extends SearchOptions {
  /** rows per read (EXPORT_PAGE) */
  pageSize?: number;
  /** statement timeout of each read (SEARCH_TIMEOUT_MS) */
  timeoutMs?: number;
  /** stops before the next read once aborted (the client went away) */
  signal?: AbortSignal;
}

/**
 * Every event the query matches in [from, to), newest first (the result table's order), as text
 * chunks: CSV with a header row, or one JSON object per line. No row cap: it reads keyset pages
 * of EXPORT_PAGE rows (the result table's SELECT, events.ts, with its lines rendered by PostgreSQL), each in a transaction of its own
 * under the search statement timeout, one page ahead of what the consumer has taken (the next
 * page is read while this one is rendered and sent). A slow consumer slows the reads; one that
 * stops ends them. Each page's text is built in one string: no per-row chunks or writes.
 *
 * The input and query are checked before this returns, so a caller can answer a mistake before
 * sending a byte. When the chunks end, however they end, one `search.export` audit entry says
 * what was read: query, range, format, columns, rows handed out and whether that was all
 * (PCI-DSS 10.2.1). Not the rows.
 */
export function exportEvents(ctx: Ctx, raw: ExportInput, opts: ExportOptions = {}): AsyncGenerator<string, void, undefined> {
  const input = exportInput.parse(raw);
  const scope = searchScope(input, opts);
  const columns = dedupe(input.columns ?? EVENT_COLUMNS);
  const pageSize = Math.max(1, Math.floor(opts.pageSize ?? EXPORT_PAGE));
  const render = input.format === 'csv' ? csvRenderer(columns) : ndjsonRenderer(columns);

  const line = lineSql(input.format, columns);
  const timeoutMs = opts.timeoutMs ?? SEARCH_TIMEOUT_MS;

  // a page in a transaction of its own: its SET LOCALs end with it, and no snapshot outlives a page
  const read = (after: Position | null): Promise<PageRead> =>
    ctx.db.transaction((tx) =>
      boundedRead(tx, async (): Promise<PageRead> => {
        const page = await readRenderedPage(tx, renderedPageSql(input.format, scope, after, pageSize, line), pageSize);
        if (!page.irregular) return page;
        // a `sensitive` only sensitiveCounts reads right: this page row by row (the same keyset, a moment later)
        const found = await readEventPage(tx, scope, after, pageSize + 1);
        const last = found.length > pageSize ? found[pageSize - 1] : null;
        return { records: found.slice(0, pageSize), found: found.length, last: last && { ts: last.ts, id: last.id } };
      }, timeoutMs),
    );

  async function* chunks(): AsyncGenerator<string, void, undefined> {
    let rows = 0;
    let complete = false;
    let head = input.format === 'csv' ? csvHeader(columns) : '';
    // the page being read while the one before is sent
    let reading: Promise<PageRead> | null = null;
    try {
      if (opts.signal?.aborted) return;
      reading = read(null);
      while (reading) {
        const page = await reading;
        reading = null;
        if (page.found > pageSize && page.last && !opts.signal?.aborted) {
          reading = read(page.last);
          // awaited on the next turn, or in `finally`: never an unhandled rejection meanwhile
          reading.catch(() => undefined);
        }
        const text = head + ('text' in page ? page.text : render(page.records));
        head = '';
        if (text) {
          // counted as handed out: the consumer has the chunk once this yield hands it over
          rows += Math.min(page.found, pageSize);
          yield text;
        }
        if (opts.signal?.aborted) return;
      }
      complete = true;
    } finally {
      // a read still running ends first (and on PGlite, the audit needs the one connection anyway)
      if (reading) await reading.catch(() => undefined);
      await audited(ctx, async (_tx, audit) =>
        audit({
          action: 'search.export',
          targetType: 'access_events',
          after: { query: input.q, from: input.from.toISOString(), to: input.to.toISOString(), format: input.format, columns, rows, complete },
        }),
      );
    }
  }
  return chunks();
}

function dedupe(columns: readonly EventColumn[]): EventColumn[] {
  return [...new Set(columns)];
}

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180): comma-separated, CRLF line ends (the RFC's, and what spreadsheets expect), a
// field quoted when it holds a quote, comma, CR or LF, quotes doubled. No byte-order mark: the
// response says charset=utf-8. A null is an empty field.
//
// Paths, user agents and every other string come from whoever sent the request, so a text field
// that a spreadsheet would take for a formula (it starts with = + - @, a tab or a CR) gets a
// leading ' (OWASP "CSV injection"). Numbers are ours, and are written as they are.
// ---------------------------------------------------------------------------------------------

export { CSV_EOL, csvText };

/** `card_number:response:2;email:request:1` */
export function sensitiveText(list: EventFields['sensitive']): string {
  let out = '';
  for (const s of list) out += `${out ? ';' : ''}${s.class}:${s.direction}:${s.count}`;
  return out;
}

type Cell = (f: EventFields) => string;
const text = (pick: (f: EventFields) => string | null): Cell => (f) => {
  const v = pick(f);
  return v === null ? '' : csvText(v);
};
const num = (pick: (f: EventFields) => number | null): Cell => (f) => {
  const v = pick(f);
  return v === null ? '' : String(v);
};

const CSV_CELLS: Record<EventColumn, Cell> = {
  ts: (f) => f.ts,
  service: text((f) => f.service),
  caller: text((f) => f.caller),
  method: text((f) => f.method),
  path: text((f) => f.path),
  endpoint: text((f) => f.endpoint),
  status: num((f) => f.status),
  durationMs: num((f) => f.durationMs),
  bytesIn: num((f) => f.bytesIn),
  bytesOut: num((f) => f.bytesOut),
  clientAddress: text((f) => f.clientAddress),
  userAgent: text((f) => f.userAgent),
  token: text((f) => f.token),
  user: text((f) => f.user),
  proxy: text((f) => f.proxy),
  cluster: text((f) => f.cluster),
  namespace: text((f) => f.namespace),
  sensitive: (f) => csvText(sensitiveText(f.sensitive)),
  requestId: text((f) => f.requestId),
};

export function csvHeader(columns: readonly EventColumn[]): string {
  return columns.join(',') + CSV_EOL;
}

/** A page of records as CSV lines, built in one string. */
export function csvRenderer(columns: readonly EventColumn[]): (page: readonly EventRecord[]) => string {
  const cells = columns.map((c) => CSV_CELLS[c]);
  const n = cells.length;
  return (page) => {
    let out = '';
    for (const r of page) {
      const f = eventFields(r);
      let line = cells[0](f);
      for (let i = 1; i < n; i++) line += `,${cells[i](f)}`;
      out += line + CSV_EOL;
    }
    return out;
  };
}

/** A page of records as NDJSON: one object per line (`\n`), the columns in the order asked, `sensitive` as its array. */
export function ndjsonRenderer(columns: readonly EventColumn[]): (page: readonly EventRecord[]) => string {
  const all = columns.length === EVENT_COLUMNS.length && columns.every((c, i) => c === EVENT_COLUMNS[i]);
  return (page) => {
    let out = '';
    for (const r of page) {
      const f = eventFields(r);
      if (all) {
        out += `${JSON.stringify(f)}\n`;
        continue;
      }
      const picked: Record<string, unknown> = {};
      for (const c of columns) picked[c] = f[c];
      out += `${JSON.stringify(picked)}\n`;
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// The page as PostgreSQL renders it. Most of an export's time went to Node: node-postgres made an
// object of every row, eventFields another, and the renderer wrote every value a value at a time
// (issue 11's bench: ~30–40k rows/s, PostgreSQL idle half the time). Here the SELECT writes the
// lines itself, with the formatter's rules spelt out in SQL: a row is one text column (one small
// object), not two objects of twenty fields, and Node only joins the lines.
//
// Byte for byte what csvRenderer / ndjsonRenderer write (export.db.test.ts compares them on
// hostile values, on both engines), because:
// - text: csvText's neutralising and quoting; JSON strings through to_json, which escapes as
//   JSON.stringify does (", \, \b \f \n \r \t, other controls as \u00xx; U+2028 left alone);
// - numbers: JavaScript's String(n). float8's text with extra_float_digits ≥ 1 is the shortest
//   that reads back, as V8's, and the same text from 1e-4 to 1e15; outside that PostgreSQL writes
//   an exponent where JavaScript may not (1e-05, 1e+16), which jsNumber rewrites. NaN and
//   ±Infinity are null in JSON, as JSON.stringify has them;
// - ts: to the millisecond, cut (not rounded) from the microseconds;
// - sensitive: counts per class and direction in the order first seen, as sensitiveCounts adds
//   them. A list it cannot add exactly in SQL (a count that is not a small whole number, a string,
//   a true; a list stored as a JSON string) makes the page "irregular": that page is read again
//   and rendered in Node. The detectors never write one.
// ---------------------------------------------------------------------------------------------

/** `String(n)` of a float8 written by PostgreSQL as `t` (extra_float_digits ≥ 1); null stays null. */
function jsNumber(t: SQL): SQL {
  const m = sql`split_part(${t}, 'e', 1)`;
  const e = sql`split_part(${t}, 'e', 2)::int`;
  const sign = sql`case when left(${t}, 1) = '-' then '-' else '' end`;
  const digits = sql`replace(ltrim(${m}, '-'), '.', '')`;
  return sql`case when strpos(${t}, 'e') = 0 then (case when ${t} = '-0' then '0' else ${t} end)
    when ${e} >= 21 or ${e} <= -7 then ${m} || 'e' || (case when ${e} < 0 then '-' else '+' end) || abs(${e})::text
    when ${e} < 0 then ${sign} || '0.' || repeat('0', -${e} - 1) || ${digits}
    when length(${digits}) <= ${e} + 1 then ${sign} || ${digits} || repeat('0', ${e} + 1 - length(${digits}))
    else ${sign} || left(${digits}, ${e} + 1) || '.' || substr(${digits}, ${e} + 2) end`;
}

/** csvText of a text value; '' for null. LIKE, not a regular expression: it is several times faster. */
function csvTextSql(v: SQL): SQL {
  // = + - @ TAB CR
  const n = sql`case when ascii(${v}) in (61, 43, 45, 64, 9, 13) then '''' || ${v} else ${v} end`;
  return sql`case when ${v} is null then '' when ${v} like '%,%' or ${v} like '%"%' or ${v} like E'%\\n%' or ${v} like E'%\\r%'
    then '"' || replace(${n}, '"', '""') || '"' else ${n} end`;
}

const jsonText = (v: SQL): SQL => sql`coalesce(to_json(${v})::text, 'null')`;
const jsonNumber = (t: SQL): SQL => sql`case when ${t} is null or ${t} in ('NaN', 'Infinity', '-Infinity') then 'null' else ${jsNumber(t)} end`;

/**
 * The (class, direction, count) groups of the list `s`, first seen first, as sensitiveCounts
 * makes them, each rendered by `item` and joined by `sep`; null for none. A list of one (the
 * usual) without the subquery.
 */
function sensitiveSql(s: SQL, item: (c: SQL, d: SQL, n: SQL) => SQL, sep: string): SQL {
  const dir = (m: SQL) => sql`case when jsonb_typeof(${m} -> 'direction') = 'string' then ${m} ->> 'direction' else 'unknown' end`;
  const count = (m: SQL) => sql`case when jsonb_typeof(${m} -> 'count') = 'number' then (${m} ->> 'count')::numeric end`;
  const one = sql`(${s} -> 0)`;
  return sql`case when jsonb_array_length(${s}) = 1 and jsonb_typeof(${one}) = 'object' and jsonb_typeof(${one} -> 'class') = 'string'
    then ${item(sql`(${one} ->> 'class')`, dir(one), sql`coalesce(${count(one)}, 0)::bigint::text`)}
    else (select string_agg(${item(sql`g.c`, sql`g.d`, sql`g.n`)}, ${sql.raw(`'${sep}'`)} order by g.o) from (
      select x.m ->> 'class' as c, ${dir(sql`x.m`)} as d, coalesce(sum(${count(sql`x.m`)}), 0)::bigint::text as n, min(x.o) as o
      from jsonb_array_elements(${s}) with ordinality as x(m, o)
      where jsonb_typeof(x.m) = 'object' and jsonb_typeof(x.m -> 'class') = 'string'
      group by 1, 2) g) end`;
}

/** Whether sensitiveCounts reads the `sensitive` `s` differently from sensitiveSql (the subquery only runs for a list). */
function irregularSql(s: SQL): SQL {
  return sql`case jsonb_typeof(${s}) when 'string' then true when 'array' then exists (
    select 1 from jsonb_array_elements(${s}) as x(m)
    where jsonb_typeof(x.m) = 'object' and jsonb_typeof(x.m -> 'class') = 'string'
      and coalesce(jsonb_typeof(x.m -> 'count'), 'null') <> 'null'
      and not (jsonb_typeof(x.m -> 'count') = 'number' and (x.m ->> 'count')::numeric = trunc((x.m ->> 'count')::numeric)
        and abs((x.m ->> 'count')::numeric) < 1000000000)) else false end`;
}

/** The text columns, by the name the page's inner SELECT gives them. */
const TEXTS: Partial<Record<EventColumn, string>> = {
  service: 'dst_service', caller: 'src_service', method: 'method', path: 'path', endpoint: 'route', clientAddress: 'client_ip',
  userAgent: 'user_agent', token: 'token_id', user: 'user_id', proxy: 'proxy_id', cluster: 'cluster', namespace: 'namespace', requestId: 'request_id',
};
/** float8 text, by the name the inner SELECT gives it */
const FLOATS: Partial<Record<EventColumn, string>> = { durationMs: 'duration_ms', bytesIn: 'bytes_in', bytesOut: 'bytes_out' };

/** One cell over the inner SELECT's columns (`e.…`; `e.sens`: sensitive, rendered once there). */
function cellSql(format: ExportFormat, c: EventColumn): SQL {
  const text = TEXTS[c];
  if (text) return format === 'csv' ? csvTextSql(sql.raw(`e.${text}`)) : jsonText(sql.raw(`e.${text}`));
  const float = FLOATS[c];
  if (float) return format === 'csv' ? sql`coalesce(${jsNumber(sql.raw(`e.${float}`))}, '')` : jsonNumber(sql.raw(`e.${float}`));
  if (c === 'status') return sql`e.status`;
  if (c === 'ts') return format === 'csv' ? sql`e.tsm` : sql`'"' || e.tsm || '"'`;
  return format === 'csv' ? csvTextSql(sql`e.sens`) : sql`e.sens`;
}

/** The inner SELECT's `sens`: sensitive as its cell, computed once a row (the CSV cell reads it four times). */
function sensSql(format: ExportFormat): SQL {
  const s = sql`${ae.sensitive}`;
  if (format === 'csv') {
    return sql`case when jsonb_typeof(${s}) = 'array' then ${sensitiveSql(s, (c, d, n) => sql`${c} || ':' || ${d} || ':' || ${n}`, ';')} end`;
  }
  const item = (c: SQL, d: SQL, n: SQL) => sql`'{"class":' || to_json(${c})::text || ',"direction":' || to_json(${d})::text || ',"count":' || ${n} || '}'`;
  return sql`case when jsonb_typeof(${s}) = 'array' then '[' || coalesce(${sensitiveSql(s, item, ',')}, '') || ']' else '[]' end`;
}

/** One line (with its line end) of `columns` in `format`, as one concat(): `||` would copy the line once a cell. */
function lineSql(format: ExportFormat, columns: readonly EventColumn[]): SQL {
  const parts: SQL[] = [];
  columns.forEach((c, i) => {
    if (format === 'csv') {
      if (i > 0) parts.push(sql`','`);
    } else {
      // the key as JSON.stringify writes it: the column names are plain identifiers
      parts.push(sql.raw(`'${i === 0 ? '{' : ','}"${c}":'`));
    }
    parts.push(cellSql(format, c));
  });
  parts.push(format === 'csv' ? sql`E'\\r\\n'` : sql`E'}\\n'`);
  return sql`concat(${sql.join(parts, sql`, `)})`;
}

interface PageCommon {
  /** rows read, `pageSize + 1` when there are more */
  found: number;
  /** where the next page starts, when there are more */
  last: Position | null;
}
/** the page's lines, in order (`pageSize` rows at most) */
type RenderedPage = PageCommon & { text: string };
/** A page rendered in SQL, or its records (`pageSize` at most) for Node to render. */
type PageRead = RenderedPage | (PageCommon & { records: EventRecord[] });

/**
 * readEventPage's SELECT (its WHERE, ORDER BY and keyset, one row more to know whether there are
 * more), a line per row in order, with the keyset of row `pageSize` on that row.
 */
function renderedPageSql(format: ExportFormat, scope: SQL, after: Position | null, pageSize: number, line: SQL): SQL {
  const keyset = after ? sql` and (${ae.ts}, ${ae.id}) < (${after.ts}::timestamptz, ${after.id}::bigint)` : sql``;
  const utc = sql`${ae.ts} at time zone 'UTC'`;
  return sql`
    select p.line, case when p.rn = ${pageSize} then to_char(p.ots at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') end as last_ts,
      case when p.rn = ${pageSize} then p.oid::text end as last_id, p.irregular
    from (
      select ${line} as line, e.ots, e.oid, e.irregular, row_number() over (order by e.ots desc, e.oid desc) as rn
      from (
        select ${ae.ts} as ots, ${ae.id} as oid,
          -- eventFields' ts: the first 23 characters of the microseconds (MS is the same cut, for 4-digit years AD)
          case when ${ae.ts} >= '0001-01-01Z' and ${ae.ts} < '10000-01-01Z' then to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
            else left(to_char(${utc}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 23) || 'Z' end as tsm,
          proxy_id, request_id, dst_service, src_service, method, path, route, status::int::text as status, duration_ms::text as duration_ms,
          bytes_in::float8::text as bytes_in, bytes_out::float8::text as bytes_out, host(client_ip) as client_ip, user_agent, token_id, user_id,
          cluster, namespace, ${sensSql(format)} as sens, ${irregularSql(sql`${ae.sensitive}`)} as irregular
        from ${ae} where ${scope}${keyset}
        order by ${ae.ts} desc, ${ae.id} desc limit ${pageSize + 1}
      ) e
    ) p
    order by p.rn`;
}

/** Up to `pageSize` events of a page (renderedPageSql) as one string. Run it under boundedRead. */
async function readRenderedPage(tx: Db, query: SQL, pageSize: number): Promise<RenderedPage & { irregular: boolean }> {
  // float8 as the shortest text that reads back (the default; a server may be set otherwise)
  await tx.execute(sql`set local extra_float_digits = 1`);
  const found = await selectRows<{ line: string; last_ts: string | null; last_id: string | null; irregular: boolean | null }>(tx, query);
  let text = '';
  let last: Position | null = null;
  let irregular = false;
  const n = Math.min(found.length, pageSize);
  for (let i = 0; i < n; i++) {
    const r = found[i];
    text += r.line;
    if (r.irregular) irregular = true;
    if (r.last_ts !== null && r.last_id !== null) last = { ts: r.last_ts, id: r.last_id };
  }
  return { text, found: found.length, last, irregular: irregular || Boolean(found[n]?.irregular) };
}

// ---------------------------------------------------------------------------------------------
// GET /api/search/export?q=&from=&to=&format=csv|ndjson&columns=a,b
// ---------------------------------------------------------------------------------------------

export interface ExportHttpDeps extends ExportOptions {
  db: Db;
  session: SessionSource;
  now?: () => Date;
}

const STATUS: Record<DomainErrorCode, number> = { BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409, FORBIDDEN: 403, TOO_MANY_REQUESTS: 429 };

const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

/** `20260115T120000Z`: a time for a file name (no colons, which some systems refuse). */
function fileTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The query string as exportInput takes it: `columns` comma-separated, an absent value left out. */
function paramsOf(url: URL): Record<string, unknown> {
  const p = url.searchParams;
  const columns = p.get('columns');
  return {
    q: p.get('q') ?? '',
    from: p.get('from') ?? undefined,
    to: p.get('to') ?? undefined,
    format: p.get('format') || undefined,
    columns: columns ? columns.split(',').map((c) => c.trim()).filter(Boolean) : undefined,
  };
}

/**
 * The export as an HTTP download, for analysts (SPEC "Roles"): 401/403 JSON without the session
 * or the role; 400 JSON `{ error, column }` for input or a query to fix, before any byte of the
 * file. The first page is read before answering, so a search that times out is a 400 saying what
 * to narrow, not a broken download. The body is a pull stream: each page is read when the client
 * has taken the one before, and a cancelled download (or a request the client aborted) stops the
 * reads and is audited `complete: false`.
 */
export async function exportResponse(req: Request, deps: ExportHttpDeps): Promise<Response> {
  const gate = await requireSessionRole(req, deps, 'analyst');
  if (!gate.ok) return gate.response;
  const parsed = exportInput.safeParse(paramsOf(new URL(req.url)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? '');
    return jsonError(400, !name || issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`, { column: null });
  }
  const input = parsed.data;
  let chunks: AsyncGenerator<string, void, undefined>;
  let first: IteratorResult<string, void>;
  try {
    chunks = exportEvents(gate.ctx, input, { ...deps, signal: req.signal });
    first = await chunks.next();
  } catch (e) {
    if (isDomainError(e)) return jsonError(STATUS[e.code], e.message, { column: e.column });
    log.error({ err: e }, 'search export failed');
    return jsonError(500, 'Something went wrong on the server');
  }

  const encoder = new TextEncoder();
  let pending: IteratorResult<string, void> | null = first;
  const stop = () => void chunks.return(undefined).catch((err: unknown) => log.error({ err }, 'search export: recording the export failed'));
  req.signal.addEventListener('abort', stop, { once: true });
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = pending ?? (await chunks.next());
          pending = null;
          if (next.done) {
            req.signal.removeEventListener('abort', stop);
            controller.close();
          } else {
            controller.enqueue(encoder.encode(next.value));
          }
        } catch (err) {
          // the status is sent: all that is left is to break the download, so the client does not take it for whole
          log.error({ err }, 'search export failed mid-stream');
          req.signal.removeEventListener('abort', stop);
          controller.error(err);
        }
      },
      async cancel() {
        req.signal.removeEventListener('abort', stop);
        await chunks.return(undefined);
      },
    },
    // one chunk read ahead: the next page is fetched while the network sends this one
    { highWaterMark: 1 },
  );

  const ext = input.format === 'csv' ? 'csv' : 'ndjson';
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPE[input.format],
      'content-disposition': `attachment; filename="meshward-search-${fileTime(input.from)}-${fileTime(input.to)}.${ext}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
