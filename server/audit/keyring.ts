// The keys of the audit chain's HMAC. They are never stored in the database in usable form:
// MESHWARD_AUDIT_KEY from the environment, or a generated key kept sealed with the master key
// (server/secrets). Each entry names the key that MACed it (key_id), so after a rotation new
// entries use the new key and older ones still verify with the keys kept for them.
//
// The keyring is process-wide, installed once at start (like the configuration): every
// audited mutation, in any domain, appends through it without carrying it in its context.
import { keyId, type SymmetricKey } from '@/server/secrets/keys';

export interface AuditKeyring {
  /** MACs new entries */
  current: SymmetricKey;
  /** every key entries may name, the current one included */
  byId: ReadonlyMap<string, Buffer>;
}

const PURPOSE = 'audit';

export function auditKeyring(current: Buffer, others: Buffer[] = []): AuditKeyring {
  const byId = new Map<string, Buffer>();
  for (const k of [current, ...others]) byId.set(keyId(k, PURPOSE), k);
  return { current: { id: keyId(current, PURPOSE), key: current }, byId };
}

const SLOT = Symbol.for('meshward.audit.keyring');
type Holder = { [SLOT]?: AuditKeyring };

export function installAuditKeyring(ring: AuditKeyring): void {
  (globalThis as Holder)[SLOT] = ring;
}

export function installedAuditKeyring(): AuditKeyring {
  const ring = (globalThis as Holder)[SLOT];
  if (!ring) throw new Error('the audit key is not loaded: this process cannot write or verify audit entries');
  return ring;
}
