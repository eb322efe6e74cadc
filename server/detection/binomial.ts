// How surprising a count is for a rate: shared by the sequence model (refusals, unread objects)
// and the endpoint windows (refused callers before an endpoint has a baseline).

/** −ln of the Chernoff bound on the chance of `k` or more successes in `n` trials at rate `r` (0 when k/n ≤ r). */
export function binomialSurprise(k: number, n: number, r: number): number {
  const a = k / n;
  if (a <= r) return 0;
  if (a >= 1) return -n * Math.log(r);
  return n * (a * Math.log(a / r) + (1 - a) * Math.log((1 - a) / (1 - r)));
}
