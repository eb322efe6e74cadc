import { describe, expect, it } from 'vitest';
import { MIN_STRENGTH, round, strengthOf } from './strength';

describe('strengthOf', () => {
  it('is 0.6 exactly at the window sensitivity (the default alert on its own), 0.1 more per deviation', () => {
    expect(strengthOf(6, 6)).toBeCloseTo(0.6, 9);
    expect(strengthOf(7, 6)).toBeCloseTo(0.7, 9);
    expect(strengthOf(5, 6)).toBeCloseTo(0.5, 9);
    expect(strengthOf(4, 4)).toBeCloseTo(strengthOf(6, 6), 9);
  });

  it('is nothing more than three deviations short of the sensitivity, and a hint just above that', () => {
    expect(strengthOf(2.99, 6)).toBe(0);
    expect(strengthOf(3, 6)).toBeCloseTo(MIN_STRENGTH, 9);
    expect(strengthOf(-5, 6)).toBe(0);
  });

  it('is capped below certainty and never NaN', () => {
    expect(strengthOf(1e6, 6)).toBe(0.99);
    expect(strengthOf(Number.NaN, 6)).toBe(0);
    expect(strengthOf(Number.POSITIVE_INFINITY, 6)).toBe(0.99);
  });

  it('a higher sensitivity gives the same deviation less strength', () => {
    expect(strengthOf(8, 10)).toBeLessThan(strengthOf(8, 6));
  });
});

describe('round', () => {
  it('rounds to the digits asked for', () => {
    expect(round(2.345)).toBe(2.3);
    expect(round(2.345, 2)).toBe(2.35);
    expect(round(17, 0)).toBe(17);
  });
});
