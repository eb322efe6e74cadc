// 32-byte symmetric keys given by the operator (the master key that encrypts stored secrets,
// the audit chain key), and the short ids that name them in what they protect.
import { createHmac } from 'node:crypto';

export interface SymmetricKey {
  /** 16 hex digits, derived from the key: names it without revealing it */
  id: string;
  key: Buffer;
}

export function keyId(key: Buffer, purpose: string): string {
  return createHmac('sha256', key).update(`meshward key id\n${purpose}`).digest('hex').slice(0, 16);
}

/** Parses 32 random bytes written as 64 hex digits or base64 / base64url. */
export function parseKey32(variable: string, text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (b.length === 32) return b;
  }
  throw new Error(`${variable} must be 32 random bytes written as 64 hex digits or in base64 (for example the output of \`openssl rand -base64 32\`)`);
}

/** A comma-separated list of such keys (the `…_PREVIOUS` variables). */
export function parseKeyList(variable: string, text: string | undefined): Buffer[] {
  if (!text) return [];
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => parseKey32(variable, s));
}
