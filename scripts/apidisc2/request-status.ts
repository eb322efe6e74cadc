// Response statuses: real requests mostly get their operation's success status, 5.5 % an error
// (a missing id answers 404 most often); noise is answered as a gateway would, mostly 404, but
// 401/403 where authentication runs before routing, and 400/405.
import type { Prng, Weighted } from './prng';

export const ERROR_SHARE = 0.055;

const REAL_ERRORS: Weighted<number> = [[404, 30], [400, 14], [401, 14], [403, 10], [409, 6], [422, 8], [429, 6], [500, 7], [503, 5]];
const NOISE_STATUSES: Weighted<number> = [[404, 76], [401, 10], [403, 7], [400, 4], [405, 3]];

export function realStatus(success: number, rng: Prng): number {
  return rng.chance(ERROR_SHARE) ? rng.byWeight(REAL_ERRORS) : success;
}

export function noiseStatus(rng: Prng): number {
  return rng.byWeight(NOISE_STATUSES);
}
