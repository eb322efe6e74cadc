import { and, eq } from 'drizzle-orm';
import { sessions, users } from '@/db/schema';
import type { Actor } from '@/server/context';
import type { SessionDeps } from './sessions';

/** What a session token names: whose session, which one, and when it began. */
export interface SessionRef {
  userId: string;
  sessionId: string;
  /** sign-in time, epoch milliseconds */
  signedInAtMs: number;
}

// Writing the last-seen time once a minute is enough to tell a live session from a stale one.
const TOUCH_EVERY_MS = 60_000;

/**
 * The acting person for a session, read fresh from the database on every request so that
 * signing out (here or everywhere), a role change, a disabled account or a changed password
 * takes effect at once, whatever the session token says. Null ends the session.
 */
export async function loadActor(deps: SessionDeps, ref: SessionRef): Promise<Actor | null> {
  const [row] = await deps.db
    .select({
      id: users.id, email: users.email, role: users.role, disabledAt: users.disabledAt, validAfter: users.sessionsValidAfter,
      mustChangePassword: users.mustChangePassword,
      revokedAt: sessions.revokedAt, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, ref.sessionId), eq(sessions.userId, ref.userId)))
    .limit(1);
  const now = deps.now();
  if (!row || row.revokedAt || row.disabledAt) return null;
  if (!(row.expiresAt.getTime() > now.getTime())) return null;
  // A password change ends the sessions that began before it.
  if (row.validAfter && !(ref.signedInAtMs >= row.validAfter.getTime())) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await deps.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, ref.sessionId));
  }
  return { id: row.id, email: row.email, role: row.role, ...(row.mustChangePassword ? { mustChangePassword: true } : {}) };
}
