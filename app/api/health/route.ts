import { readiness } from '@/server/ops/health';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

/** `GET /api/health` is liveness (the process answers); `?ready=1` also checks the database. */
export async function GET(req: Request) {
  const ready = new URL(req.url).searchParams.has('ready');
  if (!ready) return Response.json({ ok: true });
  const state = await readiness(await getRuntime());
  return Response.json(state, { status: state.ok ? 200 : 503 });
}
