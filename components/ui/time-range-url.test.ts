import { describe, expect, it } from 'vitest';
import { carryTimeParams, isRangeAware, rangeChanges, resolveTimeParams, withChanges } from './time-range-url';

const NOW = Date.parse('2026-12-06T14:05:30Z');
const BERLIN = 'Europe/Berlin';
const read = (qs: string, zone = BERLIN) => resolveTimeParams(new URLSearchParams(qs), NOW, zone);

describe('resolveTimeParams', () => {
  it('a preset, the default 1h when absent or unknown', () => {
    expect(read('range=6h')).toMatchObject({ input: { preset: '6h' }, preset: '6h', live: true, refresh: '30s', refreshMs: 30_000, zoneMode: 'local', zone: BERLIN, query: 'range=6h' });
    expect(read('')).toMatchObject({ preset: '1h', query: 'range=1h' });
    expect(read('range=2y')).toMatchObject({ preset: '1h' });
    expect(read('range=toString')).toMatchObject({ preset: '1h' });
  });

  it('absolute instants, as links and older URLs carry them', () => {
    const r = read('from=2026-12-06T10%3A00%3A00.000Z&to=2026-12-06T11%3A00%3A00.000Z');
    expect(r).toMatchObject({ preset: null, live: false, refreshMs: false, fromExpr: '2026-12-06T10:00:00.000Z' });
    expect(r.input).toEqual({ from: new Date('2026-12-06T10:00:00Z'), to: new Date('2026-12-06T11:00:00Z') });
    expect(r.query).toBe('from=2026-12-06T10%3A00%3A00.000Z&to=2026-12-06T11%3A00%3A00.000Z');
  });

  it('expressions resolve in the browser zone, or UTC with tz=utc; live when the end is relative', () => {
    const today = read('from=now%2Fd&to=now');
    expect(today).toMatchObject({ preset: null, live: true, refreshMs: 30_000, fromExpr: 'now/d', toExpr: 'now', query: 'from=now%2Fd&to=now' });
    expect(today.from?.toISOString()).toBe('2026-12-05T23:00:00.000Z');
    expect(today.to?.toISOString()).toBe('2026-12-06T14:06:00.000Z');
    const utc = read('from=now/d&to=now&tz=utc');
    expect(utc).toMatchObject({ zoneMode: 'utc', zone: 'UTC', query: 'from=now%2Fd&to=now&tz=utc' });
    expect(utc.from?.toISOString()).toBe('2026-12-06T00:00:00.000Z');
    expect(read('from=now-1d/d&to=now/d')).toMatchObject({ live: true });
    expect(read('from=now-2h&to=2026-12-06T14:00:00Z')).toMatchObject({ live: false, refreshMs: false });
  });

  it('the same expressions resolve to the same instants within a minute (stable query keys)', () => {
    const a = resolveTimeParams(new URLSearchParams('from=now-6h&to=now'), Date.parse('2026-12-06T14:05:01Z'), BERLIN);
    const b = resolveTimeParams(new URLSearchParams('from=now-6h&to=now'), Date.parse('2026-12-06T14:05:59Z'), BERLIN);
    expect(a.input).toEqual(b.input);
  });

  it('from/to that do not parse or run backwards fall back to the preset', () => {
    expect(read('from=now-5x&to=now&range=6h')).toMatchObject({ preset: '6h', fromExpr: null });
    expect(read('from=now&to=now-1h')).toMatchObject({ preset: '1h' });
    expect(read('from=now-1h')).toMatchObject({ preset: '1h' });
  });

  it('refresh: off, 10s, 30s, 1m, 5m; the default is not written into links', () => {
    expect(read('range=6h&refresh=1m')).toMatchObject({ refresh: '1m', refreshMs: 60_000, query: 'range=6h&refresh=1m' });
    expect(read('range=6h&refresh=off')).toMatchObject({ refresh: 'off', refreshMs: false, query: 'range=6h&refresh=off' });
    expect(read('range=6h&refresh=10s')).toMatchObject({ refreshMs: 10_000 });
    expect(read('range=6h&refresh=5m')).toMatchObject({ refreshMs: 300_000 });
    expect(read('range=6h&refresh=7s')).toMatchObject({ refresh: '30s', query: 'range=6h' });
    expect(read('range=6h&refresh=30s')).toMatchObject({ query: 'range=6h' });
  });
});

describe('changing the range', () => {
  it('keeps the other parameters', () => {
    expect(withChanges('range=1h&class=pii&tz=utc', rangeChanges({ preset: '6h' }))).toBe('range=6h&class=pii&tz=utc');
    expect(withChanges('range=1h&class=pii', rangeChanges({ from: 'now-2h', to: 'now' }))).toBe('class=pii&from=now-2h&to=now');
    expect(withChanges('from=now-2h&to=now&refresh=1m', rangeChanges({ preset: '15m' }))).toBe('refresh=1m&range=15m');
    expect(withChanges('range=1h', { tz: null, refresh: '5m' })).toBe('range=1h&refresh=5m');
  });
});

describe('carryTimeParams', () => {
  const current = new URLSearchParams('range=6h&refresh=1m&tz=utc&class=pii');
  it('carries range, refresh and zone to range-aware pages, not the page\'s own parameters', () => {
    expect(carryTimeParams('/graph', current)).toBe('/graph?range=6h&refresh=1m&tz=utc');
    expect(carryTimeParams('/', current)).toBe('/?range=6h&refresh=1m&tz=utc');
    expect(carryTimeParams('/data', new URLSearchParams('from=now%2Fd&to=now'))).toBe('/data?from=now%2Fd&to=now');
    expect(carryTimeParams('/data/tokens/tok_1', new URLSearchParams('range=24h'))).toBe('/data/tokens/tok_1?range=24h');
  });

  it('only the zone to other pages (policies use from/to for revisions)', () => {
    expect(carryTimeParams('/fleet', current)).toBe('/fleet?tz=utc');
    expect(carryTimeParams('/policies', new URLSearchParams('from=now-1h&to=now'))).toBe('/policies');
    expect(carryTimeParams('/settings/account', new URLSearchParams(''))).toBe('/settings/account');
  });

  it('a range in the link itself wins, whole', () => {
    expect(carryTimeParams('/graph?range=1h&select=node%3Aa', current)).toBe('/graph?range=1h&select=node%3Aa&refresh=1m&tz=utc');
    expect(carryTimeParams('/search?from=a&to=b', current)).toBe('/search?from=a&to=b&refresh=1m&tz=utc');
    expect(carryTimeParams('/detections?state=open#x', new URLSearchParams('range=6h'))).toBe('/detections?state=open&range=6h#x');
  });

  it('knows which pages read a range', () => {
    for (const p of ['/', '/graph', '/data', '/search', '/detections', '/apis/ep_1', '/data/tokens/t']) expect(isRangeAware(p), p).toBe(true);
    for (const p of ['/fleet', '/policies', '/apis', '/audit', '/detections/det_1', '/settings/users']) expect(isRangeAware(p), p).toBe(false);
  });
});
