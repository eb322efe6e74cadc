// What the agent believes: the console keys it trusts, and whether a bundle may be applied.
// Mirrors server/policy/signing.ts (bundleProblem) and server/policy/key-set.ts
// (keySetProblem); keep them in step.
//
// Trust starts from the pinned key (MESHWARD_PUBLIC_KEY_FILE). The console announces its key
// set (GET /api/fleet/v1/signing-keys); the agent learns keys from a set only when a key it
// already trusts signed it, so a man in the middle cannot announce a key of its own. Learned
// keys are kept in a small file beside the pin; a key the console marks retired never signs
// anything the agent accepts again, and an older set than the last one learned is ignored.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export const sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

export function publicKeyId(publicKey) {
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

const STATUSES = ['active', 'next', 'retired'];

function writeAtomic(file, text) {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function verifies(publicKey, text, signature) {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(String(signature), 'base64'));
  } catch {
    return false;
  }
}

/** A refusal: `reason` is what the agent counts (replay, expired, future, signature, key, invalid). */
const refuse = (reason, message) => ({ reason, message });

export class KeyTrust {
  /** @param {{ pinnedPem: string, file: string }} opts */
  constructor({ pinnedPem, file }) {
    this.file = file;
    const pinned = createPublicKey(pinnedPem);
    this.pinnedId = publicKeyId(pinned);
    /** @type {Map<string, { pem: string, status: string, key: import('node:crypto').KeyObject }>} */
    this.keys = new Map([[this.pinnedId, { pem: pinnedPem, status: 'active', key: pinned }]]);
    this.setIssuedAt = 0;
    this.load();
  }

  /** Keys learned before, unless the pin changed since (an operator re-pinned: start from it). */
  load() {
    if (!existsSync(this.file)) return;
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8'));
      if (saved.pinned_key_id !== this.pinnedId) return;
      for (const [id, k] of Object.entries(saved.keys ?? {})) {
        const key = createPublicKey(k.pem);
        if (publicKeyId(key) === id && STATUSES.includes(k.status)) this.keys.set(id, { pem: k.pem, status: k.status, key });
      }
      this.setIssuedAt = Number(saved.set_issued_at) || 0;
    } catch {
      // unreadable: trust only the pin, and learn again
    }
  }

  save() {
    const keys = Object.fromEntries([...this.keys].map(([id, k]) => [id, { pem: k.pem, status: k.status }]));
    writeAtomic(this.file, JSON.stringify({ pinned_key_id: this.pinnedId, set_issued_at: this.setIssuedAt, keys }));
  }

  /** A key that may sign bundles and key sets: trusted and not retired. */
  signer(id) {
    const k = this.keys.get(id);
    return k && k.status !== 'retired' ? k.key : null;
  }

  knows(id) {
    return this.keys.has(id);
  }

  /** Checks a key set and learns from it; a refusal, or null when learned. */
  learn(doc, now, skewS) {
    if (!Array.isArray(doc?.keys) || !Array.isArray(doc.signatures)) return refuse('invalid', 'not a key set');
    const parsed = [];
    try {
      for (const k of doc.keys) {
        if (!STATUSES.includes(k.status)) return refuse('invalid', `key ${k.key_id} has an unknown status`);
        const key = createPublicKey(k.public_pem);
        if (publicKeyId(key) !== k.key_id) return refuse('invalid', `key ${k.key_id} does not match its id`);
        parsed.push({ id: k.key_id, pem: k.public_pem, status: k.status, key, der: key.export({ format: 'der', type: 'spki' }).toString('base64') });
      }
    } catch {
      return refuse('invalid', 'a key in the set is not an Ed25519 public key');
    }
    const text = ['meshward-keyset-v1', doc.issued_at, doc.expires_at, ...parsed.map((k) => `${k.id} ${k.status} ${k.der}`)].join('\n');
    if (!doc.signatures.some((s) => this.signer(s.key_id) && verifies(this.signer(s.key_id), text, s.signature))) {
      return refuse('signature', 'the key set is not signed by a key this agent trusts');
    }
    const issued = Date.parse(doc.issued_at);
    const expires = Date.parse(doc.expires_at);
    if (!Number.isFinite(issued) || !Number.isFinite(expires) || expires <= issued) return refuse('invalid', 'the key set has no valid issued_at / expires_at');
    if (issued > now + skewS * 1000) return refuse('future', 'the key set was issued in the future: check the clocks');
    if (expires < now - skewS * 1000) return refuse('expired', 'the key set expired: a replayed or delayed answer');
    // (replicas' clocks differ by up to the skew allowance: only an older set than that is a replay)
    if (issued < this.setIssuedAt - skewS * 1000) return refuse('replay', 'the key set is older than the one learned before: a replayed answer');
    for (const k of parsed) {
      const known = this.keys.get(k.id);
      // retired stays retired: an old set replayed cannot bring a key back
      this.keys.set(k.id, { pem: k.pem, status: known?.status === 'retired' ? 'retired' : k.status, key: k.key });
    }
    this.setIssuedAt = Math.max(this.setIssuedAt, issued);
    this.save();
    return null;
  }

  /**
   * The checks of a bundle before it is applied (server/policy/signing.ts bundleProblem):
   * a refusal, or null when it may be applied. `format` is `nginx` (policy rules) or
   * `classifiers` (the content filter's set), each with its own applied revision.
   */
  check(b, { service, applied, now, skewS, format = 'nginx' }) {
    if (b?.service !== service) return refuse('invalid', `bundle is for ${b?.service}, not ${service}`);
    if (b.format !== format) return refuse('invalid', `bundle is in format ${b.format}, not ${format}`);
    // classifier sets start at revision 0, the console's built-in default
    if (!Number.isSafeInteger(b.revision) || b.revision < (format === 'classifiers' ? 0 : 1)) return refuse('invalid', 'bundle has no revision');
    if (typeof b.content !== 'string' || sha256Hex(b.content) !== b.sha256) return refuse('signature', 'content does not match its SHA-256');
    const key = this.signer(b.key_id);
    if (!key) return refuse('key', this.knows(b.key_id) ? `bundle is signed by the retired key ${b.key_id}` : `bundle is signed by key ${b.key_id}, which this agent does not trust`);
    const text = `meshward-bundle-v2\n${b.service}\n${b.revision}\n${b.format}\n${b.sha256}\n${b.issued_at}\n${b.expires_at}`;
    if (!verifies(key, text, b.signature)) return refuse('signature', 'signature does not verify with the console key');
    const issued = Date.parse(b.issued_at);
    const expires = Date.parse(b.expires_at);
    if (!Number.isFinite(issued) || !Number.isFinite(expires) || expires <= issued) return refuse('invalid', 'bundle has no valid issued_at / expires_at');
    if (issued > now + skewS * 1000) return refuse('future', `bundle was issued in the future (${b.issued_at}): check the clocks`);
    if (expires < now - skewS * 1000) return refuse('expired', `bundle expired at ${b.expires_at}: a replayed or delayed bundle`);
    if (b.revision < applied) return refuse('replay', `revision ${b.revision} is older than the applied revision ${applied}: a replayed bundle`);
    return null;
  }
}
