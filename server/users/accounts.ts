// An account as the console may show it, and the few steps every account change shares.
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import { noteAdminCount } from './provenance';

/** What the console may show of an account: never the password hash. */
export const publicUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  authProvider: users.authProvider,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
  lastSignInAt: users.lastSignInAt,
  credentialIssuedBy: users.credentialIssuedBy,
  credentialSetAt: users.credentialSetAt,
};
export type PublicUser = { [K in keyof typeof publicUserColumns]: (typeof users.$inferSelect)[K] };

export async function findUser(db: Db, userId: string, lock = false): Promise<PublicUser> {
  const q = db.select(publicUserColumns).from(users).where(eq(users.id, userId)).limit(1);
  const [user] = lock ? await q.for('update') : await q;
  if (!user) throw new DomainError('NOT_FOUND', 'No such user');
  return user;
}

export async function assertEmailFree(db: Db, email: string) {
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (existing) throw new DomainError('CONFLICT', `An account for ${email} already exists`);
}

/** Inserts an account without a password (its owner sets one through a link). */
export async function insertAccount(tx: Db, ctx: Ctx, v: { email: string; name: string; role: PublicUser['role'] }): Promise<PublicUser> {
  const [row] = await tx.insert(users)
    .values({ id: newId('usr'), email: v.email, name: v.name, role: v.role, createdAt: ctx.now(), updatedAt: ctx.now() })
    .returning(publicUserColumns);
  await noteAdminCount(tx, ctx.now());
  return row;
}
