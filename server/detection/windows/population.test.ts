import { describe, expect, it } from 'vitest';
import { lcg } from '../sequence/test-support';
import { PopulationHistogram, robustZ } from './population';
import { strengthOf } from './strength';

/** bins are 20 % wide and a quantile is the lower edge of its bin */
const GROWTH = 1.2;

function expectWithinBin(q: number, truth: number): void {
  expect(q).toBeLessThanOrEqual(truth);
  expect(q * GROWTH).toBeGreaterThan(truth);
}

/** deterministic standard normal samples (Box–Muller over a seeded generator) */
function normals(n: number, seed: number): number[] {
  const rand = lcg(seed);
  const out: number[] = [];
  while (out.length < n) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    out.push(Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }
  return out;
}

describe('PopulationHistogram', () => {
  it('gives the quantiles of a known distribution within the resolution of its bins', () => {
    const p = new PopulationHistogram();
    for (let v = 1; v <= 1000; v++) p.add(v);
    expect(p.weight).toBe(1000);
    for (const q of [0.25, 0.5, 0.75, 0.99]) expectWithinBin(p.quantile(q), q * 1000);
  });

  it('keeps zeros and values below one apart from the rest', () => {
    const p = new PopulationHistogram();
    for (let i = 0; i < 60; i++) p.add(0);
    for (let i = 0; i < 30; i++) p.add(0.3);
    for (let i = 0; i < 10; i++) p.add(50);
    expect(p.quantile(0.5)).toBe(0);
    expect(p.quantile(0.75)).toBe(0.5);
    expectWithinBin(p.quantile(0.95), 50);
  });

  it('an empty population answers 0', () => {
    const p = new PopulationHistogram();
    expect(p.weight).toBe(0);
    expect(p.quantile(0.5)).toBe(0);
  });

  it('decay halves the weight without moving the quantiles, and newer samples then count more', () => {
    const p = new PopulationHistogram();
    for (let i = 0; i < 100; i++) p.add(2);
    for (let i = 0; i < 100; i++) p.add(200);
    const before = [0.25, 0.5, 0.9].map((q) => p.quantile(q));
    p.decay(0.5);
    expect(p.weight).toBeCloseTo(100, 9);
    expect([0.25, 0.5, 0.9].map((q) => p.quantile(q))).toEqual(before);

    // 75 old samples of 2 (decayed) against 90 new ones of 20: without the decay the 2s would be the median
    const q = new PopulationHistogram();
    for (let i = 0; i < 300; i++) q.add(2);
    q.decay(0.25);
    for (let i = 0; i < 90; i++) q.add(20);
    expectWithinBin(q.quantile(0.5), 20);
  });

  it('an outlier is many robust deviations out, a typical value none', () => {
    const p = new PopulationHistogram();
    const z = normals(5000, 7);
    for (const x of z) p.add(Math.max(0, 100 + 10 * x));
    const typical = p.deviation(100);
    expect(Math.abs(typical.z)).toBeLessThan(1);
    expectWithinBin(typical.median, 100);
    const out = p.deviation(400);
    // the scale is at least the standard deviation (10) and the bins add at most a bin's width to it
    expect(out.z).toBeGreaterThan(300 / (10 * GROWTH * 2));
    expect(out.z).toBeLessThan(300 / 10);
    expect(out.p99).toBeGreaterThan(100);
  });

  it('an all-zero population (counts of failures) has the floor as its scale: one event is no outlier', () => {
    const p = new PopulationHistogram();
    for (let i = 0; i < 2000; i++) p.add(0);
    expect(p.deviation(0).z).toBe(0);
    expect(p.deviation(1).z).toBe(1);
    expect(p.deviation(12).z).toBe(12);
    expect(p.deviation(1, 4).z).toBe(0.25);
    expect(strengthOf(p.deviation(1).z, 6)).toBe(0);
    expect(p.logDeviation(1).z).toBeCloseTo(Math.log(2) / 0.5, 9);
  });

  it('on a long-tailed population, the log scale finds 10× the typical value ordinary and 1000× not', () => {
    const p = new PopulationHistogram();
    // log-normal volumes around 20 (σ = 1 in log space): a few clients are always tens of times as busy
    for (const x of normals(20_000, 11)) p.add(20 * Math.exp(x));
    const tenfold = p.logDeviation(200);
    const thousandfold = p.logDeviation(20_000);
    expect(tenfold.z).toBeGreaterThan(1);
    expect(tenfold.z).toBeLessThan(3);
    expect(thousandfold.z).toBeGreaterThan(6);
    // at the default 5 min sensitivity, the first is at most a weak hint and the second a finding
    expect(strengthOf(tenfold.z, 6)).toBeLessThan(0.5);
    expect(strengthOf(thousandfold.z, 6)).toBeGreaterThanOrEqual(0.6);
  });
});

describe('robustZ', () => {
  const id = (x: number) => x;

  it('takes the interquartile spread as a standard deviation when it is the widest', () => {
    const r = robustZ(10, [1, 2, 3, 4, 5], 0.1, id);
    expect(r.median).toBe(2);
    expect(r.p99).toBe(4);
    expect(r.z).toBeCloseTo(8 / (2 / 1.349), 9);
  });

  it('widens the scale by the 99th and 99.9th percentiles when the tail is heavy', () => {
    expect(robustZ(10, [1, 2, 3, 30, 31], 0.1, id).z).toBeCloseTo(8 / (28 / 2.33), 9);
    expect(robustZ(10, [1, 2, 3, 4, 100], 0.1, id).z).toBeCloseTo(8 / (98 / 3.09), 9);
  });

  it('never divides by less than the floor', () => {
    expect(robustZ(3, [0, 0, 0, 0, 0], 1, id).z).toBe(3);
    expect(robustZ(3, [0, 0, 0, 0, 0], 0.5, id).z).toBe(6);
  });

  it('compares on the scale it is given but reports median and p99 as values', () => {
    // no interquartile spread; the 99th percentile is one log-decade above the median
    const r = robustZ(99, [9, 9, 9, 99, 99], 0.5, Math.log1p);
    expect(r.median).toBe(9);
    expect(r.p99).toBe(99);
    expect(r.z).toBeCloseTo(2.33, 9);
  });
});
