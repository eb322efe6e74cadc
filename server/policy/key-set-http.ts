// GET /api/fleet/v1/signing-keys: the signed key set (server/policy/key-set.ts). Public, like
// the single active key at /api/fleet/v1/signing-key: it holds public keys only, and a proxy
// believes it only when a key it already trusts signed it.
import type { SigningKeySet } from './key-set';
import { signedKeySet } from './key-set';

export function handleSigningKeys(set: SigningKeySet, now = new Date()): Response {
  return Response.json(signedKeySet(set, now), { headers: { 'cache-control': 'no-cache' } });
}
