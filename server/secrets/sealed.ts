// A secret sealed with AES-256-GCM under a key derived from the master key, as one line of text:
//   mwsealed:v1:<master key id>:<iv>:<ciphertext>:<tag>   (base64url parts)
// The name of the setting is authenticated too (GCM additional data), so one sealed value
// cannot be moved into another row (the audit key into the session secret, say).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SymmetricKey } from './keys';

const PREFIX = 'mwsealed:v1';

function aesKey(master: SymmetricKey): Buffer {
  return Buffer.from(hkdfSync('sha256', master.key, Buffer.alloc(0), 'meshward settings aes-256-gcm v1', 32));
}

const aad = (name: string) => Buffer.from(`meshward setting\n${name}`, 'utf8');

export function seal(master: SymmetricKey, name: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey(master), iv);
  cipher.setAAD(aad(name));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [PREFIX, master.id, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(':');
}

export const isSealed = (stored: string) => stored.startsWith(`${PREFIX}:`);

/** The id of the master key a sealed value needs; null when the value is not sealed. */
export function sealedWith(stored: string): string | null {
  return isSealed(stored) ? (stored.split(':')[2] ?? null) : null;
}

/** Opens a sealed value with whichever of `keys` sealed it; throws a message naming what is missing. */
export function unseal(keys: SymmetricKey[], name: string, stored: string): string {
  const parts = stored.split(':');
  if (parts.length !== 6 || `${parts[0]}:${parts[1]}` !== PREFIX) throw new Error(`settings.${name} is not a sealed value`);
  const [, , id, iv, ct, tag] = parts;
  const master = keys.find((k) => k.id === id);
  if (!master) {
    const known = keys.map((k) => k.id).join(', ') || 'none';
    throw new Error(
      `settings.${name} is encrypted with master key ${id}, which this process was not given (it has: ${known}). ` +
        'Give that key in MESHWARD_SECRET_KEY, or in MESHWARD_SECRET_KEY_PREVIOUS while rotating to a new one.',
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey(master), Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(name));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`settings.${name} does not decrypt with master key ${id}: the stored value was altered`);
  }
}
