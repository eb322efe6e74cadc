import { describe, expect, it } from 'vitest';
import { IdWalk, MIN_RUN, walkStrength } from './id-walk';

function walkIds(ids: number[], gapMs: (i: number) => number = () => 1000): IdWalk {
  const w = new IdWalk();
  let t = 0;
  ids.forEach((id, i) => {
    w.step(id, t, `r${i}`);
    t += gapMs(i);
  });
  return w;
}

describe('id walks', () => {
  it('finds ids walked in order, with gaps left by deleted ids, either way, or by a constant stride', () => {
    expect(walkIds(Array.from({ length: 40 }, (_, i) => 5000 + i)).best?.length).toBe(40);
    expect(walkIds(Array.from({ length: 30 }, (_, i) => 5000 + i * 3 + (i % 2))).best?.length).toBe(30);
    expect(walkIds(Array.from({ length: 25 }, (_, i) => 9000 - i)).best?.length).toBe(25);
    expect(walkIds(Array.from({ length: 25 }, (_, i) => 100_000 + i * 500)).best?.length).toBeGreaterThanOrEqual(24);
  });

  it('a repeated id (polling one object) neither extends nor breaks a run; random ids make none', () => {
    const w = walkIds([1, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(w.best?.length).toBe(10);
    expect(walkIds([5, 912, 44, 7031, 18, 600, 2, 9999, 431, 77, 5120, 3]).best).toBeNull();
  });

  it('is stronger for long runs at a steady pace than for short or irregular ones, and weak where walking is usual', () => {
    const steady = walkIds(Array.from({ length: 60 }, (_, i) => i), () => 1500).best!;
    const human = walkIds(Array.from({ length: 60 }, (_, i) => i), (i) => (i % 5 === 0 ? 60_000 : 2000 + i * 300)).best!;
    const short = walkIds(Array.from({ length: MIN_RUN }, (_, i) => i), () => 1500).best!;
    expect(walkStrength(steady, 0)).toBeGreaterThan(0.9);
    expect(walkStrength(human, 0)).toBeLessThan(walkStrength(steady, 0));
    expect(walkStrength(short, 0)).toBeLessThan(0.3);
    expect(walkStrength(steady, 0.2)).toBeLessThan(0.1);
    expect(steady.examples).toEqual(['r0', 'r1', 'r2']);
  });
});
