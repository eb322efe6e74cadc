import { auditHealth } from '@/server/audit/health';
import { readiness } from '@/server/ops/health';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/**
 * `GET /api/health` is liveness (the process answers); `?ready=1` also checks the database;
 * `?audit` answers the audit chain's newest checkpoint.
 */
export async function GET(req: Request) {
  const params = new URL(req.url).searchParams;
  if (params.has('audit')) return auditHealth((await getRuntime()).audit);
  if (!params.has('ready')) return Response.json({ ok: true });
  const state = await readiness(await getRuntime());
  return Response.json(state, { status: state.ok ? 200 : 503 });
}
