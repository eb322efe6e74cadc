import { describe, expect, it } from 'vitest';
import { parse } from '@/server/search/query';
import { allOf, around, clause, quoteValue, searchHref } from './search-url';


describe('links into search', () => {
  it('leaves plain values bare and quotes the rest', () => {
    expect(quoteValue('shop/cart')).toBe('shop/cart');
    expect(quoteValue('/accounts/{id}/statements')).toBe('/accounts/{id}/statements');
    expect(quoteValue('a b')).toBe('"a b"');
    expect(quoteValue('OR')).toBe('"OR"');
    expect(quoteValue('-x')).toBe('"-x"');
    expect(quoteValue('/a/*')).toBe('"/a/*"');
    expect(quoteValue('say "hi" \\ there')).toBe('"say \\"hi\\" \\\\ there"');
  });

  it('hostile values parse back as one literal clause', () => {
    const hostile = ['a" OR status:200 OR "', 'x) OR (y', '*', 'a\\', '\\"', 'NOT', 'Mozilla/5.0 (X11; Linux)', 'é ü 漢字 😀', 'tab\there', 'line\nbreak', '[1 TO 2]', '"'];
    for (const value of hostile) {
      // one field clause whose pattern is exactly the value, no wildcard, nothing else
      expect(parse(clause('path', value)).root, value).toEqual({ kind: 'match', field: 'path', pattern: { parts: [{ kind: 'lit', text: value }], wild: false }, col: 1 });
    }
  });

  it('joins clauses and builds the URL with an absolute range', () => {
    const q = allOf(clause('caller', 'shop/web'), null, clause('service', 'shop/cart'));
    expect(q).toBe('caller:shop/web AND service:shop/cart');
    const url = new URL(searchHref(q, around('2026-01-01T00:10:00.000Z')), 'http://x');
    expect(url.pathname).toBe('/search');
    expect(url.searchParams.get('q')).toBe(q);
    expect(url.searchParams.get('from')).toBe('2026-01-01T00:05:00.000Z');
    expect(url.searchParams.get('to')).toBe('2026-01-01T00:15:00.001Z');
    expect(new URL(searchHref('', { range: '24h' }), 'http://x').search).toBe('?range=24h');
  });
});
