// Turns a raw request path into segments and query keys, the way routers see it: query string
// apart, trailing slash ignored, each segment percent-decoded on its own (so an encoded `/`
// stays inside its segment).

export interface NormalizedPath {
  segments: string[];
  queryKeys: string[];
  queryValues: string[];
}

function decode(s: string): string {
  if (s.indexOf('%') === -1) return s;
  try {
    return decodeURIComponent(s);
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
  if (query === '') return { segments, queryKeys: NO_STRINGS, queryValues: NO_STRINGS };
  const queryKeys: string[] = [];
  const queryValues: string[] = [];
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    queryKeys.push(decode((eq === -1 ? pair : pair.slice(0, eq)).replace(/\+/g, ' ')));
    queryValues.push(eq === -1 ? '' : decode(pair.slice(eq + 1).replace(/\+/g, ' ')));
  }
  return { segments, queryKeys, queryValues };
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
