import { escapeLike } from '@/db/like';
import type { Pattern } from './ast';

/**
 * A LIKE pattern for `escape '\'`: the user's own %, _ and \ are escaped so that only their
 * * and ? act as wildcards. `contains` wraps it in % for substring search.
 */
export function likePattern(p: Pattern, contains = false): string {
  const body = p.parts.map((x) => (x.kind === 'any' ? '%' : x.kind === 'one' ? '_' : escapeLike(x.text))).join('');
  return contains ? `%${body}%` : body;
}

/** The value of a pattern without wildcards. */
export function literalText(p: Pattern): string {
  return p.parts.map((x) => (x.kind === 'lit' ? x.text : '')).join('');
}
