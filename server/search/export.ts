// Streamed export of `/search`: everything a query matches in a range, as CSV or NDJSON, read
// page by page so that a million rows cost no more memory than ten thousand.
import { z } from 'zod';
import type { Db } from '@/db/client';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { fileTime, streamedDownload } from '@/server/http/csv-download';
import { jsonError, requireSessionPermission, type SessionSource } from '@/server/http/session-actor';
import { CSV_EOL, csvText } from '@/lib/csv';
import { boundedRead, SEARCH_TIMEOUT_MS } from './bounded';
import type { Position } from './cursor';
import { EVENT_COLUMNS, eventFields, readEventPage, type EventColumn, type EventFields, type EventRecord } from './events';
import { copyPageReader } from './export-copy';
import { lineSql, readRenderedPage, renderedPageSql, type PageRead } from './export-sql';
import { scopeInput, searchScope, type SearchOptions } from './scope';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Rows per read. With the lines rendered by PostgreSQL (export-sql.ts, export-copy.ts), a page
 * costs Node one string or buffer, so larger pages no longer cost garbage collection; they save
 * the per-statement planning (~1–10 ms a page, the day partitions) and round trips. Each page is
 * still its own statement under the search timeout: a page of a sparse query scans further, so
 * not larger than this.
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
 * Every event the query matches in [from, to), newest first (the result table's order), as UTF-8
 * chunks: CSV with a header row, or one JSON object per line. No row cap: it reads keyset pages
 * of EXPORT_PAGE rows (the result table's SELECT, events.ts, with its lines made by PostgreSQL:
 * COPY for CSV on PostgreSQL, export-copy.ts, a SELECT of lines otherwise, export-sql.ts), each
 * in a transaction of its own under the search statement timeout, one page ahead of what the
 * consumer has taken (the next page is read while this one is sent). A slow consumer slows the
 * reads; one that stops ends them. A page is one chunk: no per-row chunks or writes.
 *
 * The input and query are checked before this returns, so a caller can answer a mistake before
 * sending a byte. When the chunks end, however they end, one `search.export` audit entry says
 * what was read: query, range, format, columns, rows handed out and whether that was all
 * (PCI-DSS 10.2.1). Not the rows.
 */
export function exportEvents(ctx: Ctx, raw: ExportInput, opts: ExportOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const input = exportInput.parse(raw);
  const scope = searchScope(input, opts);
  const columns = dedupe(input.columns ?? EVENT_COLUMNS);
  const pageSize = Math.max(1, Math.floor(opts.pageSize ?? EXPORT_PAGE));
  const render = input.format === 'csv' ? csvRenderer(columns) : ndjsonRenderer(columns);

  const line = lineSql(input.format, columns);
  const timeoutMs = opts.timeoutMs ?? SEARCH_TIMEOUT_MS;

  // a `sensitive` only sensitiveCounts reads right: the page row by row, rendered in Node
  const recordsPage = async (tx: Db, after: Position | null): Promise<PageRead> => {
    const found = await readEventPage(tx, scope, after, pageSize + 1);
    const last = found.length > pageSize ? found[pageSize - 1] : null;
    return { records: found.slice(0, pageSize), found: found.length, last: last && { ts: last.ts, id: last.id } };
  };
  // CSV on PostgreSQL: COPY (export-copy.ts). Otherwise a page in a transaction of its own: its
  // SET LOCALs end with it, and no snapshot outlives a page
  const read =
    (input.format === 'csv' && copyPageReader(ctx.db, { columns, scope, pageSize, timeoutMs, irregular: recordsPage })) ||
    ((after: Position | null): Promise<PageRead> =>
      ctx.db.transaction((tx) =>
        boundedRead(tx, async (): Promise<PageRead> => {
          const page = await readRenderedPage(tx, renderedPageSql(input.format, scope, after, pageSize, line), pageSize);
          // (the same keyset, a moment later)
          return page.irregular ? recordsPage(tx, after) : page;
        }, timeoutMs),
      ));

  const utf8 = new TextEncoder();
  const bytesOf = (page: PageRead): Uint8Array =>
    'bytes' in page ? page.bytes : utf8.encode('text' in page ? page.text : render(page.records));

  async function* chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    let rows = 0;
    let complete = false;
    let head: Uint8Array | null = input.format === 'csv' ? utf8.encode(csvHeader(columns)) : null;
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
        const body = bytesOf(page);
        const chunk = head ? Buffer.concat([head, body]) : body;
        head = null;
        if (chunk.length > 0) {
          // counted as handed out: the consumer has the chunk once this yield hands it over
          rows += Math.min(page.found, pageSize);
          yield chunk;
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
// GET /api/search/export?q=&from=&to=&format=csv|ndjson&columns=a,b
// ---------------------------------------------------------------------------------------------

export interface ExportHttpDeps extends ExportOptions {
  db: Db;
  session: SessionSource;
  now?: () => Date;
}

const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

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
  const gate = await requireSessionPermission(req, deps, 'analyse');
  if (!gate.ok) return gate.response;
  const parsed = exportInput.safeParse(paramsOf(new URL(req.url)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? '');
    return jsonError(400, !name || issue.message.startsWith(name) ? issue.message : `${name}: ${issue.message}`, { column: null });
  }
  const input = parsed.data;
  return streamedDownload(
    req,
    () => ({
      chunks: exportEvents(gate.ctx, input, { ...deps, signal: req.signal }),
      contentType: CONTENT_TYPE[input.format],
      fileName: `meshward-search-${fileTime(input.from)}-${fileTime(input.to)}.${input.format === 'csv' ? 'csv' : 'ndjson'}`,
    }),
    // exportEvents writes its audit entry as its chunks end
    { label: 'search export', errorFields: (e) => ({ column: e.column }) },
  );
}
