import { describe, expect, it } from 'vitest';
import { DecayedCounts, MinuteRing, RING_MINUTES } from './minute-ring';

// epoch minutes of an ordinary day, so slots are not aligned with 0
const M0 = Math.floor(Date.UTC(2025, 2, 1, 12, 7) / 60_000);

describe('MinuteRing', () => {
  it('sums a counter over the newest 5 and 30 minutes, counters kept apart', () => {
    const r = new MinuteRing(3);
    // minute M0 + i gets i + 1 requests (counter 0) and one error every other minute (counter 2)
    for (let i = 0; i < 30; i++) {
      for (let n = 0; n <= i; n++) expect(r.add(M0 + i, 0, 1, M0 + i)).toBe(true);
      if (i % 2 === 0) r.add(M0 + i, 2, 1, M0 + i);
    }
    const now = M0 + 29;
    // last five minutes: 26 + 27 + 28 + 29 + 30
    expect(r.sum(0, now, 5)).toBe(26 + 27 + 28 + 29 + 30);
    expect(r.sum(0, now, 30)).toBe((30 * 31) / 2);
    expect(r.sum(2, now, 30)).toBe(15);
    expect(r.sum(1, now, 30)).toBe(0);
    // a window ending earlier sums the minutes it covers
    expect(r.sum(0, M0 + 4, 5)).toBe(1 + 2 + 3 + 4 + 5);
    // minutes not seen yet count nothing
    expect(r.sum(0, M0 + 40, 5)).toBe(0);
  });

  it('adds fractional amounts (kilobytes) to a counter', () => {
    const r = new MinuteRing(1);
    r.add(M0, 0, 0.25, M0);
    r.add(M0, 0, 0.5, M0);
    expect(r.sum(0, M0, 1)).toBeCloseTo(0.75, 6);
  });

  it('a slot reused when the ring wraps starts from zero, and the minute it held is gone', () => {
    const r = new MinuteRing(2);
    r.add(M0, 0, 7, M0);
    r.add(M0, 1, 3, M0);
    const later = M0 + RING_MINUTES; // same slot
    expect(r.add(later, 0, 2, later)).toBe(true);
    expect(r.sum(0, later, 1)).toBe(2);
    expect(r.sum(1, later, 1)).toBe(0); // the other counter of the slot was reset too
    expect(r.sum(0, later, RING_MINUTES)).toBe(2);
    // the old minute is no longer answered for, even when asked for directly
    expect(r.sum(0, M0, 1)).toBe(0);
    expect(r.series(0, M0, 1)).toEqual([0]);
  });

  it('refuses minutes that fell out of the half hour, and a late minute whose slot moved on', () => {
    const r = new MinuteRing(1);
    const newest = M0 + 100;
    r.add(newest, 0, 1, newest);
    expect(r.add(newest - RING_MINUTES, 0, 1, newest)).toBe(false);
    expect(r.add(newest - RING_MINUTES - 5, 0, 1, newest)).toBe(false);
    // 29 minutes late still lands in its own minute
    expect(r.add(newest - (RING_MINUTES - 1), 0, 4, newest)).toBe(true);
    expect(r.sum(0, newest, RING_MINUTES)).toBe(5);
    expect(r.sum(0, newest, 1)).toBe(1);
    // the caller's idea of "newest" is stale, but the slot already holds a newer minute: refused
    expect(r.add(newest - RING_MINUTES, 0, 9, newest - 10)).toBe(false);
    expect(r.sum(0, newest, 1)).toBe(1);
  });

  it('late events within the ring land in their own minute whatever the order', () => {
    const inOrder = new MinuteRing(1);
    const shuffled = new MinuteRing(1);
    const adds: [number, number][] = [];
    for (let i = 0; i < 60; i++) adds.push([M0 + (i % 20), 1 + (i % 3)]);
    for (const [m, by] of [...adds].sort((a, b) => a[0] - b[0])) inOrder.add(m, 0, by, m);
    let newest = -1;
    for (const [m, by] of [...adds].reverse()) {
      newest = Math.max(newest, m);
      shuffled.add(m, 0, by, newest);
    }
    expect(shuffled.series(0, M0 + 19, 20)).toEqual(inOrder.series(0, M0 + 19, 20));
  });

  it('series gives the counter per minute, oldest first, with zeros for empty minutes', () => {
    const r = new MinuteRing(1);
    r.add(M0, 0, 1, M0);
    r.add(M0 + 2, 0, 5, M0 + 2);
    r.add(M0 + 3, 0, 2, M0 + 3);
    expect(r.series(0, M0 + 3, 5)).toEqual([0, 1, 0, 5, 2]);
    expect(r.series(0, M0 + 3, 5).reduce((a, b) => a + b, 0)).toBe(r.sum(0, M0 + 3, 5));
  });
});

describe('DecayedCounts', () => {
  const TAU = 4 * 3600_000;
  const T0 = Date.UTC(2025, 2, 1, 12);

  it('decays by e every τ', () => {
    const d = new DecayedCounts(2, TAU);
    d.add(T0, 0, 100);
    expect(d.get(0, T0)).toBeCloseTo(100, 3);
    expect(d.get(0, T0 + TAU)).toBeCloseTo(100 / Math.E, 3);
    expect(d.get(0, T0 + 2 * TAU)).toBeCloseTo(100 / Math.E ** 2, 3);
    expect(d.get(1, T0 + TAU)).toBe(0);
  });

  it('is empty before anything was added', () => {
    expect(new DecayedCounts(1, TAU).get(0, T0)).toBe(0);
  });

  it('a newer event decays what was there before adding to it, every counter alike', () => {
    const d = new DecayedCounts(2, TAU);
    d.add(T0, 0, 10);
    d.add(T0, 1, 20);
    d.add(T0 + TAU, 0, 5);
    expect(d.get(0, T0 + TAU)).toBeCloseTo(10 / Math.E + 5, 3);
    expect(d.get(1, T0 + TAU)).toBeCloseTo(20 / Math.E, 3);
  });

  it('a late event is weighted by its age, so the order of arrival does not matter', () => {
    const late = new DecayedCounts(1, TAU);
    late.add(T0 + TAU, 0, 5);
    late.add(T0, 0, 10); // arrives four hours late
    expect(late.get(0, T0 + TAU)).toBeCloseTo(10 / Math.E + 5, 3);

    const events: [number, number][] = Array.from({ length: 50 }, (_, i) => [T0 + ((i * 7919) % 50) * 60_000, 1 + (i % 4)]);
    const a = new DecayedCounts(1, TAU);
    const b = new DecayedCounts(1, TAU);
    for (const [t, by] of events) a.add(t, 0, by);
    for (const [t, by] of [...events].sort((x, y) => x[0] - y[0])) b.add(t, 0, by);
    const at = T0 + 3 * 3600_000;
    const expected = events.reduce((s, [t, by]) => s + by * Math.exp(-(at - t) / TAU), 0);
    expect(a.get(0, at)).toBeCloseTo(expected, 2);
    expect(b.get(0, at)).toBeCloseTo(expected, 2);
  });

  it('asked for a time before its newest event, answers as of the newest (no growth back in time)', () => {
    const d = new DecayedCounts(1, TAU);
    d.add(T0, 0, 3);
    expect(d.get(0, T0 - TAU)).toBeCloseTo(3, 5);
  });
});
