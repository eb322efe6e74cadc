import { bearerToken } from '@/server/ingest/bearer';
import { BodyError, readBody } from '@/server/ingest/body';
import type { Runtime } from '@/server/runtime';
import { heartbeatSchema, recordHeartbeat } from './heartbeat';
import { foreignProxyMessage } from './ownership';

const MAX_HEARTBEAT_BYTES = 64 * 1024;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });

/** POST /api/fleet/v1/status: a proxy reports its version, policy revision and counters. */
export async function handleHeartbeat(req: Request, rt: Runtime): Promise<Response> {
  const token = bearerToken(req);
  const principal = token ? await rt.tokens.verify(token) : null;
  if (!principal) {
    return json(401, { error: 'a valid proxy token is required (Authorization: Bearer …)' }, { 'www-authenticate': 'Bearer realm="meshward-fleet"' });
  }
  let body: unknown;
  try {
    const raw = await readBody(req, MAX_HEARTBEAT_BYTES);
    body = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (e) {
    if (e instanceof BodyError) return json(e.status, { error: e.message });
    return json(400, { error: 'body is not valid JSON' });
  }
  const parsed = heartbeatSchema.safeParse(body);
  if (!parsed.success) {
    const msg = parsed.error.issues.slice(0, 5).map((i) => `\`${i.path.join('.') || 'body'}\`: ${i.message}`).join('; ');
    return json(400, { error: msg });
  }
  const now = new Date();
  try {
    const foreign = await rt.ownership.foreign([parsed.data.proxy_id], principal.tokenId);
    if (foreign.length) return json(403, { error: foreignProxyMessage(foreign) });
    await recordHeartbeat(rt.database.db, principal, parsed.data, now);
  } catch {
    rt.metrics.dbError('heartbeat');
    return json(503, { error: 'the database is unavailable, retry later' }, { 'retry-after': '5' });
  }
  return json(200, { ok: true, server_time: now.toISOString() });
}
