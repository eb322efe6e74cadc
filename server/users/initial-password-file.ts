import { chmod, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';

/**
 * Where a generated first-admin password is kept until its owner changes it: a file in the data
 * directory that only the console's OS user may read (0600), so a terminal that scrolled away or
 * a restarted container does not lose it. The password change deletes it (server/users/manage.ts),
 * and so does every start once no account waits for a change (another replica may have served it).
 */
export const INITIAL_PASSWORD_FILE = 'initial-admin-password';

/** The file for `dataDir`, or null for an in-memory database (nothing is written to disk then). */
export function initialPasswordPath(dataDir: string): string | null {
  return dataDir.startsWith('memory://') ? null : path.resolve(dataDir, INITIAL_PASSWORD_FILE);
}

export async function writeInitialPassword(file: string, email: string, password: string, consoleUrl: string): Promise<void> {
  const text = [
    '# The first admin of this Meshward console, with the password it generated.',
    `# Sign in at ${consoleUrl}: the console asks you to replace the password first, and deletes this file once you have.`,
    `email: ${email}`,
    `password: ${password}`,
    '',
  ].join('\n');
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600); // `mode` applies only when the file is created
}

/** Deletes the file; a missing one is fine. */
export async function removeInitialPassword(file: string | null | undefined): Promise<void> {
  if (file) await rm(file, { force: true });
}

/** At start: deletes a file left behind once no account still has a generated password. Returns whether it did. */
export async function tidyInitialPassword(db: Db, file: string | null): Promise<boolean> {
  if (!file || !(await stat(file).then(() => true, () => false))) return false;
  const [pending] = await db.select({ id: users.id }).from(users).where(eq(users.mustChangePassword, true)).limit(1);
  if (pending) return false;
  await removeInitialPassword(file);
  return true;
}
