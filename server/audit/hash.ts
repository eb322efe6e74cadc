import { createHash, createHmac } from 'node:crypto';
import type { AuditKeyring } from './keyring';

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
  /** the audit key that MACed the entry; null for entries written before the chain was keyed */
  keyId: string | null;
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

const body = (e: HashedEntry) =>
  canonicalJson([
    e.id, e.ts.toISOString(), e.actorId, e.actorEmail, e.actorRole, e.action, e.targetType, e.targetId,
    e.before ?? null, e.after ?? null, e.reason, e.sourceIp, e.requestId,
  ]);

/**
 * Entries written before the chain was keyed: plain SHA-256, which anyone who can write the
 * table can recompute. They are accepted only before the first keyed entry (server/audit/verify.ts).
 */
export function legacyEntryHash(e: HashedEntry): string {
  return createHash('sha256').update(e.prevHash).update('\n').update(body(e)).digest('hex');
}

/** HMAC-SHA256 under the audit key: rewriting the chain needs the key, which the database does not hold. */
export function keyedEntryHash(key: Buffer, e: HashedEntry & { keyId: string }): string {
  return createHmac('sha256', key).update(`meshward-audit-v2\n${e.keyId}\n${e.prevHash}\n`).update(body(e)).digest('hex');
}

/** The hash the entry should carry, or null when its key is not in the keyring. */
export function expectedHash(ring: AuditKeyring, e: HashedEntry): string | null {
  if (e.keyId === null) return legacyEntryHash(e);
  const key = ring.byId.get(e.keyId);
  return key ? keyedEntryHash(key, { ...e, keyId: e.keyId }) : null;
}

/**
 * Values as they will come back from jsonb: Dates become ISO strings, undefined keys vanish,
 * NUL characters (which jsonb refuses) are dropped.
 */
export function asStoredJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value).replace(/\\u0000/g, ''));
}
