// Serving one request from outside (or from an internal job): the route's handler, the calls it
// makes down the mesh, each reported by the pod that served it. Envoy propagates x-request-id,
// so every hop of a request carries the same id; the bearer's id and subject travel along.
import type { Shape } from './bank-api';
import type { Mesh, Pod, Route, Sens } from './mesh';
import type { Rand } from './rand';
import { valueFor } from './values';

/** What only the generator knows: which attack or benign cohorts an event belongs to. */
export interface Label {
  attack?: string;
  cohorts?: readonly string[];
}

export interface Who {
  /** hashed bearer id, as the proxy filter reports it */
  token: string | null;
  user: string | null;
  ip: string;
  ua: string;
  label?: Label;
}

export interface Ask {
  route: string;
  params?: Map<string, string>;
  query?: string | null;
  /** the answer the entry gives, decided by the caller (a wrong password, a locked account) */
  status?: number;
  /** rows a list or export returns */
  items?: number;
}

export interface Ev {
  /** start, epoch ms with a fraction */
  ts: number;
  durMs: number;
  pod: Pod;
  src: string;
  dst: string;
  method: string;
  path: string;
  query: string | null;
  status: number;
  ip: string;
  port: number;
  ua: string;
  host: string;
  proto: string;
  token: string | null;
  user: string | null;
  mtls: boolean;
  sens: { cls: string; dir: 'request' | 'response'; count: number; path: string }[] | null;
  requestId: string;
  traceId: string;
  spanId: string;
  bytesIn: number;
  bytesOut: number;
  /** the route it belongs to, null for a path the bank does not have (never sent) */
  route: Route | null;
  root: boolean;
  label: Label | null;
}

export interface Pressure {
  /** latency multiplier */
  slow: number;
  /** share of requests shed with 503 */
  shed: number;
}

export interface ExecEnv {
  mesh: Mesh;
  pressure(service: string, at: number): Pressure;
  emit(ev: Ev): void;
}

const OK: Record<Shape, number> = { read: 200, list: 200, write: 201, action: 200, page: 200, static: 200, heavy: 200, export: 200 };

function outBytes(shape: Shape, status: number, items: number, r: Rand): number {
  if (status === 204 || status === 304) return 0;
  if (status >= 400) return r.int(90, 600);
  switch (shape) {
    case 'read': return Math.round(r.logNormal(900, 0.6));
    case 'list': return 200 + Math.round(items * r.logNormal(310, 0.35));
    case 'page': return Math.round(r.logNormal(62_000, 0.3));
    case 'static': return Math.round(r.logNormal(140_000, 1.1));
    case 'heavy': return Math.round(r.logNormal(7_500, 0.7));
    case 'export': return Math.max(8000, items * Math.round(r.logNormal(180, 0.2)));
    case 'write': return Math.round(r.logNormal(420, 0.3));
    case 'action': return Math.round(r.logNormal(260, 0.4));
  }
}

interface Trace {
  env: ExecEnv;
  who: Who;
  r: Rand;
  params: Map<string, string>;
  requestId: string;
  traceId: string;
  items: number;
}

function render(t: Trace, route: Route, at: number): string {
  let path = '';
  for (const p of route.parts) {
    if ('text' in p) path += `/${p.text}`;
    else {
      let v = t.params.get(p.param);
      if (v === undefined) t.params.set(p.param, (v = valueFor(p.param, t.r, at)));
      path += `/${v}${p.suffix}`;
    }
  }
  return path || '/';
}

function matches(specs: Sens[], dir: 'request' | 'response', items: number) {
  return specs.map((s) => ({ cls: s.cls, dir, count: s.each ? items : 1, path: s.path }));
}

const protocolFor = (ua: string) => (/Mozilla|LumenBank/.test(ua) ? 'HTTP/2' : 'HTTP/1.1');

