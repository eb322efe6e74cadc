// How many requests each endpoint gets. Ordinary endpoints: 30 % once, 15 % twice, the rest
// log-normal around 6 (σ = 1.25 in log space, at most 400): a heavy tail of busy ones. Busy
// literal siblings: log-uniform between 40 and 320, for at most `BUSY_PER_SERVICE` of them per
// service (the others count as ordinary), so one spec full of them does not fill the stream.
import type { Endpoint } from './api-model';
import type { Prng } from './prng';

export const BUSY_PER_SERVICE = 6;

export function ordinaryCount(rng: Prng): number {
  const u = rng.unit();
  if (u < 0.3) return 1;
  if (u < 0.45) return 2;
  return Math.max(1, Math.min(400, Math.round(Math.exp(Math.log(6) + 1.25 * rng.gauss()))));
}

export function busyCount(rng: Prng): number {
  return Math.round(Math.exp(Math.log(40) + rng.unit() * Math.log(320 / 40)));
}

/** Counts per endpoint, in the endpoints' order. Collection views apidisc2 added are always busy. */
export function requestCounts(endpoints: readonly Endpoint[], rng: Prng): number[] {
  const busy = endpoints.map((e, i) => [e, i] as const).filter(([e]) => e.busyLiteral);
  const added = busy.filter(([e]) => e.origin === 'busy-literal').map(([, i]) => i);
  const fromSpec = rng.permute(busy.filter(([e]) => e.origin !== 'busy-literal').map(([, i]) => i));
  const chosen = new Set([...added, ...fromSpec.slice(0, Math.max(0, BUSY_PER_SERVICE - added.length))]);
  return endpoints.map((_, i) => (chosen.has(i) ? busyCount(rng) : ordinaryCount(rng)));
}
