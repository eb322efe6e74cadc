import { describe, expect, it } from 'vitest';
import { lcg } from './test-support';
import { TailHistogram } from './tail';

describe('tail histogram', () => {
  it('reads quantiles and empirical shares of the body', () => {
    const h = new TailHistogram(0.1, 200);
    for (let i = 0; i < 1000; i++) h.add((i % 100) / 10); // uniform on 0…9.9
    expect(h.quantile(0.5)).toBeCloseTo(5, 0);
    expect(h.tail(5)).toBeCloseTo(0.5, 1);
    expect(h.tail(0)).toBe(1);
  });

  it('extrapolates the far tail of exponential data close to the truth', () => {
    const h = new TailHistogram(0.1, 400);
    const r = lcg(3);
    for (let i = 0; i < 20_000; i++) h.add(-2 * Math.log(1 - r())); // exponential, mean 2
    // P(X ≥ 20) = e^-10 ≈ 4.5e-5, far beyond the 20,000 values' reach
    const p = h.tail(20);
    expect(p).toBeGreaterThan(1e-5);
    expect(p).toBeLessThan(2e-4);
    expect(h.tail(30)).toBeLessThan(p);
  });

  it('with few values, beyond the largest seen falls off with a given shape instead of stopping at 1/n', () => {
    const h = new TailHistogram(0.5, 100);
    for (let i = 0; i < 500; i++) h.add(0);
    for (let i = 0; i < 3; i++) h.add(2);
    expect(h.tail(3)).toBeCloseTo(0.5 / 503, 6);
    expect(h.tail(9, 1)).toBeLessThan(h.tail(4, 1));
    expect(h.tail(9, 1)).toBeLessThan(0.5 / 503);
  });

  it('decays: old values weigh less', () => {
    const h = new TailHistogram(1, 10);
    for (let i = 0; i < 100; i++) h.add(9);
    h.decay(0.01);
    for (let i = 0; i < 100; i++) h.add(1);
    expect(h.quantile(0.5)).toBeLessThan(3);
  });
});
