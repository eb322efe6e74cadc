// Median and median absolute deviation of a small array (the baseline of an endpoint's counts).
export function medianOf(values: ArrayLike<number>, n: number): number {
  if (n <= 0) return 0;
  const a = Array.from({ length: n }, (_, i) => values[i]).sort((x, y) => x - y);
  return n % 2 ? a[(n - 1) >> 1] : (a[n / 2 - 1] + a[n / 2]) / 2;
}

export function medianAndMad(values: readonly number[]): { median: number; mad: number } {
  const n = values.length;
  if (!n) return { median: 0, mad: 0 };
  const median = medianOf(values, n);
  const dev = values.map((v) => Math.abs(v - median));
  return { median, mad: medianOf(dev, n) };
}
