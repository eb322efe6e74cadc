import type { Actor } from '@/server/context';
import { loadActor } from './actor';
import { auth, authDeps, sessionRef } from './authjs';

/** The signed-in person for a server component, or null (no session, revoked, or account disabled). */
export async function currentActor(): Promise<Actor | null> {
  const ref = sessionRef(await auth());
  if (!ref) return null;
  return loadActor(await authDeps(), ref);
}