function serve(t: Trace, route: Route, at: number, caller: Pod | null, parentSpan: string | null, forced: number | undefined, query: string | null): { status: number; end: number } {
  const { r, env } = t;
  const pods = env.mesh.podsOf.get(route.svc)!;
  const pod = pods[r.below(pods.length)];
  const spanId = r.hex(16);
  const path = render(t, route, at);
  const load = env.pressure(route.svc, at);
  const handler = r.logNormal(route.ms * load.slow, 0.5);
  let status: number;
  let end: number;
  const external = caller === null;
  if (load.shed > 0 && r.coin(load.shed)) {
    status = 503;
    end = at + r.range(0.3, 2);
  } else if (external && route.auth !== 'none' && route.auth !== 'service' && !t.who.token) {
    status = 401;
    end = at + r.range(0.4, 2.5);
  } else if (forced !== undefined && forced >= 400) {
    status = forced;
    end = at + handler * 0.5;
    // a sign-in looks the login up before it refuses it
    if (route.shape === 'action' && route.deps.length) end = serve(t, route.deps[0].route, end + 0.4, pod, spanId, undefined, null).end + 0.3;
  } else {
    let cursor = at + handler * 0.3;
    let failed: number | null = null;
    for (const dep of route.deps) {
      if (!r.coin(dep.p)) continue;
      const child = serve(t, dep.route, cursor + r.range(0.15, 0.9), pod, spanId, undefined, null);
      cursor = child.end + r.range(0.15, 0.9);
      if (!dep.soft && child.status >= 400) {
        failed = child.status;
        break;
      }
    }
    end = cursor + handler * 0.7;
    const shape = route.shape;
    if (failed !== null) status = failed >= 500 ? (external ? 502 : 503) : failed === 401 ? 500 : failed;
    else if (forced !== undefined) status = forced;
    else if (r.coin(0.0008)) status = 500;
    else if (shape === 'read' && r.coin(0.004)) status = 404;
    else if (shape === 'write' && r.coin(0.006)) status = r.pick([409, 422]);
    else if (shape === 'static' && r.coin(0.2)) status = 304;
    else status = route.method === 'DELETE' ? 204 : OK[shape];
  }
  const ok = status < 300;
  const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
  const items = route.shape === 'list' || route.shape === 'export' || route.outs.some((s) => s.each) ? t.items : 1;
  const found = [...(hasBody ? matches(route.ins, 'request', 1) : []), ...(ok ? matches(route.outs, 'response', items) : [])];
  env.emit({
    ts: at,
    durMs: Math.max(0.05, end - at),
    pod,
    src: external ? 'external' : caller.service.key,
    dst: route.svc,
    method: route.method,
    path,
    query: external ? query : null,
    status,
    ip: external ? t.who.ip : caller.ip,
    port: r.int(32768, 60999),
    ua: external ? t.who.ua : caller.service.client,
    host: external ? (pod.service.host ?? route.svc) : `${route.svc.split('/')[1]}.${route.svc.split('/')[0]}.svc.cluster.local:8443`,
    proto: external ? protocolFor(t.who.ua) : 'HTTP/2',
    token: t.who.token,
    user: t.who.user,
    mtls: !external,
    sens: found.length ? found : null,
    requestId: t.requestId,
    traceId: t.traceId,
    spanId,
    bytesIn: hasBody ? Math.round(r.logNormal(380, 0.5)) : 0,
    bytesOut: outBytes(route.shape, status, items, r),
    route,
    root: parentSpan === null,
    label: t.who.label ?? null,
  });
  return { status, end };
}

/** One request and everything it causes. `from`: the pod of an internal job making it. */
export function execute(env: ExecEnv, at: number, who: Who, ask: Ask, r: Rand, from: Pod | null = null): { status: number; end: number } {
  const route = env.mesh.routes.get(ask.route);
  if (!route) throw new Error(`no route ${ask.route}`);
  const limit = ask.query ? /(?:limit|per_page|pageSize)=(\d+)/.exec(ask.query) : null;
  const t: Trace = {
    env, who, r,
    params: ask.params ?? new Map(),
    requestId: r.uuid(),
    traceId: r.hex(32),
    items: ask.items ?? (limit ? Math.max(1, Math.round(Number(limit[1]) * r.range(0.3, 1))) : r.int(3, 25)),
  };
  if (!from) return serve(t, route, at, null, null, ask.status, ask.query ?? null);
  // an internal caller: the job's pod calls the route directly
  return serve(t, route, at, from, null, ask.status, null);
}

/** A request to a path no route has (a scanner's guess): the service's front answers it alone. */
export function probe(env: ExecEnv, at: number, who: Who, service: string, method: string, path: string, status: number, r: Rand) {
  const pods = env.mesh.podsOf.get(service)!;
  const pod = pods[r.below(pods.length)];
  const [p, q] = path.split('?');
  env.emit({
    ts: at, durMs: r.range(0.2, 3), pod, src: 'external', dst: service, method, path: p, query: q ?? null, status,
    ip: who.ip, port: r.int(32768, 60999), ua: who.ua, host: pod.service.host ?? service, proto: 'HTTP/1.1',
    token: who.token, user: who.user, mtls: false, sens: null, requestId: r.uuid(), traceId: r.hex(32), spanId: r.hex(16),
    bytesIn: 0, bytesOut: r.int(0, 400), route: null, root: true, label: who.label ?? null,
  });
}
