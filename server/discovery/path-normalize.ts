// Turns a raw request path into segments and query keys, the way routers see it: query string
// apart, trailing slash ignored, each segment percent-decoded on its own (so an encoded `/`
// stays inside its segment). Ingest validates paths with the same decoding
// (decodedPathProblem), so what discovery learns never holds a NUL, which jsonb refuses.
import { UNSAFE_TEXT } from '@/server/identity/names';

export interface NormalizedPath {
  segments: string[];
  queryKeys: string[];
  queryValues: string[];
  /**
   * A segment or query key decoded to a control character or line separator (`%00`, `%0A`):
   * ingest refuses such paths, but events stored before it did are still replayed at start.
   */
  unsafe: boolean;
}

let decodedUnsafe = false;

/** `s` percent-decoded; `track`: note when the result holds what must not be learned. */
function decode(s: string, track = true): string {
  if (s.indexOf('%') === -1) return s;
  try {
    const d = decodeURIComponent(s);
    if (track && UNSAFE_TEXT.test(d)) decodedUnsafe = true;
    return d;
  } catch {
    return s; // malformed escapes are kept as sent
  }
}

const NO_STRINGS: string[] = [];

export function normalizePath(raw: string): NormalizedPath {
  let end = raw.length;
  let query = '';
  const q = raw.indexOf('?');
  const hash = raw.indexOf('#');
  if (hash !== -1) end = hash;
  if (q !== -1 && q < end) {
    query = raw.slice(q + 1, end);
    end = q;
  }
  decodedUnsafe = false;
  const segments: string[] = [];
  // most paths carry no escapes at all: one search instead of one per segment
  const pct = raw.indexOf('%');
  const escaped = pct !== -1 && pct < end;
  let start = 0;
  while (start < end) {
    let slash = raw.indexOf('/', start);
    if (slash === -1 || slash > end) slash = end;
    if (slash > start) segments.push(escaped ? decode(raw.slice(start, slash)) : raw.slice(start, slash));
    start = slash + 1;
  }
  if (query === '') return { segments, queryKeys: NO_STRINGS, queryValues: NO_STRINGS, unsafe: decodedUnsafe };
  const queryKeys: string[] = [];
  const queryValues: string[] = [];
  addQuery(query, queryKeys, queryValues);
  return { segments, queryKeys, queryValues, unsafe: decodedUnsafe };
}

/** The keys and values of a query string (without its `?`), decoded, pushed onto the two lists. */
function addQuery(query: string, queryKeys: string[], queryValues: string[]): void {
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    queryKeys.push(decode((eq === -1 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ')));
    // values are only typed, never stored
    queryValues.push(eq === -1 ? '' : decode(pair.slice(eq + 1).replace(/\+/g, ' '), false));
  }
}

/**
 * The query of a path that holds no `%` and no `#` (nothing to decode, nothing unsafe), as
 * `normalizePath` gives it: its keys and values, the empty list for an empty query.
 */
export function plainQuery(query: string): { queryKeys: string[]; queryValues: string[] } {
  if (query === '') return { queryKeys: NO_STRINGS, queryValues: NO_STRINGS };
  const queryKeys: string[] = [];
  const queryValues: string[] = [];
  addQuery(query, queryKeys, queryValues);
  return { queryKeys, queryValues };
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();
const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * One segment (or query key) with every `%XX` escape decoded, or null when the escapes are
 * not valid UTF-8. A `%` that starts no escape stays as it is.
 */
export function percentDecoded(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    // a stray `%` next to real escapes, or escapes that are not UTF-8: decode byte by byte
  }
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%' && HEX.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const ch = String.fromCodePoint(s.codePointAt(i)!);
      for (const b of utf8Encoder.encode(ch)) bytes.push(b);
      i += ch.length;
    }
  }
  try {
    return utf8Strict.decode(Uint8Array.from(bytes));
  } catch {
    return null;
  }
}

/**
 * Why a path, decoded segment by segment, cannot be accepted, or null: a NUL or another
 * control character behind an escape (`%00`, `%0A`) would reach learned templates, whose
 * jsonb columns refuse NUL; escapes that are not UTF-8 have no text to learn. Ingest checks
 * this once, so nothing downstream meets them. (Stricter than `normalizePath`, which keeps a
 * segment with a malformed escape as sent: here every well-formed escape counts.)
 */
export function decodedPathProblem(path: string): string | null {
  if (path.indexOf('%') === -1) return null;
  for (const segment of path.split('/')) {
    if (segment.indexOf('%') === -1) continue;
    const text = percentDecoded(segment);
    if (text === null) return 'holds percent-escapes that are not valid UTF-8';
    if (UNSAFE_TEXT.test(text)) return 'must not contain control characters, even percent-encoded (such as %00 or %0A)';
  }
  return null;
}

/** Whether a query string names a parameter that decodes to a control character or line separator. */
export function queryKeysUnsafe(query: string): boolean {
  if (query.indexOf('%') === -1) return false;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (key.indexOf('%') === -1) continue;
    const text = percentDecoded(key.replace(/\+/g, ' '));
    if (text !== null && UNSAFE_TEXT.test(text)) return true;
  }
  return false;
}

// File types (a `{id}.json` route) and Google-style custom methods (`{name}:export`) are literal
// suffixes around a parameter.
const EXTENSION = /^([^.:]+)(\.(?:json|xml|csv|tsv|txt|html?|ya?ml|pdf|png|jpe?g|gif|svg|webp|zip|gz|tar|js|css|md|rss|atom|ics|vcf|mp3|mp4|wav|bin|proto|zst))$/i;
const CUSTOM_METHOD = /^([^:]+)(:[A-Za-z][A-Za-z]*)$/;

/** `8812.json` → stem `8812`, suffix `.json`; `abc:export` → stem `abc`, suffix `:export`. */
export function splitExtension(segment: string): { stem: string; ext: string } {
  const m = EXTENSION.exec(segment) ?? CUSTOM_METHOD.exec(segment);
  if (!m) return { stem: segment, ext: '' };
  return { stem: m[1], ext: m[2] };
}
