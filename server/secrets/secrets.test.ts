import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settings } from '@/db/schema';
import { loadConfig } from '@/server/config';
import { generateSigningPem, signingKeyFromPem } from '@/server/policy/signing';
import { describeEachEngine } from '@/server/testing/db';
import { withSecretFiles } from './env-files';
import { keyId, parseKey32 } from './keys';
import { loadSecrets } from './load';
import { KEY_FILE, resolveMasterKeys } from './master-key';
import { isSealed, seal, unseal } from './sealed';

const K1 = Buffer.alloc(32, 0x11);
const K2 = Buffer.alloc(32, 0x22);
const master = (key: Buffer) => ({ id: keyId(key, 'master'), key });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshward-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sealed values', () => {
  it('round-trip, name the master key, and refuse another row, an edit, or an unknown key', () => {
    const sealed = seal(master(K1), 'auth_secret', 'the secret');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('the secret');
    expect(sealed.split(':')[2]).toBe(master(K1).id);
    expect(unseal([master(K2), master(K1)], 'auth_secret', sealed)).toBe('the secret');
    expect(seal(master(K1), 'auth_secret', 'the secret')).not.toBe(sealed); // fresh IV every time
    expect(() => unseal([master(K1)], 'policy_signing_key', sealed)).toThrow('settings.policy_signing_key does not decrypt with master key');
    const parts = sealed.split(':');
    parts[4] = Buffer.from('the secreT').toString('base64url');
    expect(() => unseal([master(K1)], 'auth_secret', parts.join(':'))).toThrow(/was altered/);
    expect(() => unseal([master(K2)], 'auth_secret', sealed)).toThrow(/MESHWARD_SECRET_KEY_PREVIOUS/);
  });

  it('keys are 32 bytes in hex or base64, and a wrong one is explained', () => {
    expect(parseKey32('X', K1.toString('hex'))).toEqual(K1);
    expect(parseKey32('X', K1.toString('base64'))).toEqual(K1);
    expect(parseKey32('X', `${K1.toString('base64url')}\n`)).toEqual(K1);
    expect(() => parseKey32('MESHWARD_SECRET_KEY', 'correct horse battery staple')).toThrow(/MESHWARD_SECRET_KEY must be 32 random bytes/);
    expect(() => parseKey32('X', Buffer.alloc(16).toString('hex'))).toThrow(/32 random bytes/);
  });
});

describe('secret files', () => {
  it('X_FILE supplies X, without its trailing newline; both at once, or an unreadable file, is an error', () => {
    const file = path.join(dir, 'auth');
    writeFileSync(file, 'a-session-secret-from-a-mounted-file-0123\n');
    expect(loadConfig({ AUTH_SECRET_FILE: file }).AUTH_SECRET).toBe('a-session-secret-from-a-mounted-file-0123');
    expect(withSecretFiles({ MESHWARD_SECRET_KEY_FILE: file })).toEqual({ MESHWARD_SECRET_KEY: 'a-session-secret-from-a-mounted-file-0123' });
    expect(() => loadConfig({ AUTH_SECRET_FILE: file, AUTH_SECRET: 'x'.repeat(40) })).toThrow('set AUTH_SECRET or AUTH_SECRET_FILE, not both');
    expect(() => loadConfig({ MESHWARD_SIGNING_KEY_FILE: path.join(dir, 'missing') })).toThrow(/MESHWARD_SIGNING_KEY_FILE: cannot read .*missing \(ENOENT\)/);
    writeFileSync(file, '\n');
    expect(() => loadConfig({ AUTH_SECRET_FILE: file })).toThrow(/is empty/);
  });
});

describe('the master key', () => {
  it('comes from the environment; with PostgreSQL and none given there is none', () => {
    expect(resolveMasterKeys({ MESHWARD_SECRET_KEY: K1.toString('hex'), MESHWARD_DATA_DIR: dir, DATABASE_URL: 'postgres://x/y' })).toMatchObject({ current: master(K1), source: 'environment', previous: [] });
    expect(resolveMasterKeys({ MESHWARD_DATA_DIR: dir, DATABASE_URL: 'postgres://x/y' })).toMatchObject({ current: null, source: 'none' });
    expect(resolveMasterKeys({ MESHWARD_DATA_DIR: 'memory://' }).source).toBe('memory');
  });

  it('with the embedded database and none given, is a 0600 key file in the data folder, kept across starts', () => {
    const first = resolveMasterKeys({ MESHWARD_DATA_DIR: dir });
    expect(first.source).toBe('key file');
    const file = path.join(dir, KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveMasterKeys({ MESHWARD_DATA_DIR: dir }).current).toEqual(first.current);
    // once a key is configured, what the file's key sealed is opened with it and sealed again
    expect(resolveMasterKeys({ MESHWARD_DATA_DIR: dir, MESHWARD_SECRET_KEY: K2.toString('hex') }).previous).toEqual([first.current]);
    chmodSync(file, 0o644);
    expect(() => resolveMasterKeys({ MESHWARD_DATA_DIR: dir })).toThrow(/readable by other users \(mode 644\): run chmod 600/);
    expect(readFileSync(file, 'utf8').trim()).toHaveLength(44);
  });
});

