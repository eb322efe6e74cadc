// GET /api/fleet/v1/bundles/{service}?format=…&wait=… (proxy token), in the manner of OPA's
// bundle API: ETag / If-None-Match answers 304 when the proxy has the newest revision, and
// `wait` (seconds, at most 60) holds that answer until a newer revision is published.
// GET /api/fleet/v1/signing-key serves the public key bundles are signed with.
import { bearerToken } from '@/server/ingest/bearer';
import { log } from '@/server/log';
import type { Runtime } from '@/server/runtime';
import { BUNDLE_FORMATS, currentBundle, etagOf, type BundleFormat } from './bundle';

const MAX_WAIT_S = 60;
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

export async function handleBundle(req: Request, rt: Runtime, service: string): Promise<Response> {
  const token = bearerToken(req);
  const principal = token ? await rt.tokens.verify(token) : null;
  if (!principal) return json(401, { error: 'a valid proxy token is required (Authorization: Bearer …)' }, { 'www-authenticate': 'Bearer realm="meshward-fleet"' });
  const url = new URL(req.url);
  const format = (url.searchParams.get('format') ?? 'meshward') as BundleFormat;
  if (!BUNDLE_FORMATS.includes(format)) return json(400, { error: `format must be one of ${BUNDLE_FORMATS.join(', ')}` });
  const waitRaw = url.searchParams.get('wait');
  const wait = waitRaw === null ? 0 : Number(waitRaw);
  if (!Number.isFinite(wait) || wait < 0) return json(400, { error: '`wait` is a number of seconds (0–60)' });
  if (!service || service.length > 256) return json(400, { error: 'name the service: /api/fleet/v1/bundles/<namespace>/<name>' });
  const { policy } = rt;
  try {
    let bundle = await currentBundle(rt.database.db, policy.signingKey, policy.compile, service, format, new Date());
    const known = req.headers.get('if-none-match');
    if (bundle && known === etagOf(bundle) && wait > 0) {
      const changed = await policy.watch.waitForNewer(service, bundle.revision, Math.min(wait, MAX_WAIT_S) * 1000);
      if (changed) bundle = await currentBundle(rt.database.db, policy.signingKey, policy.compile, service, format, new Date());
    }
    if (!bundle) return json(404, { error: `no policy has been published for ${service}` }, { 'cache-control': 'no-cache' });
    const headers = { etag: etagOf(bundle), 'cache-control': 'no-cache', 'x-meshward-revision': String(bundle.revision) };
    if (known === headers.etag) return new Response(null, { status: 304, headers });
    return json(200, bundle, headers);
  } catch (e) {
    rt.metrics.dbError('bundle');
    log.warn({ err: (e as Error).message, service, format }, 'bundle request failed');
    return json(503, { error: 'the console could not read the policy, retry later' }, { 'retry-after': '5' });
  }
}

export function handleSigningKey(rt: Runtime): Response {
  const { signingKey } = rt.policy;
  return new Response(signingKey.publicPem, {
    status: 200,
    headers: { 'content-type': 'application/x-pem-file', 'x-meshward-key-id': signingKey.keyId, 'cache-control': 'max-age=300' },
  });
}
