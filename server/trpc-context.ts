import { auth, sessionRef } from './auth/authjs';
import { loadActor } from './auth/actor';
import { clientIp, isSameOrigin, requestId } from './http/request-info';
import { getRuntime } from './runtime';
import type { TrpcContext } from './trpc';

/** The tRPC context of one HTTP request: session checked against the database, origin, IP. */
export async function createTrpcContext(req: Request): Promise<TrpcContext> {
  const rt = await getRuntime();
  const ref = sessionRef(await auth());
  const db = rt.database.db;
  const now = () => new Date();
  const actor = ref ? await loadActor({ db, now }, ref) : null;
  return {
    db,
    now,
    actor,
    sessionId: actor ? ref!.sessionId : null,
    requestId: requestId(req.headers),
    sourceIp: clientIp(req.headers),
    sameOrigin: isSameOrigin(req.headers, rt.config.MESHWARD_PUBLIC_URL),
    discovery: rt.discovery,
    detection: rt.detection,
    retentionDays: rt.config.MESHWARD_RETENTION_DAYS,
    initialPasswordFile: rt.initialPasswordFile,
  };
}
