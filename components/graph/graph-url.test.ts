import { describe, expect, it } from 'vitest';
import { applyChanges, DEFAULT_TOP, parseGraphParams, parseSelection, searchHref, selectionParam } from './graph-url';

describe('graph URL state', () => {
  it('reads selections in the form other views link with, and writes them back the same', () => {
    expect(parseSelection('node:shop/cart')).toEqual({ kind: 'node', service: 'shop/cart' });
    expect(parseSelection('edge:external->shop/web')).toEqual({ kind: 'edge', src: 'external', dst: 'shop/web' });
    expect(parseSelection('edge:spiffe://td/ns/a/sa/x->spiffe://td/ns/b/sa/y')).toEqual({
      kind: 'edge', src: 'spiffe://td/ns/a/sa/x', dst: 'spiffe://td/ns/b/sa/y',
    });
    for (const v of ['edge:a->b', 'node:x']) expect(selectionParam(parseSelection(v))).toBe(v);
  });

  it('ignores malformed selections', () => {
    for (const v of [null, '', 'node:', 'edge:', 'edge:->b', 'edge:a->', 'edge:ab', 'service:a']) expect(parseSelection(v)).toBeNull();
  });

  it('falls back to defaults on bad values', () => {
    const p = parseGraphParams(new URLSearchParams('min=-4&top=7&color=rainbow&ns=&hide='));
    expect(p).toMatchObject({ minRequests: 0, top: DEFAULT_TOP, colour: 'errors', namespaces: [], hidden: [], dataClass: null, find: '' });
    expect(parseGraphParams(new URLSearchParams('min=12.7&top=300&color=data')).minRequests).toBe(12);
  });

  it('keeps repeated namespaces and hidden services, once each and sorted', () => {
    const p = parseGraphParams(new URLSearchParams('ns=shop&ns=auth&ns=shop&hide=b&hide=a'));
    expect(p.namespaces).toEqual(['auth', 'shop']);
    expect(p.hidden).toEqual(['a', 'b']);
  });

  it('changes only the named parameters and leaves the time range alone', () => {
    const next = applyChanges(new URLSearchParams('range=6h&ns=a&min=5'), { ns: ['b', 'c'], min: null, select: 'node:x' });
    expect(next.get('range')).toBe('6h');
    expect(next.getAll('ns')).toEqual(['b', 'c']);
    expect(next.has('min')).toBe(false);
    expect(next.get('select')).toBe('node:x');
    expect(applyChanges(next, { ns: [], find: '' }).has('ns')).toBe(false);
  });

  it('links to search with the edge and the absolute instants of the range', () => {
    const from = new Date('2026-01-02T03:00:00Z');
    const to = new Date('2026-01-02T04:00:00Z');
    const url = new URL(searchHref({ kind: 'edge', src: 'shop/web', dst: 'shop/cart' }, from, to), 'http://x');
    expect(url.pathname).toBe('/search');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'caller:shop/web AND service:shop/cart', from: from.toISOString(), to: to.toISOString() });
    expect(new URL(searchHref({ kind: 'node', service: 'a/b' }, from, to), 'http://x').searchParams.get('q')).toBe('service:a/b');
  });
});
