import type { CohortName } from './cohorts';
import type { SensitiveMatch } from './record';
import type { EndpointKind } from './catalog/types';
import { between, hex, lognormal, uuid, type Prng } from './random';
import type { SimRecord } from './record';
import { redactedSample, SAMPLE_RATE, sensitiveMatches } from './sensitive';
import { anyReplica, type Endpoint, type Proxy, type Service, type SensitiveSpec, type Topology } from './topology';
import { freshValue, itemsOf, queryFor, type Params } from './values';
import { CLIENT_UAS } from './words';

/** Who sends a request from outside the mesh. Token and user travel with the request downstream. */
export interface Actor {
  tokenId: string | null;
  user: string | null;
  ip: string;
  ua: string;
  /** benign cohorts this actor's requests are labelled with (never sent); attacks' requests never are */
  cohorts?: readonly CohortName[];
}

/** How hard a service is pushed at a moment: latency factor and the share of requests it sheds (503). */
export interface Load {
  factor: number;
  shed: number;
}
export const NORMAL_LOAD: Load = { factor: 1, shed: 0 };

export interface TraceEnv {
  topology: Topology;
  load(service: string, ts: number): Load;
}

export interface TraceOptions {
  /** the entry's answer, decided by the caller (a wrong password, a declined card) */
  status?: number;
  /** the query string of the entry request (null: none); default from the endpoint */
  query?: string | null;
  /** list size of the responses (pages asked for) */
  items?: number;
  attack?: string | null;
}

export interface TraceResult {
  status: number;
  /** when the entry request finished, epoch ms */
  end: number;
}

interface Trace {
  env: TraceEnv;
  out: SimRecord[];
  r: Prng;
  actor: Actor;
  params: Params;
  traceId: string;
  items: number;
  attack: string | null;
}

interface Caller {
  service: Service | null;
  proxy: Proxy | null;
}

const SUCCESS: Record<EndpointKind, number> = {
  item: 200, list: 200, create: 201, update: 200, delete: 204, action: 200, heavy: 200, page: 200, asset: 200, export: 200,
};
/** Client errors every endpoint of a kind sees now and then (bad ids, validation, conflicts). */
const USUAL_ERRORS: Partial<Record<EndpointKind, [number, number][]>> = {
  item: [[404, 0.01]],
  create: [[400, 0.008], [422, 0.008]],
  update: [[409, 0.005], [422, 0.006]],
  action: [[400, 0.005]],
  page: [[404, 0.004]],
};
const SERVER_ERROR_RATE = 0.0012;

function responseBytes(kind: EndpointKind, status: number, items: number, r: Prng): number {
  if (status === 204 || status === 304) return 0;
  if (status >= 400) return between(r, 60, 420);
  switch (kind) {
    case 'item': return Math.round(lognormal(r, 1800, 0.5));
    case 'list': return Math.round(items * lognormal(r, 420, 0.3)) + 120;
    case 'page': return Math.round(lognormal(r, 48_000, 0.35));
    case 'asset': return Math.round(lognormal(r, 26_000, 0.9));
    case 'export': return Math.round(lognormal(r, 70_000, 0.8));
    case 'heavy': return Math.round(lognormal(r, 11_000, 0.6));
    case 'create': return Math.round(lognormal(r, 650, 0.4));
    case 'update': return Math.round(lognormal(r, 480, 0.4));
    case 'delete': return 0;
    case 'action': return Math.round(lognormal(r, 320, 0.5));
  }
}

function requestBytes(ep: Endpoint, r: Prng): number {
  if (ep.method === 'GET' || ep.method === 'DELETE') return 0;
  return Math.round(lognormal(r, ep.kind === 'create' ? 720 : 300, 0.5));
}

const listLike = (kind: EndpointKind) => kind === 'list' || kind === 'export';

function renderPath(ep: Endpoint, t: Trace, ts: number): string {
  let path = '';
  for (const seg of ep.segments) {
    if ('literal' in seg) {
      path += `/${seg.literal}`;
      continue;
    }
    let value = t.params.get(seg.param.name);
    if (value === undefined) {
      value = freshValue(seg.param, t.r, t.params, ts);
      t.params.set(seg.param.name, value);
    }
    path += `/${seg.prefix}${value}${seg.suffix}`;
  }
  return path || '/';
}

function pickError(fails: [number, number][] | undefined, r: Prng): number | null {
  for (const [status, p] of fails ?? []) if (r.chance(p)) return status;
  return null;
}

/** A failing dependency as the caller reports it. */
function propagated(child: number, caller: Service, r: Prng): number {
  if (child >= 500) {
    if (caller.namespace === 'edge') return child === 504 ? 504 : 502;
    return r.chance(0.7) ? 503 : 500;
  }
  if ([401, 402, 403, 404, 409, 422].includes(child)) return child;
  return 400;
}

const protocolOf = (ua: string) => (/Mozilla|MeshShop|MeshDrive/.test(ua) ? 'HTTP/2' : 'HTTP/1.1');
const INTERNAL_PROTOCOL: Record<string, string> = { go: 'HTTP/2', java: 'HTTP/2', rust: 'HTTP/2', node: 'HTTP/1.1', python: 'HTTP/1.1' };

/** Time on the wire between two proxies, ms. */
const net = (r: Prng) => 0.2 + r.next() * 0.8;

