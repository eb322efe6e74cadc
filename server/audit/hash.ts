import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit entry that the hash covers, in the form they are stored. */
export interface HashedEntry {
  id: number;
  ts: Date;
  actorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  sourceIp: string | null;
  requestId: string | null;
  prevHash: string;
}

/**
 * JSON with object keys sorted at every depth: jsonb does not keep key order, so the
 * hash must not depend on it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(e: HashedEntry): string {
  const body = canonicalJson([
    e.id, e.ts.toISOString(), e.actorId, e.actorEmail, e.actorRole, e.action, e.targetType, e.targetId,
    e.before ?? null, e.after ?? null, e.reason, e.sourceIp, e.requestId,
  ]);
  return createHash('sha256').update(e.prevHash).update('\n').update(body).digest('hex');
}

/**
 * Values as they will come back from jsonb: Dates become ISO strings, undefined keys vanish,
 * NUL characters (which jsonb refuses) are dropped.
 */
export function asStoredJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value).replace(/\\u0000/g, ''));
}
