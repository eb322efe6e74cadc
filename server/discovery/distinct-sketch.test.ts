import { describe, expect, it } from 'vitest';
import { DistinctSketch } from './distinct-sketch';

describe('DistinctSketch', () => {
  it('counts exactly while small and ignores repeats', () => {
    const s = new DistinctSketch();
    for (let i = 0; i < 1000; i++) s.add(`v${i % 10}`);
    expect(s.estimate()).toBe(10);
  });

  it('estimates large counts within 40% using fixed memory', () => {
    const s = new DistinctSketch();
    for (let i = 0; i < 200_000; i++) s.add(`value-${i}`);
    expect(s.size).toBeLessThanOrEqual(32);
    expect(s.estimate()).toBeGreaterThan(120_000);
    expect(s.estimate()).toBeLessThan(280_000);
  });

  it('keeps its admission limit at the K-th smallest hash once full', () => {
    const s = new DistinctSketch();
    expect(s.limit).toBe(0x100000000);
    for (let i = 0; i < 1000; i++) s.add(`v${i}`);
    const before = s.estimate();
    s.addHash(s.limit); // at the limit: not admitted
    expect(s.estimate()).toBe(before);
    expect(s.limit).toBeLessThan(0x100000000);
  });

  it('merges sketches', () => {
    const a = new DistinctSketch();
    const b = new DistinctSketch();
    for (let i = 0; i < 20; i++) a.add(`x${i}`);
    for (let i = 10; i < 25; i++) b.add(`x${i}`);
    a.merge(b);
    expect(a.estimate()).toBe(25);
  });
});