describeEachEngine('stored secrets', (h) => {
  const pg = { MESHWARD_DATA_DIR: './unused', DATABASE_URL: 'postgres://console/db' };
  const withKey = (key: Buffer, extra: Record<string, string> = {}) => ({ ...pg, MESHWARD_SECRET_KEY: key.toString('base64'), ...extra });
  const stored = async () => Object.fromEntries((await h.db.select().from(settings)).map((r) => [r.key, r.value]));

  it('plain rows an earlier version stored are encrypted on the first start with a key, and keep their values', async () => {
    const pem = generateSigningPem();
    const auth = 'plain-session-secret-from-the-old-version';
    await h.db.insert(settings).values([{ key: 'auth_secret', value: auth }, { key: 'policy_signing_key', value: pem }]);
    const s = await loadSecrets(h.db, withKey(K1));
    expect(s.authSecrets).toEqual([auth]);
    expect(s.signing.active.keyId).toBe(signingKeyFromPem(pem).keyId);
    const rows = await stored();
    expect(Object.keys(rows).sort()).toEqual(['audit_key', 'auth_secret', 'policy_signing_key']);
    for (const value of Object.values(rows)) expect(isSealed(value)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(auth);
    expect(JSON.stringify(rows)).not.toContain(pem.split('\n')[1]);
  });

  it('generated secrets are stored sealed and shared by every replica', async () => {
    const a = await loadSecrets(h.db, withKey(K1));
    const b = await loadSecrets(h.db, withKey(K1));
    expect(b.authSecrets).toEqual(a.authSecrets);
    expect(b.signing.active.keyId).toBe(a.signing.active.keyId);
    expect(b.audit.current.id).toBe(a.audit.current.id);
    for (const value of Object.values(await stored())) expect(value).toMatch(/^mwsealed:v1:/);
  });

  it('with PostgreSQL and no key, the console refuses to generate secrets, and says what to set', async () => {
    await expect(loadSecrets(h.db, pg)).rejects.toThrow(
      'Meshward would generate AUTH_SECRET and keep it in the database, but with PostgreSQL it keeps secrets there only encrypted, and no key to encrypt them was given. Set MESHWARD_SECRET_KEY (or MESHWARD_SECRET_KEY_FILE) to 32 random bytes (openssl rand -base64 32), or give AUTH_SECRET (or AUTH_SECRET_FILE) yourself.',
    );
    await expect(loadSecrets(h.db, { ...pg, AUTH_SECRET: 'x'.repeat(40) })).rejects.toThrow(/generate MESHWARD_SIGNING_KEY/);
    expect(await stored()).toEqual({});
    // …nor keeps using one an earlier version stored in plain form
    await h.db.insert(settings).values({ key: 'auth_secret', value: 'plain-session-secret-from-the-old-version' });
    await expect(loadSecrets(h.db, pg)).rejects.toThrow(/settings.auth_secret holds AUTH_SECRET in plain form/);
  });

  it('with every secret given, PostgreSQL needs no master key and nothing is stored', async () => {
    const s = await loadSecrets(h.db, { ...pg, AUTH_SECRET: 'a'.repeat(40), MESHWARD_SIGNING_KEY: generateSigningPem(), MESHWARD_AUDIT_KEY: K2.toString('hex') });
    expect(s.authSecrets).toEqual(['a'.repeat(40)]);
    expect(await stored()).toEqual({});
  });

  it('a new master key re-encrypts what the previous one sealed; without the previous key start-up names it', async () => {
    const first = await loadSecrets(h.db, withKey(K1));
    await expect(loadSecrets(h.db, withKey(K2))).rejects.toThrow(`encrypted with master key ${master(K1).id}`);
    const rotated = await loadSecrets(h.db, withKey(K2, { MESHWARD_SECRET_KEY_PREVIOUS: K1.toString('hex') }));
    expect(rotated.authSecrets).toEqual(first.authSecrets);
    for (const value of Object.values(await stored())) expect(value.split(':')[2]).toBe(master(K2).id);
    expect((await loadSecrets(h.db, withKey(K2))).signing.active.keyId).toBe(first.signing.active.keyId);
  });

  it('keys configured later take over; what was generated before stays for verification and rotation', async () => {
    const generated = await loadSecrets(h.db, withKey(K1));
    const configuredPem = generateSigningPem();
    const s = await loadSecrets(h.db, withKey(K1, {
      AUTH_SECRET: 'n'.repeat(40), AUTH_SECRET_PREVIOUS: generated.authSecrets[0], MESHWARD_SIGNING_KEY: configuredPem, MESHWARD_AUDIT_KEY: K2.toString('hex'),
    }));
    expect(s.authSecrets).toEqual(['n'.repeat(40), generated.authSecrets[0]]);
    expect(s.signing.active.keyId).toBe(signingKeyFromPem(configuredPem).keyId);
    expect(s.signing.retired.map((k) => k.keyId)).toEqual([generated.signing.active.keyId]);
    expect(s.audit.current.id).not.toBe(generated.audit.current.id);
    expect(s.audit.byId.has(generated.audit.current.id)).toBe(true);
    const [row] = await h.db.select().from(settings).where(eq(settings.key, 'audit_key'));
    expect(isSealed(row.value)).toBe(true);
  });
});
