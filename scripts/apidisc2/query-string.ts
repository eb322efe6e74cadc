// Query strings on a share of requests: one or two of the operation's declared query
// parameters (or apidisc2's own names when it declares none), valued from the service's pools.
import type { Prng } from './prng';
import { QUERY_NAMES } from './word-lists';

export const QUERY_SHARE = 0.12;

const COUNTING = /page|limit|size|count|offset|top|skip|max/i;

export function queryString(declared: readonly string[], rng: Prng, valueOf: (name: string) => string): string {
  const names = declared.length ? rng.permute([...declared]).slice(0, rng.between(1, 2)) : [rng.one(QUERY_NAMES)];
  const parts = names.map((n) => `${encodeURIComponent(n)}=${COUNTING.test(n) ? rng.between(1, 100) : encodeURIComponent(valueOf(n))}`);
  return '?' + parts.join('&');
}
