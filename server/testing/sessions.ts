import type { Db } from '@/db/client';
import { loadActor } from '@/server/auth/actor';
import { startSession } from '@/server/auth/sessions';
import type { Actor } from '@/server/context';

/**
 * The actor a session signed in at `signedInAtMs` would load now: a fresh session record,
 * checked like every request's (server/auth/actor.ts). For tests of what ends sessions.
 */
export async function actorOfNewSession(db: Db, userId: string, signedInAtMs: number): Promise<Actor | null> {
  const deps = { db, now: () => new Date() };
  const sessionId = await startSession(deps, { userId, provider: 'credentials', maxAgeS: 3600, userAgent: null, ip: null });
  return loadActor(deps, { userId, sessionId, signedInAtMs });
}
