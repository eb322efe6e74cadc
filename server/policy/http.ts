// GET /api/fleet/v1/bundles/{service}?format=…&wait=…&cluster=… (proxy token), in the manner of OPA's
// bundle API: ETag / If-None-Match answers 304 when the proxy has the newest revision, and
// `wait` (seconds, at most 60) holds that answer until a newer revision is published.
// `cluster` picks the compile settings of the proxy's cluster (server/policy/cluster-settings.ts).
// GET /api/fleet/v1/signing-key serves the public key bundles are signed with.
import type { Db } from '@/db/client';
import { classifierBundle, newestClassifierRevision } from '@/server/classifiers/revisions';
import { inScope, outOfScopeMessage } from '@/server/fleet/scope';
import { MachineRefusal, machineRoute, type MachineDeps } from '@/server/http/machine-route';
import { HOST_LIKE_RULE, isHostLike, isServiceName, SERVICE_RULE } from '@/server/identity/names';
import { BUNDLE_FORMATS, currentBundle, etagOf, type BundleFormat, type Compiler } from './bundle';
import type { PublishedWatch } from './published-watch';
import type { SigningKey } from './signing';

const MAX_WAIT_S = 60;
const CLASSIFIER_POLL_MS = 5000;
export const BUNDLES_PATH = '/api/fleet/v1/bundles/';

/** What the bundle routes use of the console. */
export interface BundleDeps extends MachineDeps {
  db: Db;
  policy: { signingKey: SigningKey; compile: Compiler; watch: Pick<PublishedWatch, 'waitForNewer'> };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

/**
 * The service named by the path after /bundles/, each segment percent-decoded once (Next's
 * router had decoded it already, and decoding `%25` a second time threw: a 500 before the
 * token was even checked). A path that is not valid percent-encoding, or decodes to anything
 * but a service name, is the sender's mistake: 400, after authentication.
 */
export function serviceFromPath(pathname: string): string {
  const rest = pathname.startsWith(BUNDLES_PATH) ? pathname.slice(BUNDLES_PATH.length) : '';
  let service: string;
  try {
    service = rest.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new MachineRefusal(400, 'malformed', 'the service in the path is not valid percent-encoding: /api/fleet/v1/bundles/<namespace>/<name>');
  }
  if (!isServiceName(service)) {
    throw new MachineRefusal(400, 'malformed', `name the service: /api/fleet/v1/bundles/<namespace>/<name> (${SERVICE_RULE})`);
  }
  return service;
}

export const handleBundle = machineRoute<BundleDeps>({
  name: 'bundle',
  format: 'json',
  realm: 'meshward-fleet',
  async handle(call, deps) {
    const url = new URL(call.req.url);
    const service = serviceFromPath(url.pathname);
    const format = (url.searchParams.get('format') ?? 'meshward') as BundleFormat | 'classifiers';
    if (format !== 'classifiers' && !BUNDLE_FORMATS.includes(format)) throw new MachineRefusal(400, 'malformed', `format must be one of ${[...BUNDLE_FORMATS, 'classifiers'].join(', ')}`);
    const waitRaw = url.searchParams.get('wait');
    const wait = waitRaw === null ? 0 : Number(waitRaw);
    if (!Number.isFinite(wait) || wait < 0) throw new MachineRefusal(400, 'malformed', '`wait` is a number of seconds (0–60)');
    const cluster = url.searchParams.get('cluster');
    if (cluster !== null && !isHostLike(cluster)) throw new MachineRefusal(400, 'malformed', `\`cluster\` is the cluster the proxy runs in: ${HOST_LIKE_RULE}`);
    if (!inScope(call.principal.services, service)) {
      throw new MachineRefusal(403, 'forbidden_service', outOfScopeMessage(service, call.principal.services));
    }
    const { policy } = deps;
    if (format === 'classifiers') return classifiersResponse(call.req, deps, service, wait);
    let bundle = await currentBundle(deps.db, policy.signingKey, policy.compile, service, format, new Date(), cluster);
    const known = call.req.headers.get('if-none-match');
    if (bundle && known === etagOf(bundle) && wait > 0) {
      const changed = await policy.watch.waitForNewer(service, bundle.revision, Math.min(wait, MAX_WAIT_S) * 1000);
      if (changed) bundle = await currentBundle(deps.db, policy.signingKey, policy.compile, service, format, new Date(), cluster);
    }
    if (!bundle) return json(404, { error: `no policy has been published for ${service}` }, { 'cache-control': 'no-cache' });
    const headers = { etag: etagOf(bundle), 'cache-control': 'no-cache', 'x-meshward-revision': String(bundle.revision) };
    if (known === headers.etag) return new Response(null, { status: 304, headers });
    return json(200, bundle, headers);
  },
});

/**
 * The content filter's classifier set, in the same signed envelope. It changes rarely, so a
 * long poll looks every few seconds at the newest revision number (shared by all waiting polls)
 * and builds and signs the bundle again only when that number moved.
 */
async function classifiersResponse(req: Request, deps: BundleDeps, service: string, wait: number): Promise<Response> {
  const known = req.headers.get('if-none-match');
  const deadline = Date.now() + Math.min(wait, MAX_WAIT_S) * 1000;
  let bundle = await classifierBundle(deps.db, deps.policy.signingKey, service, new Date());
  let revision = bundle?.revision ?? 0;
  while ((bundle === null || known === etagOf(bundle)) && Date.now() + CLASSIFIER_POLL_MS < deadline && !req.signal.aborted) {
    await new Promise((r) => setTimeout(r, CLASSIFIER_POLL_MS));
    if ((await newestClassifierRevision(deps.db)) === revision) continue;
    bundle = await classifierBundle(deps.db, deps.policy.signingKey, service, new Date());
    revision = bundle?.revision ?? 0;
  }
  if (!bundle) return json(404, { error: 'no classifier set has been published: the filter uses its built-in classes (revision 0)' }, { 'cache-control': 'no-cache' });
  const headers = { etag: etagOf(bundle), 'cache-control': 'no-cache', 'x-meshward-revision': String(bundle.revision) };
  if (known === headers.etag) return new Response(null, { status: 304, headers });
  return json(200, bundle, headers);
}

export function handleSigningKey(deps: { policy: { signingKey: SigningKey } }): Response {
  const { signingKey } = deps.policy;
  return new Response(signingKey.publicPem, {
    status: 200,
    headers: { 'content-type': 'application/x-pem-file', 'x-meshward-key-id': signingKey.keyId, 'cache-control': 'max-age=300' },
  });
}
