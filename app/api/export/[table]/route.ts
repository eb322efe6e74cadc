import { exportTableResponse } from '@/server/exports/tables';
import { cookieSession } from '@/server/http/session-actor';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** A console table (flows, top talkers, endpoints, fleet, audit log…) as a streamed CSV download (server/exports/tables.ts). */
export async function GET(req: Request, { params }: { params: Promise<{ table: string }> }) {
  const rt = await getRuntime();
  return exportTableResponse(req, (await params).table, { db: rt.database.db, session: cookieSession });
}
