import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import type { Actor } from '@/server/context';

/**
 * The acting person for a session, read fresh from the database on every request so that
 * a role change, a disabled account or a changed password takes effect at once, whatever the
 * session token says.
 */
export async function loadActor(db: Db, userId: string, signedInAtMs: number): Promise<Actor | null> {
  const [u] = await db
    .select({ id: users.id, email: users.email, role: users.role, disabledAt: users.disabledAt, validAfter: users.sessionsValidAfter })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!u || u.disabledAt) return null;
  if (u.validAfter && !(signedInAtMs >= u.validAfter.getTime())) return null;
  return { id: u.id, email: u.email, role: u.role };
}
