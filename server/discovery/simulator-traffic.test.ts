import { describe, expect, it } from 'vitest';
import { SimStream } from '@/simulator/stream';
import { World } from '@/simulator/world';
import { DiscoveryLearner } from './learner';
import { EndpointRouter } from './endpoint-router';
import { templateKey } from './template';

// The demo fleet's services, learned from two hours of its traffic (attacks included) the way
// the console learns them: what /apis shows must be the simulator's real endpoints.
describe('discovery on the simulated fleet', () => {
  const world = new World({ seed: 1, rate: 10 });
  const start = Date.parse('2026-11-20T09:00:00Z');
  const records = new SimStream(world, start).advance(start + 2 * 3600_000);
  const learner = new DiscoveryLearner();
  const successes = new Map<string, number>();
  for (const r of records) {
    learner.observe({ service: r.dstService, method: r.method, path: r.query ? `${r.path}?${r.query}` : r.path, status: r.status, caller: r.srcService, ts: r.ts });
    if (r.endpoint && r.status < 400) successes.set(r.endpoint, (successes.get(r.endpoint) ?? 0) + 1);
  }
  // as the store keeps them: templates that answered with success at least once
  const learned = learner.endpoints().filter((e) => e.stats.statusClasses[1] + e.stats.statusClasses[2] > 0);
  const truth = world.topology.services.flatMap((s) => s.endpoints.map((ep) => ({ service: s.name, method: ep.method, template: ep.template, key: ep.key })));

  it('finds every endpoint the traffic exercised, with its exact template', () => {
    const got = new Set(learned.map((e) => `${e.service} ${e.method} ${templateKey(e.template)}`));
    const exercised = truth.filter((t) => (successes.get(t.key) ?? 0) >= 10);
    expect(exercised.length).toBeGreaterThan(100);
    const missing = exercised.filter((t) => !got.has(`${t.service} ${t.method} ${templateKey(t.template)}`)).map((t) => t.key);
    expect(missing).toEqual([]);
  });

  it('learns nothing that is not one of them: no literal variants of a parameter', () => {
    const real = new Set(truth.map((t) => `${t.service} ${t.method} ${templateKey(t.template)}`));
    const extra = learned.map((e) => `${e.service} ${e.method} ${e.template}`).filter((k) => !real.has(k.replace(/ (\/.*)$/, (_, t: string) => ` ${templateKey(t)}`)));
    expect(extra).toEqual([]);
  });

  it('never sends the requests of two real endpoints to one template', () => {
    const router = new EndpointRouter(learned.map((e, i) => ({ id: String(i), service: e.service, method: e.method, template: e.template })));
    const reached = new Map<string, Set<string>>();
    for (const r of records) {
      if (!r.endpoint) continue;
      const hit = router.match(r.dstService, r.method, r.path);
      if (!hit) continue;
      const k = `${r.dstService} ${r.method} ${hit.template}`;
      const set = reached.get(k) ?? new Set<string>();
      set.add(r.endpoint);
      reached.set(k, set);
    }
    const wide = [...reached].filter(([, s]) => s.size > 1).map(([k, s]) => `${k} ⊃ ${[...s].join(', ')}`);
    expect(reached.size).toBeGreaterThan(100);
    expect(wide).toEqual([]);
  });
});
