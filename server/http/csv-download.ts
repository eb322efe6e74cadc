// A console table as a CSV download (GET /api/export/<table>): the table's own tRPC input read
// from the query string, every row it matches read page by page and streamed, one audit entry
// when the file ends. The tables are described in server/exports/tables.ts. The streamed response
// itself (streamedDownload) is search's export's too (server/search/export.ts).
import superjson from 'superjson';
import type { z } from 'zod';
import type { Db } from '@/db/client';
import { CSV_EOL, csvText } from '@/lib/csv';
import type { Permission } from '@/lib/permissions';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { isDomainError, type DomainError, type DomainErrorCode } from '@/server/errors';
import { log } from '@/server/log';
import { jsonError, requireSessionPermission, type SessionSource } from './session-actor';

// ---------------------------------------------------------------------------------------------
// Cells and lines. Text goes through csvText (RFC 4180 quoting, and no cell a spreadsheet would
// run as a formula: service names, paths, user agents, audit reasons all come from outside).
// Numbers, booleans and times are ours and are written as they are; null is an empty field.
// ---------------------------------------------------------------------------------------------

export type CsvValue = string | number | boolean | bigint | Date | null | undefined;

export interface CsvColumn<R> {
  /** the header cell: the field's name in the procedure's output, so the file reads like the API */
  header: string;
  value: (row: R) => CsvValue;
}

export function csvCell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return csvText(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return String(v);
}

export function csvHeaderLine(columns: readonly CsvColumn<never>[]): string {
  return columns.map((c) => csvText(c.header)).join(',') + CSV_EOL;
}

/** Rows as CSV lines, in one string. */
export function csvLines<R>(columns: readonly CsvColumn<R>[], rows: readonly R[]): string {
  let out = '';
  for (const r of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i++) line += (i ? ',' : '') + csvCell(columns[i].value(r));
    out += line + CSV_EOL;
  }
  return out;
}

/** How far a download got: rows handed to the consumer, and whether that was all of them. */
export interface CsvProgress {
  rows: number;
  complete: boolean;
}

/**
 * The header and the rows of `pages` as UTF-8 chunks, one chunk per page. The header comes with
 * the first page, so the first `next()` reads it: a failing read is known before anything is
 * sent. `progress` is updated as chunks are handed out; an empty table is the header alone.
 */
export async function* csvChunks<R>(
  columns: readonly CsvColumn<R>[],
  pages: AsyncIterable<readonly R[]>,
  progress: CsvProgress = { rows: 0, complete: false },
): AsyncGenerator<Uint8Array, void, undefined> {
  const utf8 = new TextEncoder();
  let head: string | null = csvHeaderLine(columns as readonly CsvColumn<never>[]);
  for await (const page of pages) {
    if (!page.length) continue;
    const text: string = (head ?? '') + csvLines(columns, page);
    head = null;
    // counted as handed out: the consumer has the chunk once this yield hands it over
    progress.rows += page.length;
    yield utf8.encode(text);
  }
  if (head !== null) yield utf8.encode(head);
  progress.complete = true;
}

// ---------------------------------------------------------------------------------------------
// Pages: every list in the console is paged; an export walks all its pages.
// ---------------------------------------------------------------------------------------------

/** Rows per read of an export (a list function's own page size is for the screen). */
export const DOWNLOAD_PAGE = 1000;

/**
 * `read(offset, limit)` until a short page: for lists ordered on a full key whose function takes
 * an offset (a row that moves between two reads may be skipped or repeated; keysetPages cannot).
 */
export async function* offsetPages<R>(
  read: (offset: number, limit: number) => Promise<readonly R[]>,
  size = DOWNLOAD_PAGE,
  signal?: AbortSignal,
): AsyncGenerator<readonly R[], void, undefined> {
  for (let offset = 0; !signal?.aborted; offset += size) {
    const page = await read(offset, size);
    yield page;
    if (page.length < size) return;
  }
}

