import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keySet, signedKeySet } from '@/server/policy/key-set';
import { BUNDLE_TTL_S, CLOCK_SKEW_S, bundleProblem, generateSigningPem, sha256Hex, signBundle, signingKeyFromPem, type SigningKey } from '@/server/policy/signing';
import { KeyTrust } from './bundle-trust.mjs';

const SERVICE = 'shop/orders';
const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const k1 = signingKeyFromPem(generateSigningPem());
const k2 = signingKeyFromPem(generateSigningPem());

function bundle(k: SigningKey, revision: number, issuedMs = T0, over: Record<string, unknown> = {}) {
  const content = JSON.stringify({ http: '', server: '' });
  const f = { service: SERVICE, revision, format: 'nginx', sha256: sha256Hex(content), issued_at: new Date(issuedMs).toISOString(), expires_at: new Date(issuedMs + BUNDLE_TTL_S * 1000).toISOString() };
  return { ...f, content, signature: signBundle(k, f), key_id: k.keyId, ...over };
}

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshward-trust-'));
  file = path.join(dir, 'trusted-keys.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const trust = () => new KeyTrust({ pinnedPem: k1.publicPem, file });

describe('the agent decides as the console does', () => {
  it('accepts and refuses the same bundles as server/policy/signing.ts', () => {
    const t = trust();
    const cases: [string, ReturnType<typeof bundle>, number, number][] = [
      ['fresh', bundle(k1, 5), T0 + 1000, 4],
      ['same revision', bundle(k1, 5), T0 + 1000, 5],
      ['replay', bundle(k1, 4), T0 + 1000, 5],
      ['expired', bundle(k1, 6), T0 + (BUNDLE_TTL_S + CLOCK_SKEW_S + 1) * 1000, 5],
      ['barely valid', bundle(k1, 6), T0 + (BUNDLE_TTL_S + CLOCK_SKEW_S - 1) * 1000, 5],
      ['future', bundle(k1, 6, T0 + (CLOCK_SKEW_S + 5) * 1000), T0, 5],
      ['moved expiry', bundle(k1, 6, T0, { expires_at: new Date(T0 + 86_400_000).toISOString() }), T0 + 1000, 5],
      ['edited content', bundle(k1, 6, T0, { content: '{"http":"","server":"allow all;"}' }), T0 + 1000, 5],
      ['other signer', { ...bundle(k2, 6), key_id: k1.keyId }, T0 + 1000, 5],
    ];
    for (const [name, b, now, applied] of cases) {
      const console_ = bundleProblem(k1.publicPem, b, { now: new Date(now), applied });
      const agent = t.check(b, { service: SERVICE, applied, now, skewS: CLOCK_SKEW_S });
      expect(agent?.message ?? null, name).toBe(console_);
    }
    expect(t.check(bundle(k1, 5), { service: 'shop/cart', applied: 0, now: T0, skewS: CLOCK_SKEW_S })?.reason).toBe('invalid');
    expect(t.check(bundle(k2, 5), { service: SERVICE, applied: 0, now: T0, skewS: CLOCK_SKEW_S })).toMatchObject({ reason: 'key' });
  });
});

describe('the agent learns console keys', () => {
  it('from a set a trusted key signed, and keeps them across restarts; never from a set it did not sign', () => {
    const t = trust();
    expect(t.learn(signedKeySet(keySet(k2), new Date(T0)), T0, CLOCK_SKEW_S)?.message).toBe('the key set is not signed by a key this agent trusts');
    expect(t.learn(signedKeySet(keySet(k1, k2), new Date(T0)), T0, CLOCK_SKEW_S)).toBeNull();
    expect(trust().signer(k2.keyId)).toBeTruthy();
    // a new pin starts over
    writeFileSync(file, JSON.stringify({ pinned_key_id: 'someone-else', keys: {} }));
    expect(trust().knows(k2.keyId)).toBe(false);
  });

  it('a retired key stays retired; an old set replayed cannot bring it back', () => {
    const t = trust();
    const before = signedKeySet(keySet(k1, k2), new Date(T0));
    expect(t.learn(signedKeySet(keySet(k2, null, [k1]), new Date(T0 + 60_000)), T0 + 60_000, CLOCK_SKEW_S)).toBeNull();
    expect(t.signer(k1.keyId)).toBeNull();
    expect(t.check(bundle(k1, 9, T0 + 60_000), { service: SERVICE, applied: 0, now: T0 + 60_000, skewS: CLOCK_SKEW_S })?.message).toBe(`bundle is signed by the retired key ${k1.keyId}`);
    // the older set is still unexpired and signed by k2, which the agent trusts: refused as older…
    const much = T0 + (CLOCK_SKEW_S + 1) * 1000 + 60_000;
    expect(t.learn(signedKeySet(keySet(k2, null, [k1]), new Date(much)), much, CLOCK_SKEW_S)).toBeNull();
    expect(t.learn(before, much, CLOCK_SKEW_S)?.reason).toBe('replay');
    // …and within the clock skew of the last one, learned without reviving k1
    const close = signedKeySet(keySet(k1, k2), new Date(much - 1000));
    expect(t.learn(close, much, CLOCK_SKEW_S)).toBeNull();
    expect(t.signer(k1.keyId)).toBeNull();
    expect(trust().signer(k1.keyId)).toBeNull();
  });

  it('refuses a set whose key does not match its id, or that expired', () => {
    const t = trust();
    const doc = signedKeySet(keySet(k1, k2), new Date(T0));
    expect(t.learn({ ...doc, keys: [doc.keys[0], { ...doc.keys[1], public_pem: k1.publicPem }] }, T0, CLOCK_SKEW_S)?.message).toBe(`key ${k2.keyId} does not match its id`);
    expect(t.learn(doc, T0 + (BUNDLE_TTL_S + CLOCK_SKEW_S + 1) * 1000, CLOCK_SKEW_S)?.reason).toBe('expired');
    expect(t.knows(k2.keyId)).toBe(false);
  });
});