function hop(t: Trace, ep: Endpoint, caller: Caller, parentSpan: string | null, start: number, entry: TraceOptions | null): TraceResult {
  const { r } = t;
  const service = ep.service;
  const proxy = anyReplica(r, service);
  const spanId = hex(r, 16);
  const requestId = uuid(r);
  const path = renderPath(ep, t, start);
  const query = entry && entry.query !== undefined ? entry.query : queryFor(ep.query, r, t.params, start);
  const load = t.env.load(service.name, start);
  const handler = lognormal(r, ep.ms * load.factor, 0.45);
  let status: number;
  let flags: string | null = null;
  let end: number;

  const clientError = entry?.status !== undefined && entry.status >= 400 ? entry.status
    : entry?.status !== undefined ? null
    : pickError(USUAL_ERRORS[ep.kind], r) ?? pickError(ep.fail, r);
  if (load.shed > 0 && r.chance(load.shed)) {
    status = 503; // the circuit breaker / overload manager sheds the request before the app sees it
    flags = 'UO';
    end = start + 0.2 + r.next() * 1.5;
  } else if (ep.auth && !t.actor.tokenId) {
    status = 401;
    end = start + 0.5 + r.next() * 2;
  } else if (clientError !== null) {
    status = clientError;
    end = start + handler * 0.4;
    // Actions look something up before they can refuse (a login fetches the account).
    if (ep.kind === 'action' && ep.calls.length && r.chance(ep.calls[0].probability)) {
      end = hop(t, ep.calls[0].target, { service, proxy }, spanId, end + net(r), null).end + net(r);
    }
  } else {
    let cursor = start + handler * 0.35;
    let failed: number | null = null;
    if (ep.parallel) {
      const spawnedAt = cursor;
      for (const call of ep.calls) {
        if (!r.chance(call.probability)) continue;
        const child = hop(t, call.target, { service, proxy }, spanId, spawnedAt + net(r), null);
        cursor = Math.max(cursor, child.end + net(r));
        if (!call.soft && child.status >= 400 && (failed === null || child.status > failed)) failed = child.status;
      }
    } else {
      for (const call of ep.calls) {
        if (!r.chance(call.probability)) continue;
        const child = hop(t, call.target, { service, proxy }, spanId, cursor + net(r), null);
        cursor = child.end + net(r);
        if (!call.soft && child.status >= 400) {
          failed = child.status;
          break; // the rest of the work is not done
        }
      }
    }
    end = cursor + handler * 0.65;
    if (failed !== null) status = propagated(failed, service, r);
    else if (r.chance(SERVER_ERROR_RATE)) status = 500;
    else if (ep.kind === 'asset' && r.chance(0.15)) status = 304;
    else status = SUCCESS[ep.kind];
    if (status === 504) flags = 'UT';
  }

  const external = caller.service === null;
  const ok = status < 300;
  const specs: { spec: SensitiveSpec; direction: 'request' | 'response' }[] = [];
  const bytesIn = requestBytes(ep, r);
  if (bytesIn > 0) for (const spec of ep.in) specs.push({ spec, direction: 'request' });
  if (ok) for (const spec of ep.out) specs.push({ spec, direction: 'response' });
  const items = listLike(ep.kind) || ep.out.some((s) => s.perItem) ? t.items : 1;
  const sensitive: SensitiveMatch[] | null = sensitiveMatches(specs, items, t.params.get('userId') ?? t.params.get('email'), r);
  const sample = sensitive && ok && r.chance(SAMPLE_RATE) ? redactedSample(sensitive, items, status) : null;
  t.out.push({
    ts: Math.floor(start),
    tsNanos: Math.floor((start % 1) * 1e6),
    requestId,
    proxy: proxy.index,
    srcService: external ? 'external' : caller.service!.name,
    dstService: service.name,
    method: ep.method,
    path,
    query,
    status,
    responseFlags: flags,
    durationMs: Math.round((end - start) * 1000) / 1000,
    bytesIn,
    bytesOut: responseBytes(ep.kind, status, items, r),
    clientIp: external ? t.actor.ip : caller.proxy!.podIp,
    clientPort: between(r, 1024, 65_535),
    userAgent: external ? t.actor.ua : CLIENT_UAS[caller.service!.lang],
    serverAddress: external ? (service.publicHost ?? service.host) : `${service.host}:8080`,
    protocol: external ? protocolOf(t.actor.ua) : INTERNAL_PROTOCOL[caller.service!.lang],
    tokenId: t.actor.tokenId,
    user: t.actor.user,
    mtls: !external,
    sensitive,
    sample,
    traceId: t.traceId,
    spanId,
    parentSpanId: parentSpan,
    endpoint: ep.key,
    attack: t.attack,
    cohorts: t.attack ? null : (t.actor.cohorts ?? null),
  });
  return { status, end };
}

/**
 * One request from outside the mesh (or from a job inside it) and every call it causes, as
 * the proxies on its way report them. Children start after their parent and end before it;
 * a failing hard dependency fails its callers.
 */
export function runTrace(
  env: TraceEnv,
  out: SimRecord[],
  entry: Endpoint,
  start: number,
  actor: Actor,
  params: Params,
  r: Prng,
  opts: TraceOptions = {},
  from: Service | null = null,
): TraceResult {
  const query = opts.query !== undefined ? opts.query : queryFor(entry.query, r, params, start);
  const t: Trace = {
    env, out, r, actor, params,
    traceId: hex(r, 32),
    items: opts.items ?? itemsOf(query, r),
    attack: opts.attack ?? null,
  };
  const caller: Caller = from ? { service: from, proxy: anyReplica(r, from) } : { service: null, proxy: null };
  return hop(t, entry, caller, null, start, { ...opts, query });
}
