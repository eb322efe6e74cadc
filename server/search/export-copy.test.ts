import { describe, expect, it } from 'vitest';
import { splitCopyPage } from './export-copy';

const rec = (id: number, irregular: 'f' | 't', rest: string) => `${id},2026-01-15 12:00:0${id % 10}.123456+00,${irregular},${rest}\n`;
const split = (s: string, pageSize: number) => {
  const page = splitCopyPage(Buffer.from(s, 'utf8'), pageSize);
  return { text: Buffer.from(page.bytes).toString('utf8'), found: page.found, last: page.last, irregular: page.irregular };
};

describe('splitCopyPage', () => {
  it('takes the leading fields off and ends each line with CRLF', () => {
    expect(split(rec(3, 'f', 'a,b,') + rec(2, 'f', ',,c'), 10)).toEqual({ text: 'a,b,\r\n,,c\r\n', found: 2, last: null, irregular: false });
  });

  it('keeps a line break inside a quoted field, quotes that are not at a line end, and multibyte text', () => {
    const fields = '"x\n""y""\n",z,"q,""\r\n",ünï ✓ 👩‍💻';
    const page = split(rec(1, 'f', fields) + rec(2, 'f', 'plain') + rec(3, 'f', '"late ""quote"""'), 10);
    expect(page.text).toBe(`${fields}\r\nplain\r\n"late ""quote"""\r\n`);
    expect(page.found).toBe(3);
  });

  it('counts one record past the page, and gives the keyset of the last one kept', () => {
    const page = split(rec(9, 'f', 'a') + rec(8, 'f', 'b') + rec(7, 't', 'c'), 2);
    expect(page).toEqual({ text: 'a\r\nb\r\n', found: 3, last: { id: '8', ts: '2026-01-15 12:00:08.123456+00' }, irregular: false });
  });

  it('marks the page irregular when a kept record is', () => {
    expect(split(rec(9, 'f', 'a') + rec(8, 't', 'b'), 2).irregular).toBe(true);
  });

  it('reads an empty page', () => {
    expect(split('', 5)).toEqual({ text: '', found: 0, last: null, irregular: false });
  });

  it('refuses output it cannot read', () => {
    expect(() => split('1,2\n', 5)).toThrow(/leading fields/);
    expect(() => split(rec(1, 'f', '"open\n').slice(0, -1), 5)).toThrow(/line end/);
  });
});
