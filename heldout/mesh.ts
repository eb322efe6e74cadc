// The bank's clusters as data: pods (with their node and address) per service, and routes parsed
// into segments, calls and sensitive-data specs. Pod names and addresses come from the seed.
import { ROUTES, SERVICES, type RouteDef, type ServiceDef } from './bank-api';
import { rand } from './rand';

export interface Pod {
  index: number;
  service: ServiceDef;
  name: string;
  ip: string;
  node: string;
  cluster: string;
}

export interface Sens {
  cls: string;
  path: string;
  each: boolean;
}

export interface Route extends RouteDef {
  /** `/v3/accounts/{accountId}`: the template a ground-truth line names */
  template: string;
  parts: ({ text: string } | { param: string; suffix: string })[];
  deps: { route: Route; p: number; soft: boolean }[];
  outs: Sens[];
  ins: Sens[];
}

export interface Mesh {
  pods: Pod[];
  podsOf: Map<string, Pod[]>;
  routes: Map<string, Route>;
  services: Map<string, ServiceDef>;
  clusters: Record<string, string>;
}

const CLUSTER_NAMES: Record<string, string> = { use1: 'lumen-prod-us-east4', usc1: 'lumen-prod-us-central1' };
const POD_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

const sens = (list: string[] | undefined): Sens[] =>
  (list ?? []).map((s) => {
    const [cls, path] = s.split(' ');
    return { cls, path, each: path.includes('[]') };
  });

export function buildMesh(seed: number): Mesh {
  const r = rand(seed, 'mesh');
  const nodes: Record<string, string[]> = {};
  for (const c of Object.keys(CLUSTER_NAMES)) {
    const pool = r.hex(8);
    nodes[c] = Array.from({ length: r.int(5, 9) }, () => `gke-${CLUSTER_NAMES[c]}-pool-2-${pool}-${r.chars(4, POD_CHARS)}`);
  }
  const pods: Pod[] = [];
  const podsOf = new Map<string, Pod[]>();
  const services = new Map<string, ServiceDef>();
  for (const s of SERVICES) {
    services.set(s.key, s);
    const short = s.key.split('/')[1];
    const rs = r.chars(r.int(9, 10), POD_CHARS);
    const list: Pod[] = [];
    for (let i = 0; i < s.replicas; i++) {
      const node = r.pick(nodes[s.cluster]);
      const n = nodes[s.cluster].indexOf(node);
      const pod = {
        index: pods.length, service: s, node, cluster: CLUSTER_NAMES[s.cluster],
        name: `${short}-${rs}-${r.chars(5, POD_CHARS)}`,
        ip: `10.${s.cluster === 'use1' ? 60 : 72}.${n}.${r.int(2, 250)}`,
      };
      pods.push(pod);
      list.push(pod);
    }
    podsOf.set(s.key, list);
  }
  const routes = new Map<string, Route>();
  for (const def of ROUTES) {
    if (!services.has(def.svc)) throw new Error(`route ${def.id} is on unknown service ${def.svc}`);
    const parts = def.path.split('/').slice(1).map((seg) => {
      const m = /^:(\w+)(.*)$/.exec(seg);
      return m ? { param: m[1], suffix: m[2] } : { text: seg };
    });
    const template = `/${parts.map((p) => ('text' in p ? p.text : `{${p.param}}${p.suffix}`)).join('/')}`;
    routes.set(def.id, { ...def, template, parts, deps: [], outs: sens(def.out), ins: sens(def.inn) });
  }
  for (const route of routes.values()) {
    for (const ref of route.calls ?? []) {
      const m = /^([\w.]+)(?:\?([\d.]+))?(~)?$/.exec(ref);
      const target = m && routes.get(m[1]);
      if (!target) throw new Error(`route ${route.id} calls ${ref}, which is not a route`);
      route.deps.push({ route: target, p: m[2] ? Number(m[2]) : 1, soft: m[3] === '~' });
    }
  }
  return { pods, podsOf, routes, services, clusters: CLUSTER_NAMES };
}
