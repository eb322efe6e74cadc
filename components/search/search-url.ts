// Links into `/search`: a query and a range in the URL, so a pivot is shareable and reloadable.

/**
 * A value as the query language reads it literally: bare when it is plain, else in double
 * quotes with `\` and `"` escaped (quoted values have no wildcards, so `*` in a path is a star).
 * Telemetry values go through here, never by concatenation.
 */
export function quoteValue(value: string): string {
  if (/^[A-Za-z0-9_./@{}:+,=%~-]+$/.test(value) && !/^(AND|OR|NOT|TO)$/i.test(value) && !value.startsWith('-')) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** `field:value`, the value quoted as needed. */
export const clause = (field: string, value: string | number) => `${field}:${quoteValue(String(value))}`;

/** Clauses joined with AND; empty parts are skipped. */
export const allOf = (...parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(' AND ');

export type SearchRange = { from: Date; to: Date } | { range: string };

export function searchHref(q: string, range: SearchRange, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if ('range' in range) p.set('range', range.range);
  else {
    p.set('from', range.from.toISOString());
    p.set('to', range.to.toISOString());
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return `/search?${p.toString()}`;
}

/** An event's neighbourhood: ±5 minutes around its time, the pivots' window. */
export function around(ts: string | Date, minutes = 5): { from: Date; to: Date } {
  const t = new Date(ts).getTime();
  return { from: new Date(t - minutes * 60_000), to: new Date(t + minutes * 60_000 + 1) };
}

/** The range a view shows, as a search link carries it: a live preset stays live. */
export function viewRange(r: { live: boolean; preset: string | null; from: Date | null; to: Date | null }): SearchRange {
  // a range of expressions (from=now-6h&to=now) has no preset: it goes as the instants it names now
  if (r.preset || !r.from || !r.to) return { range: r.preset ?? '1h' };
  return { from: r.from, to: r.to };
}
