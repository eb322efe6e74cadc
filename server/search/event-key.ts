/**
 * The name of one access event for the detail view: its primary key (ts to the microsecond,
 * proxy, request id), the dedupe key ingest already guarantees unique, which also finds the
 * event's day partition. The sequence id is not indexed, so it would not find the row fast.
 */
/** A stored event time as the search reads it: UTC, to the microsecond (`2026-01-15T12:00:00.123456Z`). */
export const MICRO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export interface EventKeyParts {
  /** `2026-01-15T12:00:00.123456Z` */
  ts: string;
  proxyId: string;
  requestId: string;
}

export function eventKey(k: EventKeyParts): string {
  return Buffer.from(JSON.stringify([k.ts, k.proxyId, k.requestId])).toString('base64url');
}

/** The parts of a key, or null for anything that is not one. */
export function parseEventKey(key: string): EventKeyParts | null {
  if (key.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(key)) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(key, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'string')) return null;
    const [ts, proxyId, requestId] = v as string[];
    if (!MICRO_TS.test(ts)) return null;
    return { ts, proxyId, requestId };
  } catch {
    return null;
  }
}
