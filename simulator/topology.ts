import { CLUSTERS, JOBS, PUBLIC_HOSTS, SERVICES } from './catalog';
import type { EndpointDef, EndpointKind, JobDef, Lang, ParamType, QueryKind } from './catalog/types';
import { alnum, rng } from './random';

export type WireFormat = 'otlp-proto' | 'otlp-json' | 'envoy';

/** One filter instance: a replica (pod) of a service, reporting what it serves. */
export interface Proxy {
  index: number;
  id: string;
  service: Service;
  node: string;
  podIp: string;
  version: string;
  format: WireFormat;
  /** sends `meshward.sensitive` as a JSON string, as Envoy's OpenTelemetry logger must */
  sensitiveAsString: boolean;
  heartbeatS: number;
}

export interface Param {
  name: string;
  type: ParamType;
}

/** A path segment: literal text, or a parameter with optional literal text around it (`{id}.json`). */
export type Segment = { literal: string } | { prefix: string; param: Param; suffix: string };

export interface SensitiveSpec {
  class: string;
  path: string;
  /** `[*]` in the path: one match per item of a list response */
  perItem: boolean;
}

export interface Call {
  target: Endpoint;
  probability: number;
  soft: boolean;
}

export interface Endpoint {
  /** `ns/name METHOD /template` */
  key: string;
  service: Service;
  method: string;
  /** the path template with `{name}` parameters: what API discovery should find */
  template: string;
  segments: Segment[];
  params: Param[];
  kind: EndpointKind;
  calls: Call[];
  parallel: boolean;
  out: SensitiveSpec[];
  in: SensitiveSpec[];
  query: QueryKind | null;
  ms: number;
  auth: boolean;
  fail: [number, number][];
}

export interface Service {
  name: string;
  namespace: string;
  shortName: string;
  cluster: string;
  lang: Lang;
  /** the internet may call it (through the ingress) */
  public: boolean;
  /** `Host` the service answers to inside the mesh */
  host: string;
  /** the name the internet reaches it by, for public services */
  publicHost: string | null;
  endpoints: Endpoint[];
  proxies: Proxy[];
}

export interface Job {
  def: JobDef;
  service: Service;
  calls: Endpoint[];
}

export interface Topology {
  clusters: string[];
  namespaces: string[];
  services: Service[];
  proxies: Proxy[];
  jobs: Job[];
  service(name: string): Service;
  endpoint(key: string): Endpoint;
  /** every caller → callee pair the mesh has (`external` for the internet) */
  edges: ReadonlySet<string>;
}

export const edgeKey = (src: string, dst: string) => `${src} -> ${dst}`;

/** Wire format per namespace in `mixed` mode: most send OTLP protobuf, identity OTLP/JSON, two namespaces Istio's JSON access logs. */
const MIXED_FORMAT: Record<string, WireFormat> = { identity: 'otlp-json', mobility: 'envoy', logistics: 'envoy' };
const FILTER_VERSIONS: [string, number][] = [['1.4.2', 80], ['1.4.1', 14], ['1.3.7', 6]];

const PARAM = /^(.*?)\{(\w+):(\w+)\}(.*)$/;

function parseRoute(route: string): { method: string; template: string; segments: Segment[]; params: Param[] } {
  const [method, path] = route.split(' ');
  if (!method || !path?.startsWith('/')) throw new Error(`bad route "${route}"`);
  const segments: Segment[] = [];
  const params: Param[] = [];
  for (const raw of path.split('/').slice(1)) {
    const m = PARAM.exec(raw);
    if (!m) {
      segments.push({ literal: raw });
      continue;
    }
    const param = { name: m[2], type: m[3] as ParamType };
    params.push(param);
    segments.push({ prefix: m[1], param, suffix: m[4] });
  }
  const template = `/${segments.map((s) => ('literal' in s ? s.literal : `${s.prefix}{${s.param.name}}${s.suffix}`)).join('/')}`;
  return { method, template, segments, params };
}

function defaultKind(method: string, segments: Segment[]): EndpointKind {
  if (method === 'POST') return 'create';
  if (method === 'PUT' || method === 'PATCH') return 'update';
  if (method === 'DELETE') return 'delete';
  const last = segments[segments.length - 1];
  return last && 'param' in last ? 'item' : 'list';
}

function sensitiveSpecs(list: string[] | undefined): SensitiveSpec[] {
  return (list ?? []).map((s) => {
    const [cls, path] = s.split(' ');
    return { class: cls, path, perItem: path.includes('[*]') };
  });
}

/** `ns/name METHOD /path ?0.3 !` → the endpoint key, probability and softness. */
function parseCallRef(ref: string): { key: string; probability: number; soft: boolean } {
  const parts = ref.trim().split(/\s+/);
  let probability = 1;
  let soft = false;
  while (parts.length > 3) {
    const flag = parts.pop()!;
    if (flag === '!') soft = true;
    else if (flag.startsWith('?')) probability = Number(flag.slice(1));
    else throw new Error(`bad call "${ref}"`);
  }
  return { key: parts.join(' '), probability, soft };
}

const typeless = (key: string) => key.replace(/\{(\w+):\w+\}/g, '{$1}');

/**
 * The mesh as data: services with their endpoints, replicas (proxies) and the calls between
 * them. Pod names, nodes and addresses are drawn from the seed; the API is fixed (catalog/).
 */
