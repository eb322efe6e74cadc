// Bundles are signed with the console's Ed25519 key so a proxy can refuse a tampered one. The
// key comes from MESHWARD_SIGNING_KEY (PKCS#8 PEM) or is generated on first start and kept in
// the database, so every replica signs with the same key. What is signed is one line of text
// naming the bundle and the SHA-256 of its content:
//   meshward-bundle-v1\n<service>\n<revision>\n<format>\n<sha256 hex of content>
// so a signature cannot be replayed for another service, revision or format.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { settings } from '@/db/schema';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PEM (SPKI) of the public key, as /api/fleet/v1/signing-key serves it */
  publicPem: string;
  /** first 16 hex digits of the SHA-256 of the raw public key */
  keyId: string;
}

function fromPrivatePem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('MESHWARD_SIGNING_KEY must be an Ed25519 private key (PKCS#8 PEM)');
  const publicKey = createPublicKey(privateKey);
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    privateKey,
    publicKey,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: createHash('sha256').update(raw).digest('hex').slice(0, 16),
  };
}

export function generateSigningPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** The configured key, or the one in the database (created by whichever replica got there first). */
export async function loadSigningKey(db: Db, configured?: string): Promise<SigningKey> {
  if (configured) return fromPrivatePem(configured.includes('BEGIN') ? configured : Buffer.from(configured, 'base64').toString('utf8'));
  await db.insert(settings).values({ key: 'policy_signing_key', value: generateSigningPem() }).onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, 'policy_signing_key'));
  return fromPrivatePem(row.value);
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function signedText(b: { service: string; revision: number; format: string; sha256: string }): string {
  return `meshward-bundle-v1\n${b.service}\n${b.revision}\n${b.format}\n${b.sha256}`;
}

export function signBundle(key: SigningKey, b: { service: string; revision: number; format: string; sha256: string }): string {
  return sign(null, Buffer.from(signedText(b), 'utf8'), key.privateKey).toString('base64');
}

/** What a proxy (and the nginx agent) checks: the content's hash and the signature over it. */
export function verifyBundle(publicKeyPem: string, b: { service: string; revision: number; format: string; content: string; sha256: string; signature: string }): boolean {
  if (sha256Hex(b.content) !== b.sha256) return false;
  try {
    return verify(null, Buffer.from(signedText(b), 'utf8'), createPublicKey(publicKeyPem), Buffer.from(b.signature, 'base64'));
  } catch {
    return false;
  }
}
