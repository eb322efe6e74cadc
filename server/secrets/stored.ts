// Secrets Meshward generates itself are kept in `settings`, sealed with the master key
// (server/secrets/master-key.ts), so every replica shares them and a database copy alone
// does not reveal them. Rows written in plain form by earlier versions are sealed on the
// first start that has a master key; rows sealed with a previous master key are sealed
// again with the current one (key rotation).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { settings } from '@/db/schema';
import type { MasterKeys } from './master-key';
import { isSealed, seal, sealedWith, unseal } from './sealed';

/** Each stored secret, and the variable that supplies it instead. */
export const STORED_SECRETS = {
  auth_secret: 'AUTH_SECRET',
  policy_signing_key: 'MESHWARD_SIGNING_KEY',
  audit_key: 'MESHWARD_AUDIT_KEY',
} as const;
export type StoredSecret = keyof typeof STORED_SECRETS;

export function missingKeyMessage(name: StoredSecret): string {
  const v = STORED_SECRETS[name];
  return (
    `Meshward would generate ${v} and keep it in the database, but with PostgreSQL it keeps secrets there only ` +
    'encrypted, and no key to encrypt them was given. Set MESHWARD_SECRET_KEY (or MESHWARD_SECRET_KEY_FILE) to ' +
    `32 random bytes (openssl rand -base64 32), or give ${v} (or ${v}_FILE) yourself.`
  );
}

async function compareAndSet(db: Db, name: string, before: string, after: string) {
  await db.update(settings).set({ value: after, updatedAt: new Date() }).where(and(eq(settings.key, name), eq(settings.value, before)));
}

export interface SealReport {
  /** rows that were in plain form and are now sealed */
  sealed: StoredSecret[];
  /** rows sealed again with the current master key */
  resealed: StoredSecret[];
  /** rows still in plain form (no master key given) */
  plain: StoredSecret[];
}

/** Seals what is in plain form and re-seals what a previous master key sealed. */
export async function sealStoredSecrets(db: Db, master: MasterKeys): Promise<SealReport> {
  const report: SealReport = { sealed: [], resealed: [], plain: [] };
  const names = Object.keys(STORED_SECRETS) as StoredSecret[];
  const found = await db.select().from(settings).where(inArray(settings.key, names));
  for (const row of found) {
    const name = row.key as StoredSecret;
    const current = master.current;
    if (!isSealed(row.value)) {
      if (!current) {
        report.plain.push(name);
        continue;
      }
      await compareAndSet(db, name, row.value, seal(current, name, row.value));
      report.sealed.push(name);
    } else if (current && sealedWith(row.value) !== current.id) {
      const plain = unseal(master.previous, name, row.value);
      await compareAndSet(db, name, row.value, seal(current, name, plain));
      report.resealed.push(name);
    }
  }
  return report;
}

function open(master: MasterKeys, name: StoredSecret, stored: string): string {
  if (!isSealed(stored)) {
    if (!master.current) throw new Error(`settings.${name} holds ${STORED_SECRETS[name]} in plain form. ${missingKeyMessage(name)} It is encrypted on that start.`);
    return stored;
  }
  return unseal([...(master.current ? [master.current] : []), ...master.previous], name, stored);
}

/** The stored secret, or null when there is none. */
export async function readStoredSecret(db: Db, master: MasterKeys, name: StoredSecret): Promise<string | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, name));
  return row ? open(master, name, row.value) : null;
}

/** The stored secret, generated and stored sealed first when there is none (the first replica wins). */
export async function storedSecret(db: Db, master: MasterKeys, name: StoredSecret, generate: () => string): Promise<string> {
  const existing = await readStoredSecret(db, master, name);
  if (existing !== null) return existing;
  if (!master.current) throw new Error(missingKeyMessage(name));
  await db.insert(settings).values({ key: name, value: seal(master.current, name, generate()) }).onConflictDoNothing();
  const stored = await readStoredSecret(db, master, name);
  if (stored === null) throw new Error(`settings.${name} vanished while it was being created`);
  return stored;
}
