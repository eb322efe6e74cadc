import { cookieSession } from '@/server/http/session-actor';
import { getRuntime } from '@/server/runtime';
import { exportResponse } from '@/server/search/export';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Everything a search matches as a CSV or NDJSON download, for analysts (server/search/export.ts). */
export async function GET(req: Request) {
  const rt = await getRuntime();
  return exportResponse(req, { db: rt.database.db, session: cookieSession, retentionDays: rt.config.MESHWARD_RETENTION_DAYS });
}
