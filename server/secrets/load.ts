// The console's secrets, from the environment (or `_FILE`s) when given, otherwise generated
// once and kept sealed in the database (server/secrets/stored.ts). Loaded once at start.
import { randomBytes } from 'node:crypto';
import type { Db } from '@/db/client';
import { auditKeyring, type AuditKeyring } from '@/server/audit/keyring';
import type { Config } from '@/server/config';
import { log } from '@/server/log';
import { keySet, type SigningKeySet } from '@/server/policy/key-set';
import { generateSigningPem, signingKeyFromConfig, signingKeyFromPem, type SigningKey } from '@/server/policy/signing';
import { parseKey32, parseKeyList } from './keys';
import { resolveMasterKeys, type MasterKeys } from './master-key';
import { readStoredSecret, sealStoredSecrets, storedSecret, type StoredSecret } from './stored';

export interface Secrets {
  /** session secrets, the one that signs new sessions first */
  authSecrets: string[];
  signing: SigningKeySet;
  audit: AuditKeyring;
}

type SecretsConfig = Pick<
  Config,
  | 'DATABASE_URL' | 'MESHWARD_DATA_DIR' | 'MESHWARD_SECRET_KEY' | 'MESHWARD_SECRET_KEY_PREVIOUS' | 'AUTH_SECRET' | 'AUTH_SECRET_PREVIOUS'
  | 'MESHWARD_SIGNING_KEY' | 'MESHWARD_SIGNING_KEY_NEXT' | 'MESHWARD_SIGNING_KEY_PREVIOUS' | 'MESHWARD_AUDIT_KEY' | 'MESHWARD_AUDIT_KEY_PREVIOUS'
>;

/**
 * Seals what earlier versions stored in plain form, re-seals what a previous master key
 * sealed, and says which stored secrets stay in plain form (no master key).
 */
export async function prepareMasterKeys(db: Db, cfg: SecretsConfig): Promise<MasterKeys> {
  const master = resolveMasterKeys(cfg);
  const report = await sealStoredSecrets(db, master);
  if (report.sealed.length) log.info({ settings: report.sealed, key_id: master.current?.id }, 'encrypted secrets that were stored in plain form');
  if (report.resealed.length) log.info({ settings: report.resealed, key_id: master.current?.id }, 're-encrypted stored secrets with the new master key');
  if (report.plain.length) log.warn({ settings: report.plain }, 'stored secrets remain in plain form: set MESHWARD_SECRET_KEY to encrypt them');
  return master;
}

/** A stored secret that is only needed for verification: a failure to open it is logged, not fatal. */
async function optionalStored(db: Db, master: MasterKeys, name: StoredSecret): Promise<string | null> {
  try {
    return await readStoredSecret(db, master, name);
  } catch (e) {
    log.warn({ err: (e as Error).message }, `the stored ${name} cannot be read; what it protected cannot be verified`);
    return null;
  }
}

export async function loadAuditKeyring(db: Db, cfg: SecretsConfig, master: MasterKeys): Promise<AuditKeyring> {
  const previous = parseKeyList('MESHWARD_AUDIT_KEY_PREVIOUS', cfg.MESHWARD_AUDIT_KEY_PREVIOUS);
  const generate = () => randomBytes(32).toString('base64');
  if (cfg.MESHWARD_AUDIT_KEY) {
    // A key generated before one was configured still verifies the entries it MACed.
    const stored = await optionalStored(db, master, 'audit_key');
    return auditKeyring(parseKey32('MESHWARD_AUDIT_KEY', cfg.MESHWARD_AUDIT_KEY), [...previous, ...(stored ? [parseKey32('settings.audit_key', stored)] : [])]);
  }
  return auditKeyring(parseKey32('settings.audit_key', await storedSecret(db, master, 'audit_key', generate)), previous);
}

async function loadSigningKeys(db: Db, cfg: SecretsConfig, master: MasterKeys): Promise<SigningKeySet> {
  const next = cfg.MESHWARD_SIGNING_KEY_NEXT ? signingKeyFromConfig(cfg.MESHWARD_SIGNING_KEY_NEXT, 'MESHWARD_SIGNING_KEY_NEXT') : null;
  const retired: SigningKey[] = cfg.MESHWARD_SIGNING_KEY_PREVIOUS ? [signingKeyFromConfig(cfg.MESHWARD_SIGNING_KEY_PREVIOUS, 'MESHWARD_SIGNING_KEY_PREVIOUS')] : [];
  if (cfg.MESHWARD_SIGNING_KEY) {
    // The generated key signed before this one was configured: announced as retired, so
    // proxies that trust only it learn the configured one from a set it signed.
    const stored = await optionalStored(db, master, 'policy_signing_key');
    if (stored) retired.push(signingKeyFromPem(stored, 'settings.policy_signing_key'));
    return keySet(signingKeyFromConfig(cfg.MESHWARD_SIGNING_KEY), next, retired);
  }
  const stored = await storedSecret(db, master, 'policy_signing_key', generateSigningPem);
  return keySet(signingKeyFromPem(stored, 'settings.policy_signing_key'), next, retired);
}

export async function loadSecrets(db: Db, cfg: SecretsConfig): Promise<Secrets> {
  const master = await prepareMasterKeys(db, cfg);
  const auth = cfg.AUTH_SECRET ?? (await storedSecret(db, master, 'auth_secret', () => randomBytes(32).toString('base64url')));
  const secrets: Secrets = {
    authSecrets: [auth, ...(cfg.AUTH_SECRET_PREVIOUS ? [cfg.AUTH_SECRET_PREVIOUS] : [])],
    signing: await loadSigningKeys(db, cfg, master),
    audit: await loadAuditKeyring(db, cfg, master),
  };
  log.info({
    master_key: master.source, master_key_id: master.current?.id ?? null,
    signing_key_id: secrets.signing.active.keyId, audit_key_id: secrets.audit.current.id,
  }, 'secrets loaded');
  return secrets;
}
