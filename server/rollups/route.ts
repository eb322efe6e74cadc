const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]{8,}$/i;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?$/;
const EMAIL = /^[^@/]+@[^@/]+\.[^@/]+$/;
const VERSION = /^v\d+(?:\.\d+)*$/i;
const MAX_SEGMENTS = 12;
const MAX_LENGTH = 200;

function isIdLike(segment: string): boolean {
  if (NUMBER.test(segment) || UUID.test(segment) || EMAIL.test(segment)) return true;
  if (VERSION.test(segment)) return false;
  if (DATE.test(segment)) return true;
  if (HEX.test(segment) && /\d/.test(segment)) return true;
  // long tokens mixing letters and digits (order numbers, base64 ids), not words like "v2" or "oauth2"
  return segment.length >= 10 && /\d/.test(segment) && /[a-z]/i.test(segment) && !/^[a-z]+\d{1,2}$/i.test(segment);
}

/**
 * A coarse route for rollups: id-like path segments (numbers, UUIDs, hex, dates, emails,
 * long mixed tokens) become `{id}`, a trailing `.json`-style suffix is kept. It bounds the
 * number of distinct routes per service until learned API templates replace it.
 */
export function coarseRoute(path: string): string {
  if (path === '*' || path === '/') return path;
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length && out.length <= MAX_SEGMENTS; i++) {
    const raw = parts[i];
    if (i > 0 && raw === '' && i === parts.length - 1) break; // trailing slash
    const dot = raw.lastIndexOf('.');
    const [stem, ext] = dot > 0 && raw.length - dot <= 5 ? [raw.slice(0, dot), raw.slice(dot)] : [raw, ''];
    out.push(raw && isIdLike(raw) ? '{id}' : stem && isIdLike(stem) ? `{id}${ext}` : raw);
  }
  const route = out.length > MAX_SEGMENTS ? `${out.slice(0, MAX_SEGMENTS).join('/')}/…` : out.join('/');
  return route.length > MAX_LENGTH ? `${route.slice(0, MAX_LENGTH)}…` : route || '/';
}