/** `read(after, limit)` until a short page, `after` the key of the last row read (null first). */
export async function* keysetPages<R, K>(
  read: (after: K | null, limit: number) => Promise<readonly R[]>,
  keyOf: (row: R) => K,
  size = DOWNLOAD_PAGE,
  signal?: AbortSignal,
): AsyncGenerator<readonly R[], void, undefined> {
  let after: K | null = null;
  while (!signal?.aborted) {
    const page = await read(after, size);
    yield page;
    if (page.length < size) return;
    after = keyOf(page[page.length - 1]);
  }
}

// ---------------------------------------------------------------------------------------------
// The response: a file streamed as the client takes it
// ---------------------------------------------------------------------------------------------

const STATUS: Record<DomainErrorCode, number> = { BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409, FORBIDDEN: 403, TOO_MANY_REQUESTS: 429 };

/** `20260115T120000Z`: a time for a file name (no colons, which some systems refuse). */
export function fileTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** A download's file, opened: its chunks (not yet read) and how the response names it. */
export interface DownloadFile {
  chunks: AsyncGenerator<Uint8Array, void, undefined>;
  contentType: string;
  /** written into content-disposition as it is: only [a-z0-9.-] */
  fileName: string;
}

export interface DownloadOptions {
  /** what the log lines call the download (`CSV export`), and fields they carry */
  label: string;
  logFields?: Record<string, unknown>;
  /** more of the JSON answer to a DomainError raised before the first chunk (search's `column`) */
  errorFields?: (e: DomainError) => Record<string, unknown>;
  /**
   * Once, when the body ends however it ends (read to the end, failed, cancelled, the request
   * aborted), after `chunks` has been closed: the audit entry, where `chunks` does not write it
   * itself. Not when the first chunk fails (the answer is then an error, not a file).
   */
  finished?: () => Promise<void>;
}

/**
 * `open()`'s file as a download. The first chunk is read before answering, so input or a read
 * that fails is JSON (a DomainError's status and message; 500 for anything else), not a broken
 * file. The body is a pull stream: a chunk is read when the client has taken the one before
 * (one ahead), and a cancelled download or an aborted request closes `chunks`, which stops the
 * reads. A read that fails mid-stream breaks the download, so the client does not take it for
 * whole. Whatever the end, `chunks` is closed and `finished` runs, once; a failure there is logged.
 */
