import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keySet, keySetProblem, signedKeySet, type KeySetDocument } from './key-set';
import { handleSigningKeys } from './key-set-http';
import { BUNDLE_TTL_S, CLOCK_SKEW_S, bundleProblem, generateSigningPem, sha256Hex, signBundle, signingKeyFromPem, verifyBundle, type SigningKey } from './signing';

const key = signingKeyFromPem(generateSigningPem());
const T0 = new Date('2026-03-01T12:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

function bundle(k: SigningKey, revision: number, issued = T0, content = '{"allow":[]}') {
  const b = { service: 'shop/orders', revision, format: 'nginx', content, sha256: sha256Hex(content), issued_at: issued.toISOString(), expires_at: new Date(issued.getTime() + BUNDLE_TTL_S * 1000).toISOString() };
  return { ...b, signature: signBundle(k, b) };
}

describe('bundle signatures (v2: revision, issued_at and expires_at signed)', () => {
  it('a fresh bundle verifies; a lower revision than the applied one is a replay; the same or a higher one is not', () => {
    const b = bundle(key, 5);
    expect(bundleProblem(key.publicPem, b, { now: at(1) })).toBeNull();
    expect(verifyBundle(key.publicPem, b, { now: at(1), applied: 5 })).toBe(true);
    expect(bundleProblem(key.publicPem, b, { now: at(1), applied: 6 })).toBe('revision 5 is older than the applied revision 6: a replayed bundle');
  });

  it('an expired bundle is refused, within the clock skew allowance it is not', () => {
    const b = bundle(key, 5);
    expect(bundleProblem(key.publicPem, b, { now: at(BUNDLE_TTL_S + CLOCK_SKEW_S - 1) })).toBeNull();
    expect(bundleProblem(key.publicPem, b, { now: at(BUNDLE_TTL_S + CLOCK_SKEW_S + 1) })).toBe(`bundle expired at ${b.expires_at}: a replayed or delayed bundle`);
  });

  it('a bundle issued further in the future than the skew allowance is refused', () => {
    const b = bundle(key, 5, at(CLOCK_SKEW_S + 10));
    expect(bundleProblem(key.publicPem, b, { now: T0 })).toMatch(/issued in the future/);
    expect(bundleProblem(key.publicPem, bundle(key, 5, at(CLOCK_SKEW_S - 10)), { now: T0 })).toBeNull();
  });

  it('moving the expiry, the issue time or the revision breaks the signature', () => {
    const b = bundle(key, 5);
    const later = new Date(T0.getTime() + 86_400_000).toISOString();
    expect(bundleProblem(key.publicPem, { ...b, expires_at: later }, { now: at(1) })).toBe('signature does not verify with the console key');
    expect(bundleProblem(key.publicPem, { ...b, issued_at: at(60).toISOString() }, { now: at(1) })).toBe('signature does not verify with the console key');
    expect(bundleProblem(key.publicPem, { ...b, revision: 7 }, { now: at(1) })).toBe('signature does not verify with the console key');
    expect(bundleProblem(key.publicPem, { ...b, content: `${b.content} ` }, { now: at(1) })).toBe('content does not match its SHA-256');
  });

  it('a bundle signed the v1 way (no times in the signature) is refused', () => {
    const b = bundle(key, 5);
    const v1 = sign(null, Buffer.from(`meshward-bundle-v1\n${b.service}\n${b.revision}\n${b.format}\n${b.sha256}`), key.privateKey).toString('base64');
    expect(bundleProblem(key.publicPem, { ...b, signature: v1 }, { now: at(1) })).toBe('signature does not verify with the console key');
  });
});

describe('the signing key set', () => {
  const oldKey = signingKeyFromPem(generateSigningPem());
  const newKey = signingKeyFromPem(generateSigningPem());
  const mitm = signingKeyFromPem(generateSigningPem());
  const trust = (...keys: SigningKey[]) => new Map<string, KeyObject>(keys.map((k) => [k.keyId, createPublicKey(k.publicPem)]));

  it('announces the next key before it signs, signed by every key the console holds', () => {
    const doc = signedKeySet(keySet(oldKey, newKey), T0);
    expect(doc.keys.map((k) => [k.key_id, k.status])).toEqual([[oldKey.keyId, 'active'], [newKey.keyId, 'next']]);
    expect(doc.signatures.map((s) => s.key_id)).toEqual([oldKey.keyId, newKey.keyId]);
    // a proxy that trusts only the old key learns the new one
    expect(keySetProblem(trust(oldKey), doc, at(1))).toBeNull();
  });

  it('after the switch a lagging proxy still learns the new key from the set its old key signed', () => {
    const doc = signedKeySet(keySet(newKey, null, [oldKey]), T0);
    expect(doc.keys.map((k) => k.status)).toEqual(['active', 'retired']);
    expect(keySetProblem(trust(oldKey), doc, at(1))).toBeNull();
  });

  it('a man in the middle cannot announce a key of its own', () => {
    const genuine = signedKeySet(keySet(oldKey), T0);
    const ownSet = signedKeySet(keySet(mitm), T0);
    expect(keySetProblem(trust(oldKey), ownSet, at(1))).toBe('the key set is not signed by a key this proxy trusts');
    const added: KeySetDocument = { ...genuine, keys: [...genuine.keys, { key_id: mitm.keyId, public_pem: mitm.publicPem, status: 'active' }], signatures: [...genuine.signatures, ...ownSet.signatures] };
    expect(keySetProblem(trust(oldKey), added, at(1))).toBe('the key set is not signed by a key this proxy trusts');
    const relabelled: KeySetDocument = { ...genuine, keys: [{ ...genuine.keys[0], public_pem: mitm.publicPem }] };
    expect(keySetProblem(trust(oldKey), relabelled, at(1))).toBe(`key ${oldKey.keyId} does not match its id`);
  });

  it('an old key set replayed after it expired is refused', () => {
    const doc = signedKeySet(keySet(oldKey, newKey), T0);
    expect(keySetProblem(trust(oldKey), doc, at(BUNDLE_TTL_S + CLOCK_SKEW_S + 1))).toBe('the key set expired: a replayed or delayed answer');
  });

  it('is served at /api/fleet/v1/signing-keys', async () => {
    const res = handleSigningKeys(keySet(newKey, null, [oldKey]), T0);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as KeySetDocument;
    expect(doc).toMatchObject({ issued_at: T0.toISOString(), keys: [{ key_id: newKey.keyId, status: 'active', public_pem: newKey.publicPem }, { key_id: oldKey.keyId, status: 'retired' }] });
    expect(keySetProblem(trust(newKey), doc, at(1))).toBeNull();
  });
});
