// The master key encrypts the secrets Meshward generates and keeps in the database (session
// secret, bundle signing key, audit key), so a copy of the database alone does not hand them
// over. It comes from MESHWARD_SECRET_KEY (or MESHWARD_SECRET_KEY_FILE). With the embedded
// database and no such key, a key file is created beside the data (0600): the demo keeps
// working, and a leaked database dump without the folder is still not enough. With PostgreSQL
// there is no such folder: without a key from the environment the console does not generate
// secrets at all (server/secrets/stored.ts says so at start).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { keyId, parseKey32, parseKeyList, type SymmetricKey } from './keys';

export interface MasterKeys {
  /** what new secrets are sealed with; null: none given (PostgreSQL without MESHWARD_SECRET_KEY) */
  current: SymmetricKey | null;
  /** keys stored secrets may still be sealed with: opened, then sealed again with `current` */
  previous: SymmetricKey[];
  source: 'environment' | 'key file' | 'memory' | 'none';
}

const PURPOSE = 'master';
export const KEY_FILE = 'secret.key';
const asKey = (key: Buffer): SymmetricKey => ({ id: keyId(key, PURPOSE), key });

export interface MasterKeyConfig {
  MESHWARD_SECRET_KEY?: string;
  MESHWARD_SECRET_KEY_PREVIOUS?: string;
  DATABASE_URL?: string;
  MESHWARD_DATA_DIR: string;
}

export function resolveMasterKeys(cfg: MasterKeyConfig): MasterKeys {
  const previous = parseKeyList('MESHWARD_SECRET_KEY_PREVIOUS', cfg.MESHWARD_SECRET_KEY_PREVIOUS).map(asKey);
  const embedded = !cfg.DATABASE_URL;
  const inMemory = cfg.MESHWARD_DATA_DIR.startsWith('memory://');
  const file = path.join(path.resolve(cfg.MESHWARD_DATA_DIR), KEY_FILE);
  if (cfg.MESHWARD_SECRET_KEY) {
    // A key file left from the demo: what it sealed is opened and sealed again with this key.
    if (embedded && !inMemory && existsSync(file)) previous.push(asKey(readKeyFile(file)));
    return { current: asKey(parseKey32('MESHWARD_SECRET_KEY', cfg.MESHWARD_SECRET_KEY)), previous, source: 'environment' };
  }
  if (!embedded) return { current: null, previous, source: 'none' };
  // The database lives only as long as the process: so may its key.
  if (inMemory) return { current: asKey(randomBytes(32)), previous, source: 'memory' };
  return { current: asKey(keyFileFor(file)), previous, source: 'key file' };
}

/** The key file in the data folder, created (exclusively, 0600) when missing. */
function keyFileFor(file: string): Buffer {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
    } finally {
      closeSync(fd);
    }
    chmodSync(file, 0o600); // the umask may have narrowed it further; never wider
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`could not create the key file ${file}: ${(e as Error).message}`);
  }
  return readKeyFile(file);
}

function readKeyFile(file: string): Buffer {
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) {
    throw new Error(`${file} holds the key that encrypts Meshward's secrets and is readable by other users (mode ${mode.toString(8)}): run chmod 600 on it`);
  }
  return parseKey32(file, readFileSync(file, 'utf8'));
}
