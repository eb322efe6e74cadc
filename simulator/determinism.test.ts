import { describe, expect, it } from 'vitest';
import { encodeBatches } from './encode';
import type { SimRecord } from './record';
import { generateWindow, SimStream } from './stream';
import { World } from './world';

// A small fleet and a short window: what matters is that nothing depends on how or when it is generated.
const options = { seed: 11, rate: 1, users: 200, attackEveryMin: 5 };
const from = Date.UTC(2025, 2, 4, 15, 0);
const to = from + 12 * 60_000;
/** One line per event: compares as fast as strings do, and a failure shows the first differing event. */
const lines = (records: SimRecord[]) => records.map((r) => JSON.stringify(r));
const world = new World(options);
const reference = generateWindow(world, from, to);

describe('simulator determinism', () => {
  it('gives identical events, ground truth and wire bytes for the same seed and window', () => {
    const twin = new World(options);
    const again = generateWindow(twin, from, to);
    expect(reference.records.length).toBeGreaterThan(1000);
    expect(reference.records.some((r) => r.attack)).toBe(true);
    expect(lines(again.records)).toEqual(lines(reference.records));
    expect(again.truth).toEqual(reference.truth);
    const bodies = (w: World, recs: SimRecord[]) => encodeBatches(w.topology, recs.slice(0, 800)).map((b) => Buffer.from(b.body).toString('base64'));
    expect(bodies(twin, again.records)).toEqual(bodies(world, reference.records));
  });

  it('gives the same events whether the window is taken in one call or in uneven chunks', () => {
    const stream = new SimStream(world, from);
    const chunked: SimRecord[] = [];
    for (const cut of [from + 1, from + 7_000, from + 61_000, from + 5 * 60_000 + 333, from + 9 * 60_000, to]) chunked.push(...stream.advance(cut));
    expect(stream.advance(to)).toEqual([]); // nothing twice
    expect(lines(chunked)).toEqual(lines(reference.records));
    expect(stream.truth.rest()).toEqual([...reference.truth, ...reference.cohorts].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1)));
    const all = reference.records;
    for (let i = 1; i < all.length; i++) expect(all[i].ts).toBeGreaterThanOrEqual(all[i - 1].ts);
    expect(all.every((r) => r.ts >= from && r.ts < to)).toBe(true);
  });

  it('gives a window the same events as a longer run that passes through it', () => {
    const inner = generateWindow(world, from + 5 * 60_000, to).records;
    const outer = reference.records.filter((r) => r.ts >= from + 5 * 60_000);
    expect(inner.length).toBeGreaterThan(0);
    expect(lines(inner)).toEqual(lines(outer));
  });

  it('gives different events for a different seed', () => {
    const other = generateWindow(new World({ ...options, seed: 12 }), from, to).records;
    const ids = new Set(reference.records.map((r) => r.requestId));
    expect(other.filter((r) => ids.has(r.requestId))).toEqual([]);
    expect(other.map((r) => r.ts)).not.toEqual(reference.records.map((r) => r.ts));
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => new World({ seed: 1, rate: 0 })).toThrow(/positive/);
    expect(() => new World({ seed: 1, rate: Number.NaN })).toThrow(/positive/);
  });
});
