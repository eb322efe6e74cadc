// A spec turned into the API a proxy sees: a base path in front of every spec path (see
// `chooseBase`), one endpoint per method and normalized template, busy literal siblings marked
// and a few collection views added.
import type { BaseKind, Endpoint, ServiceApi } from './api-model';
import { addCollectionViews, markBusyLiterals } from './literal-siblings';
import { Prng } from './prng';
import { normTemplate } from './scorer';
import type { LoadedSpec } from './spec-source';
import { GATEWAY_WORDS } from './word-lists';

/** Share of services that get collection views added beside a parameter. */
export const VIEW_SHARE = 0.45;

/**
 * Operations taken from one spec at most (a seeded sample, in spec order): without it one giant
 * spec (Microsoft Graph has 11,000+) would be a quarter of a 600-spec benchmark's templates.
 */
export const MAX_OPERATIONS = 1500;

/**
 * The base path of a service's traffic, drawn per spec and seed:
 * - `declared` (55 %): the path of one of the spec's servers (`/rest/api/2`), picked at random;
 * - `stripped` (20 %): none — a gateway in front removed it before the proxy saw the request;
 * - `gateway` (25 %): apidisc2's own prefix (`/edge/v3`, `/gw/2`, `/public`) before the declared path.
 * Truth templates are always this base followed by the spec path.
 */
export function chooseBase(serverPaths: readonly string[], rng: Prng): { base: string; kind: BaseKind } {
  const declared = serverPaths.length ? rng.one(serverPaths) : '';
  const kind = rng.byWeight([['declared', 55], ['stripped', 20], ['gateway', 25]] as const);
  if (kind === 'declared') return { base: declared, kind };
  if (kind === 'stripped') return { base: '', kind };
  const version = rng.byWeight([[`v${rng.between(1, 4)}`, 4], [String(rng.between(1, 5)), 2], [`20${rng.between(21, 25)}-0${rng.between(1, 9)}`, 1], ['', 4]] as const);
  return { base: `/${rng.one(GATEWAY_WORDS)}${version ? '/' + version : ''}${declared}`, kind };
}

export function buildServiceApi(spec: LoadedSpec, seed: string): ServiceApi {
  const rng = new Prng('apidisc2', 'api', seed, spec.id);
  const { base, kind } = chooseBase(spec.serverPaths, rng);
  const seen = new Set<string>();
  const endpoints: Endpoint[] = [];
  let operations = spec.operations;
  if (operations.length > MAX_OPERATIONS) {
    const keep = new Set(rng.permute(operations.map((_, i) => i)).slice(0, MAX_OPERATIONS));
    operations = operations.filter((_, i) => keep.has(i));
  }
  for (const op of operations) {
    const template = (base + op.path).replace(/\/+$/, '') || '/';
    if (template.includes('//')) continue;
    const key = `${op.method} ${normTemplate(template)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    endpoints.push({ method: op.method, template, pathParams: op.pathParams, query: op.query, success: op.success, origin: 'spec', busyLiteral: false });
  }
  for (const e of addCollectionViews(endpoints, rng, VIEW_SHARE)) {
    const key = `${e.method} ${normTemplate(e.template)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    endpoints.push(e);
  }
  markBusyLiterals(endpoints);
  return { id: spec.id, base, baseKind: kind, endpoints };
}
