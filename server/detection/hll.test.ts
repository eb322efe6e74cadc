import { describe, expect, it } from 'vitest';
import { HyperLogLog, mergedEstimate } from './hll';

describe('HyperLogLog', () => {
  it.each([0, 1, 10, 100, 1_000, 10_000, 200_000])('estimates %i distinct addresses within a few percent', (n) => {
    const h = new HyperLogLog();
    for (let i = 0; i < n; i++) {
      h.add(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      h.add(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`); // repeats do not count
    }
    const e = h.estimate();
    // standard error 1.04/sqrt(1024) ≈ 3.3 %; allow three of them
    expect(Math.abs(e - n)).toBeLessThanOrEqual(Math.max(1, n * 0.1));
  });

  it('merging the sketches of two periods counts the union, not the sum', () => {
    const a = new HyperLogLog();
    const b = new HyperLogLog();
    for (let i = 0; i < 5_000; i++) a.add(`u${i}`);
    for (let i = 2_500; i < 7_500; i++) b.add(`u${i}`);
    const union = mergedEstimate([a, b]);
    expect(union).toBeGreaterThan(7_500 * 0.9);
    expect(union).toBeLessThan(7_500 * 1.1);
    // inputs untouched
    expect(a.estimate()).toBeLessThan(5_000 * 1.1);
  });

  it('refuses to merge sketches of different precision', () => {
    expect(() => new HyperLogLog(10).merge(new HyperLogLog(8))).toThrow(/precisions/);
  });
});
