// The console's bundle signing keys, announced to proxies so the key can be rotated without
// re-pinning every proxy: `next` is announced before it signs anything, `active` signs bundles,
// `retired` no longer does. The document is signed by every key the console holds, so a proxy
// that still trusts only the old key learns the new one from a set its trusted key signed —
// and a man in the middle cannot announce a key of its own. Signed text:
//   meshward-keyset-v1\n<issued_at>\n<expires_at>\n<key_id> <status> <base64 SPKI DER>\n…
// (one line per key, in the document's order).
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { BUNDLE_TTL_S, CLOCK_SKEW_S, publicKeyId, type SigningKey } from './signing';

export interface SigningKeySet {
  /** signs bundles */
  active: SigningKey;
  /** announced so proxies trust it before it becomes active */
  next: SigningKey | null;
  /** no longer signs bundles; still signs the key set so lagging proxies can follow */
  retired: SigningKey[];
}

export type KeyStatus = 'active' | 'next' | 'retired';

export interface KeySetDocument {
  issued_at: string;
  expires_at: string;
  keys: { key_id: string; public_pem: string; status: KeyStatus }[];
  signatures: { key_id: string; signature: string }[];
}

/** The set of one key, then with `next` and `retired` keys that are not the active one (deduplicated by id). */
export function keySet(active: SigningKey, next: SigningKey | null = null, retired: SigningKey[] = []): SigningKeySet {
  const seen = new Set([active.keyId]);
  const nextKey = next && !seen.has(next.keyId) ? next : null;
  if (nextKey) seen.add(nextKey.keyId);
  const old: SigningKey[] = [];
  for (const k of retired) {
    if (seen.has(k.keyId)) continue;
    seen.add(k.keyId);
    old.push(k);
  }
  return { active, next: nextKey, retired: old };
}

const spki = (pem: string) => createPublicKey(pem).export({ format: 'der', type: 'spki' }).toString('base64');

export function keySetText(doc: Pick<KeySetDocument, 'issued_at' | 'expires_at' | 'keys'>): string {
  return ['meshward-keyset-v1', doc.issued_at, doc.expires_at, ...doc.keys.map((k) => `${k.key_id} ${k.status} ${spki(k.public_pem)}`)].join('\n');
}

export function signedKeySet(set: SigningKeySet, now: Date, ttlS = BUNDLE_TTL_S): KeySetDocument {
  const all: [SigningKey, KeyStatus][] = [[set.active, 'active'], ...(set.next ? [[set.next, 'next'] as [SigningKey, KeyStatus]] : []), ...set.retired.map((k) => [k, 'retired'] as [SigningKey, KeyStatus])];
  const body = {
    issued_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttlS * 1000).toISOString(),
    keys: all.map(([k, status]) => ({ key_id: k.keyId, public_pem: k.publicPem, status })),
  };
  const text = Buffer.from(keySetText(body), 'utf8');
  return { ...body, signatures: all.map(([k]) => ({ key_id: k.keyId, signature: sign(null, text, k.privateKey).toString('base64') })) };
}

/**
 * What a proxy checks before it learns keys from a set: signed by a key it trusts (and has not
 * seen retired), fresh, and every key's id matching the key. Null when the set may be used.
 */
export function keySetProblem(trusted: ReadonlyMap<string, KeyObject>, doc: KeySetDocument, now = new Date(), skewS = CLOCK_SKEW_S): string | null {
  if (!Array.isArray(doc?.keys) || !Array.isArray(doc.signatures)) return 'not a key set';
  let text: Buffer;
  try {
    for (const k of doc.keys) {
      if (!['active', 'next', 'retired'].includes(k.status)) return `key ${k.key_id} has an unknown status`;
      if (publicKeyId(createPublicKey(k.public_pem)) !== k.key_id) return `key ${k.key_id} does not match its id`;
    }
    text = Buffer.from(keySetText(doc), 'utf8');
  } catch {
    return 'a key in the set is not an Ed25519 public key';
  }
  const signedByTrusted = doc.signatures.some((s) => {
    const key = trusted.get(s.key_id);
    try {
      return Boolean(key) && verify(null, text, key!, Buffer.from(String(s.signature), 'base64'));
    } catch {
      return false;
    }
  });
  if (!signedByTrusted) return 'the key set is not signed by a key this proxy trusts';
  const issued = Date.parse(doc.issued_at);
  const expires = Date.parse(doc.expires_at);
  if (!Number.isFinite(issued) || !Number.isFinite(expires) || expires <= issued) return 'the key set has no valid issued_at / expires_at';
  if (issued > now.getTime() + skewS * 1000) return 'the key set was issued in the future: check the clocks';
  if (expires < now.getTime() - skewS * 1000) return 'the key set expired: a replayed or delayed answer';
  return null;
}