export async function streamedDownload(req: Request, open: () => DownloadFile, opts: DownloadOptions): Promise<Response> {
  let file: DownloadFile;
  let first: IteratorResult<Uint8Array, void>;
  try {
    file = open();
    first = await file.chunks.next();
  } catch (e) {
    if (isDomainError(e)) return jsonError(STATUS[e.code], e.message, opts.errorFields?.(e));
    log.error({ err: e, ...opts.logFields }, `${opts.label} failed`);
    return jsonError(500, 'Something went wrong on the server');
  }
  const { chunks } = file;

  let pending: IteratorResult<Uint8Array, void> | null = first;
  const recordingFailed = (err: unknown) => log.error({ err, ...opts.logFields }, `${opts.label}: recording the export failed`);
  let ended: Promise<void> | null = null;
  const finish = (): Promise<void> =>
    (ended ??= (async () => {
      req.signal.removeEventListener('abort', stop);
      // a generator that writes its audit entry as it ends does so here
      await chunks.return(undefined).catch(recordingFailed);
      await opts.finished?.().catch(recordingFailed);
    })());
  const stop = () => void finish();
  req.signal.addEventListener('abort', stop, { once: true });

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = pending ?? (await chunks.next());
          pending = null;
          if (next.done) {
            await finish();
            controller.close();
          } else {
            controller.enqueue(next.value);
          }
        } catch (err) {
          // the status is sent: all that is left is to break the download, so the client does not take it for whole
          log.error({ err, ...opts.logFields }, `${opts.label} failed mid-stream`);
          await finish();
          controller.error(err);
        }
      },
      async cancel() {
        await finish();
      },
    },
    // one chunk read ahead: the next page is read while the network sends this one
    { highWaterMark: 1 },
  );

  return new Response(body, {
    status: 200,
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The download
// ---------------------------------------------------------------------------------------------

/** A table that downloads as CSV. `I` is its procedure's parsed input. */
export interface CsvTable<I, R> {
  /** in the URL, the file name and the audit entry: `flows`, `audit-log` */
  name: string;
  /** who may download it (lib/permissions.ts) */
  permission: Permission;
  /** the input schema of the procedure the table's page calls: the same filters, sort and range */
  input: z.ZodType<I, unknown>;
  columns: readonly CsvColumn<R>[];
  /** every row the input matches, in the page's order, `pageSize` rows a read (where it reads in pages) */
  pages: (ctx: Ctx, input: I, read: { signal: AbortSignal; pageSize: number }) => AsyncIterable<readonly R[]>;
  /** the time range the file covers, for its name; the moment of the download when absent */
  span?: (ctx: Ctx, input: I) => { from: Date | null; to: Date | null };
  /** the audit entry's action and target type, and what of the input it records (filters, range) */
  audit: { action: string; targetType: string; filters: (ctx: Ctx, input: I) => unknown };
}

export interface CsvDownloadDeps {
  db: Db;
  session: SessionSource;
  now?: () => Date;
  /** rows per read (DOWNLOAD_PAGE) */
  pageSize?: number;
}

/** `meshward-flows-20260115T120000Z-20260115T130000Z.csv`: only [a-z0-9.-], nothing from the request but instants. */
export function csvFileName(name: string, span: { from: Date | null; to: Date | null } | null, now: Date): string {
  const safe = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const times = span ? `${span.from ? fileTime(span.from) : 'start'}-${fileTime(span.to ?? now)}` : fileTime(now);
  return `meshward-${safe}-${times}.csv`;
}

/** `?input=` as the procedure's schema reads it, or the message a person can act on. */
function readInput<I>(url: URL, schema: z.ZodType<I, unknown>): { ok: true; input: I } | { ok: false; error: string } {
  const raw = url.searchParams.get('input');
  let value: unknown;
  if (raw !== null && raw !== '') {
    try {
      value = superjson.parse(raw);
    } catch {
      return { ok: false, error: 'input must be the view\'s query, as JSON (superjson, as tRPC sends it)' };
    }
  }
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return { ok: true, input: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue.path.map(String).join('.');
  return { ok: false, error: path ? `${path}: ${issue.message}` : issue.message };
}

/**
 * `table` as a CSV download for a signed-in person whose role holds its permission: 401/403 JSON
 * otherwise (server/http/session-actor.ts, a cross-site start refused too); 400 JSON for input to
 * fix. The first page is read before answering, so a failing read is JSON too, not a broken file.
 * The body is a pull stream: a page is read when the client has taken the one before (one ahead),
 * and a cancelled download stops the reads. The clock is fixed at the request for every page, so
 * a range like "last hour" means the same hour on each read. When the file ends, however it
 * ends, one audit entry records who downloaded which table with which filters and range, how many
 * rows and whether that was all (PCI-DSS 10.2.1). Not the rows.
 */
export async function csvDownload<I, R>(req: Request, deps: CsvDownloadDeps, table: CsvTable<I, R>): Promise<Response> {
  const gate = await requireSessionPermission(req, deps, table.permission);
  if (!gate.ok) return gate.response;
  const read = readInput(new URL(req.url), table.input);
  if (!read.ok) return jsonError(400, read.error);
  const input = read.input;
  const at = gate.ctx.now();
  const ctx: Ctx = { ...gate.ctx, now: () => at };

  const progress: CsvProgress = { rows: 0, complete: false };
  return streamedDownload(
    req,
    () => {
      const span = table.span ? table.span(ctx, input) : null;
      const pageSize = Math.max(1, Math.floor(deps.pageSize ?? DOWNLOAD_PAGE));
      return {
        chunks: csvChunks(table.columns, table.pages(ctx, input, { signal: req.signal, pageSize }), progress),
        contentType: 'text/csv; charset=utf-8; header=present',
        fileName: csvFileName(table.name, span, at),
      };
    },
    {
      label: 'CSV export',
      logFields: { table: table.name },
      finished: () =>
        audited(gate.ctx, async (_tx, audit) =>
          audit({
            action: table.audit.action,
            targetType: table.audit.targetType,
            after: { table: table.name, filters: table.audit.filters(ctx, input), rows: progress.rows, complete: progress.complete },
          }),
        ),
    },
  );
}
