import { describe, expect, it } from 'vitest';
import { labelHash, Prng } from './prng';

const take = (r: Prng, n: number) => Array.from({ length: n }, () => r.bits());

describe('apidisc2 prng', () => {
  it('gives the same stream for the same labels and another for other labels', () => {
    expect(take(new Prng('a', 1), 20)).toEqual(take(new Prng('a', 1), 20));
    expect(take(new Prng('a', 1), 20)).not.toEqual(take(new Prng('a', 2), 20));
    expect(labelHash('service|1')).not.toBe(labelHash('service|2'));
  });

  it('draws integers within bounds, both ends included, and units in [0, 1)', () => {
    const r = new Prng('bounds');
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const x = r.between(3, 7);
      expect(x).toBeGreaterThanOrEqual(3);
      expect(x).toBeLessThanOrEqual(7);
      seen.add(x);
      const u = r.unit();
      expect(u >= 0 && u < 1).toBe(true);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('follows weights and permutes without losing elements', () => {
    const r = new Prng('weights');
    let heavy = 0;
    for (let i = 0; i < 10_000; i++) if (r.byWeight([['a', 9], ['b', 1]] as const) === 'a') heavy++;
    expect(heavy).toBeGreaterThan(8700);
    expect(heavy).toBeLessThan(9300);
    const xs = Array.from({ length: 50 }, (_, i) => i);
    const p = r.permute([...xs]);
    expect(p).not.toEqual(xs);
    expect([...p].sort((a, b) => a - b)).toEqual(xs);
  });
});
