import { describe, expect, it } from 'vitest';
import { BurstPeak } from './burst-peak';

const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 1, 8);

describe('BurstPeak', () => {
  it('counts a value as earlier only after half an hour, so a run is not compared with its own start', () => {
    const p = new BurstPeak();
    // a steady run for 29 minutes: nothing counts yet
    for (let m = 0; m < 29; m++) p.observe(T0 + m * MIN, 400, 400);
    expect(p.get(0)).toBe(0);
    // the next generation starts; the first one counts only when the one after starts
    for (let m = 30; m < 60; m++) {
      p.observe(T0 + m * MIN, 50, 50);
      expect(p.get(0)).toBe(0);
    }
    p.observe(T0 + 60 * MIN, 10, 10);
    expect(p.get(0)).toBeCloseTo(400, 0);
    expect(p.get(1)).toBeCloseTo(400, 0);
  });

  it('takes a burst seen before a long quiet at the next look', () => {
    const p = new BurstPeak();
    p.observe(T0, 0, 0);
    p.observe(T0 + 5 * MIN, 300, 320);
    p.observe(T0 + 2 * 3600_000, 0, 0);
    expect(p.get(0)).toBe(300);
    expect(p.get(1)).toBe(320);
  });

  it("lets an old peak fade with a day's half-life", () => {
    const p = new BurstPeak();
    p.observe(T0, 400, 400);
    p.observe(T0 + 2 * 3600_000, 0, 0);
    expect(p.get(0)).toBe(400);
    p.observe(T0 + 26 * 3600_000, 0, 0);
    expect(p.get(0)).toBeCloseTo(200, 0);
  });
});
