import { auth } from './auth/authjs';
import { loadActor } from './auth/actor';
import { clientIp, isSameOrigin, requestId } from './http/request-info';
import { getRuntime } from './runtime';
import type { TrpcContext } from './trpc';

/** The tRPC context of one HTTP request: session checked against the database, origin, IP. */
export async function createTrpcContext(req: Request): Promise<TrpcContext> {
  const rt = await getRuntime();
  const session = await auth();
  const db = rt.database.db;
  const actor = session?.user?.id ? await loadActor(db, session.user.id, session.signedInAt) : null;
  return {
    db,
    now: () => new Date(),
    actor,
    requestId: requestId(req.headers),
    sourceIp: clientIp(req.headers),
    sameOrigin: isSameOrigin(req.headers, rt.config.MESHWARD_PUBLIC_URL),
    discovery: rt.discovery,
  };
}
