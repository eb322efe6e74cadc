import { getRuntime } from '@/server/runtime';
import type { Actor } from '@/server/context';
import { loadActor } from './actor';
import { auth } from './authjs';

/** The signed-in person for a server component, or null (no session, or account disabled). */
export async function currentActor(): Promise<Actor | null> {
  const session = await auth();
  if (!session?.user?.id) return null;
  const rt = await getRuntime();
  return loadActor(rt.database.db, session.user.id, session.signedInAt);
}
