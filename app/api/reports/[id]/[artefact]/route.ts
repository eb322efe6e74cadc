import { reportDownloadResponse } from '@/server/reports/http';
import { cookieSession } from '@/server/http/session-actor';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** A stored report's PDF or evidence bundle, for analysts (server/reports/http.ts). */
export async function GET(req: Request, { params }: { params: Promise<{ id: string; artefact: string }> }) {
  const rt = await getRuntime();
  return reportDownloadResponse(req, await params, { db: rt.database.db, session: cookieSession });
}
