import { describe, expect, it } from 'vitest';
import { LATENCY_BOUNDS_MS, LATENCY_BUCKETS, emptyHistogram, histogramQuantile, latencyBucket, mergeHistograms } from './latency-histogram';

describe('latency histogram', () => {
  it('puts durations in the bucket whose upper bound is above them', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(0.49)).toBe(0);
    expect(latencyBucket(0.5)).toBe(1);
    expect(latencyBucket(12)).toBe(LATENCY_BOUNDS_MS.indexOf(15));
    expect(latencyBucket(1e9)).toBe(LATENCY_BUCKETS - 1);
  });
  it('estimates quantiles within a bucket of the truth', () => {
    const h = emptyHistogram();
    const samples = Array.from({ length: 1000 }, (_, i) => 1 + i * 0.2); // 1 … 200.8 ms
    for (const s of samples) h[latencyBucket(s)] += 1;
    const p50 = histogramQuantile(h, 0.5)!;
    const p99 = histogramQuantile(h, 0.99)!;
    expect(p50).toBeGreaterThan(75);
    expect(p50).toBeLessThan(150);
    expect(p99).toBeGreaterThan(150);
    expect(p99).toBeLessThanOrEqual(300);
    expect(histogramQuantile(emptyHistogram(), 0.5)).toBeNull();
  });
  it('merges by adding counts', () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    a[3] = 2;
    b[3] = 5;
    b[7] = 1;
    expect(mergeHistograms(a, b).slice(0, 8)).toEqual([0, 0, 0, 7, 0, 0, 0, 1]);
  });
});
