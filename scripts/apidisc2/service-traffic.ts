// The requests to one service: each endpoint gets its count of requests, every `{param}` filled
// from the service's value pool for that name, and each request checked with the scorer's router
// so that it lands on its own template (a value that equals a literal sibling, or that makes the
// path match a more specific template, is drawn again).
import type { Endpoint, LineKind, ParamSchema, RequestLine, ServiceApi } from './api-model';
import { Prng } from './prng';
import { queryString, QUERY_SHARE } from './query-string';
import { requestCounts } from './request-counts';
import { realStatus } from './request-status';
import { methodRouters, normPath, normTemplate, route, type Router } from './scorer';
import { planParam, serviceConvention } from './shape-choice';
import { ValuePool } from './value-pool';

export interface TrafficLine extends RequestLine {
  kind: LineKind;
  /** the true template a request was made for (null for noise) */
  template: string | null;
}

export interface ServiceTraffic {
  api: ServiceApi;
  /** endpoints that got at least one request */
  truth: { method: string; template: string }[];
  lines: TrafficLine[];
  /** routers over every endpoint of the service, per method */
  routers: Map<string, Router>;
}

/** Percent-encoding for a path segment; `@`, `:` and `+` stay as they are (RFC 3986 allows them). */
export function encodeSegmentValue(v: string): string {
  return encodeURIComponent(v).replace(/%40/g, '@').replace(/%3A/gi, ':').replace(/%2B/gi, '+');
}

const ATTEMPTS = 12;

export function serviceTraffic(api: ServiceApi, seed: string): ServiceTraffic {
  const rng = new Prng('apidisc2', 'traffic', seed, api.id);
  const convention = serviceConvention(rng);
  const pools = new Map<string, ValuePool>();
  const poolFor = (name: string, schema: ParamSchema): ValuePool => {
    const key = `${name}\u0000${schema.type}|${schema.format}|${schema.enum?.join(',')}`;
    let p = pools.get(key);
    if (!p) {
      p = new ValuePool(`${seed}|${api.id}|${key}`, planParam(name, schema, convention, rng));
      pools.set(key, p);
    }
    return p;
  };
  const routers = methodRouters(api.endpoints);
  const counts = requestCounts(api.endpoints, rng);
  const lines: TrafficLine[] = [];
  const truth: { method: string; template: string }[] = [];
  api.endpoints.forEach((e: Endpoint, i) => {
    const target = normTemplate(e.template);
    const router = routers.get(e.method)!;
    let hits = 0;
    for (let j = 0; j < counts[i]; j++) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const values = new Map<string, string>();
        const p = e.template.replace(/\{([^}]*)\}/g, (_, name: string) => {
          let v = values.get(name);
          if (v === undefined) {
            const pool = poolFor(name, e.pathParams.get(name) ?? {});
            v = encodeSegmentValue(attempt < ATTEMPTS / 3 ? pool.draw(rng) : pool.fresh(rng.bits()));
            values.set(name, v);
          }
          return v;
        });
        if (route(router, normPath(p)) !== target) continue;
        const q = rng.chance(QUERY_SHARE) ? queryString(e.query, rng, (n) => poolFor(`?${n}`, {}).draw(rng)) : '';
        lines.push({ service: api.id, method: e.method, path: p + q, status: realStatus(e.success, rng), kind: 'request', template: e.template });
        hits++;
        break;
      }
    }
    if (hits > 0) truth.push({ method: e.method, template: e.template });
  });
  return { api, truth, lines, routers };
}
