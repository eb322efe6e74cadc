// Bundles are signed with the console's Ed25519 key so a proxy can refuse a tampered one. The
// key comes from MESHWARD_SIGNING_KEY (PKCS#8 PEM) or is generated on first start and kept,
// sealed, in the database (server/secrets), so every replica signs with the same key. What is
// signed is text naming the bundle, the SHA-256 of its content, and when it was issued and
// until when it may be applied:
//   meshward-bundle-v2\n<service>\n<revision>\n<format>\n<sha256 hex of content>\n<issued_at>\n<expires_at>
// so a signature cannot be moved to another service, revision or format, and a captured
// bundle cannot be replayed after it expires. A proxy also refuses a revision lower than the
// one it applied (a rollback is published as a new, higher revision).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PEM (SPKI) of the public key, as /api/fleet/v1/signing-key serves it */
  publicPem: string;
  /** first 16 hex digits of the SHA-256 of the raw public key */
  keyId: string;
}

/** How long a served bundle (or key set) may be applied: bounds how long a captured one can be replayed. */
export const BUNDLE_TTL_S = 600;
/** Clock difference between console and proxy tolerated on issued_at / expires_at. */
export const CLOCK_SKEW_S = 120;

/** The id of an Ed25519 public key: first 16 hex digits of the SHA-256 of its 32 raw bytes. */
export function publicKeyId(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

export function signingKeyFromPem(pem: string, variable = 'MESHWARD_SIGNING_KEY'): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new Error(`${variable} is not a private key in PEM form (PKCS#8)`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${variable} must be an Ed25519 private key (PKCS#8 PEM)`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(), keyId: publicKeyId(publicKey) };
}

/** A configured key: the PEM itself, or that PEM base64-encoded (one line, for environments). */
export function signingKeyFromConfig(value: string, variable = 'MESHWARD_SIGNING_KEY'): SigningKey {
  return signingKeyFromPem(value.includes('BEGIN') ? value : Buffer.from(value, 'base64').toString('utf8'), variable);
}

export function generateSigningPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export interface SignedFields {
  service: string;
  revision: number;
  format: string;
  sha256: string;
  issued_at: string;
  expires_at: string;
}

export function signedText(b: SignedFields): string {
  return `meshward-bundle-v2\n${b.service}\n${b.revision}\n${b.format}\n${b.sha256}\n${b.issued_at}\n${b.expires_at}`;
}

export function signBundle(key: SigningKey, b: SignedFields): string {
  return sign(null, Buffer.from(signedText(b), 'utf8'), key.privateKey).toString('base64');
}

export interface BundleCheck {
  /** the proxy's clock */
  now?: Date;
  /** the revision the proxy applied last: anything lower is a replay */
  applied?: number;
  skewS?: number;
}

/**
 * What a proxy (and the nginx agent, integrations/nginx/meshward-agent.mjs) checks before it
 * applies a bundle; null when it may, otherwise why not.
 */
export function bundleProblem(publicKey: string | KeyObject, b: SignedFields & { content: string; signature: string }, check: BundleCheck = {}): string | null {
  if (!Number.isSafeInteger(b.revision) || b.revision < 1) return 'bundle has no revision';
  if (typeof b.content !== 'string' || sha256Hex(b.content) !== b.sha256) return 'content does not match its SHA-256';
  let ok = false;
  try {
    ok = verify(null, Buffer.from(signedText(b), 'utf8'), typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey, Buffer.from(String(b.signature), 'base64'));
  } catch {
    ok = false;
  }
  if (!ok) return 'signature does not verify with the console key';
  const now = (check.now ?? new Date()).getTime();
  const skew = (check.skewS ?? CLOCK_SKEW_S) * 1000;
  const issued = Date.parse(b.issued_at);
  const expires = Date.parse(b.expires_at);
  if (!Number.isFinite(issued) || !Number.isFinite(expires) || expires <= issued) return 'bundle has no valid issued_at / expires_at';
  if (issued > now + skew) return `bundle was issued in the future (${b.issued_at}): check the clocks`;
  if (expires < now - skew) return `bundle expired at ${b.expires_at}: a replayed or delayed bundle`;
  if (check.applied !== undefined && b.revision < check.applied) return `revision ${b.revision} is older than the applied revision ${check.applied}: a replayed bundle`;
  return null;
}

export function verifyBundle(publicKeyPem: string, b: SignedFields & { content: string; signature: string }, check: BundleCheck = {}): boolean {
  return bundleProblem(publicKeyPem, b, check) === null;
}