export function buildTopology(seed: number, format: 'otlp' | 'envoy' | 'mixed' = 'mixed'): Topology {
  const clusterOf = new Map<string, string>();
  for (const [cluster, namespaces] of Object.entries(CLUSTERS)) for (const ns of namespaces) clusterOf.set(ns, cluster);
  const services: Service[] = [];
  const byName = new Map<string, Service>();
  const endpoints = new Map<string, Endpoint>();
  const defs = new Map<Endpoint, EndpointDef>();
  const proxies: Proxy[] = [];
  const nodes = new Map<string, string[]>();
  for (const [ci, cluster] of Object.keys(CLUSTERS).entries()) {
    const r = rng(seed, 'nodes', cluster);
    const region = cluster.replace(/^prod-/, '').replace(/-\d+$/, '-1');
    nodes.set(cluster, Array.from({ length: 8 }, () => `ip-10-${ci * 16 + r.int(16)}-${r.int(256)}-${1 + r.int(254)}.${region}.compute.internal`));
  }

  for (const def of SERVICES) {
    const [namespace, shortName] = def.name.split('/');
    const cluster = clusterOf.get(namespace);
    if (!cluster) throw new Error(`namespace ${namespace} is in no cluster`);
    const service: Service = {
      name: def.name, namespace, shortName, cluster, lang: def.lang,
      public: def.name in PUBLIC_HOSTS,
      host: `${shortName}.${namespace}.svc.cluster.local`,
      publicHost: PUBLIC_HOSTS[def.name] ?? null,
      endpoints: [], proxies: [],
    };
    for (const e of def.endpoints) {
      const parsed = parseRoute(e.route);
      const endpoint: Endpoint = {
        key: `${def.name} ${parsed.method} ${parsed.template}`,
        service,
        ...parsed,
        kind: e.kind ?? defaultKind(parsed.method, parsed.segments),
        calls: [],
        parallel: e.parallel ?? false,
        out: sensitiveSpecs(e.out),
        in: sensitiveSpecs(e.in),
        query: e.query ?? null,
        ms: e.ms ?? 10,
        auth: e.auth ?? false,
        fail: e.fail ?? [],
      };
      if (endpoints.has(endpoint.key)) throw new Error(`duplicate endpoint ${endpoint.key}`);
      endpoints.set(endpoint.key, endpoint);
      defs.set(endpoint, e);
      service.endpoints.push(endpoint);
    }
    const r = rng(seed, 'pods', def.name);
    const replicaSet = alnum(r, 9, 'bcdfghjklmnpqrstvwxz2456789');
    const clusterNodes = nodes.get(cluster)!;
    const ci = Object.keys(CLUSTERS).indexOf(cluster);
    for (let i = 0; i < def.replicas; i++) {
      const proxy: Proxy = {
        index: proxies.length,
        id: `${shortName}-${replicaSet}-${alnum(r, 5, 'bcdfghjklmnpqrstvwxz2456789')}`,
        service,
        node: r.pick(clusterNodes),
        podIp: `10.${ci * 16 + 8 + r.int(8)}.${r.int(256)}.${1 + r.int(254)}`,
        version: `meshward-filter/${r.weighted(FILTER_VERSIONS)}`,
        format: format === 'otlp' ? 'otlp-proto' : format === 'envoy' ? 'envoy' : (MIXED_FORMAT[namespace] ?? 'otlp-proto'),
        sensitiveAsString: namespace === 'payments',
        heartbeatS: r.chance(0.5) ? 15 : 30,
      };
      service.proxies.push(proxy);
      proxies.push(proxy);
    }
    services.push(service);
    byName.set(def.name, service);
  }

  const resolve = (key: string, from: string) => {
    const target = endpoints.get(typeless(key));
    if (!target) throw new Error(`${from} calls ${key}, which no service defines`);
    return target;
  };
  const edges = new Set<string>();
  for (const [endpoint, def] of defs) {
    for (const ref of def.calls ?? []) {
      const { key, probability, soft } = parseCallRef(ref);
      const target = resolve(key, endpoint.key);
      if (target.service === endpoint.service) throw new Error(`${endpoint.key} calls its own service`);
      endpoint.calls.push({ target, probability, soft });
      edges.add(edgeKey(endpoint.service.name, target.service.name));
    }
  }
  for (const s of services) if (s.public) edges.add(edgeKey('external', s.name));
  const jobs = JOBS.map((def) => {
    const service = byName.get(def.service);
    if (!service) throw new Error(`job ${def.name} runs in unknown service ${def.service}`);
    const calls = def.calls.map((c) => resolve(c, `job ${def.name}`));
    for (const c of calls) edges.add(edgeKey(service.name, c.service.name));
    return { def, service, calls };
  });

  return {
    clusters: Object.keys(CLUSTERS),
    namespaces: [...new Set(services.map((s) => s.namespace))],
    services,
    proxies,
    jobs,
    edges,
    service(name) {
      const s = byName.get(name);
      if (!s) throw new Error(`no service ${name}`);
      return s;
    },
    endpoint(key) {
      const e = endpoints.get(typeless(key));
      if (!e) throw new Error(`no endpoint ${key}`);
      return e;
    },
  };
}

/** A replica of `service`, as a load balancer would pick it. */
export const anyReplica = (r: { int(n: number): number }, service: Service) => service.proxies[r.int(service.proxies.length)];
