// Very large whitelists as several ALLOW objects, each small enough for the Kubernetes API
// server and `kubectl apply`, that together allow exactly what one object would.
import { describe, expect, it } from 'vitest';
import type { AllowRule, PolicyDocument } from '../model';
import { compilePolicy } from './index';
import { compileIstio, MAX_OBJECT_BYTES, splitRule } from './istio';
import { istioEvaluator, toIstioRequest } from './istio-eval';
import { NOW } from './test-corpus';
import { Prng } from '@/simulator/prng';

function bigDoc(endpoints: number, callers: number, r: Prng): { doc: PolicyDocument; allowed: Set<string> } {
  const names = Array.from({ length: callers }, (_, i) => (i === 0 ? 'external' : `ns${i % 12}/svc-${i}`));
  const allow: AllowRule[] = [];
  const allowed = new Set<string>();
  for (let i = 0; i < endpoints; i++) {
    const template = i % 3 === 0 ? `/api/v1/items-${i}/{id}` : `/api/v1/items-${i}`;
    const method = i % 4 === 0 ? 'POST' : 'GET';
    // each endpoint with its own random half of the callers: the worst case for grouping
    for (const c of names) if (r.chance(0.5)) {
      allow.push({ caller: c, method, template, endpointId: `ep_${i}` });
      allowed.add(`${c} ${method} ${i}`);
    }
  }
  return { doc: { service: 'bench/api', defaultAction: 'deny', allow, deny: [] }, allowed };
}

const pathOf = (i: number) => (i % 3 === 0 ? `/api/v1/items-${i}/42` : `/api/v1/items-${i}`);

describe('Istio policies split below the object size limit', () => {
  it('2,000 endpoints × 200 callers: every object under the budget, the same decisions as the whitelist', () => {
    const r = new Prng(11);
    const { doc, allowed } = bigDoc(2000, 200, r);
    const out = compileIstio(doc, {}, NOW);
    const allows = out.objects.filter((o) => o.spec.action === 'ALLOW');
    expect(allows.length).toBeGreaterThan(1);
    for (const o of allows) expect(JSON.stringify(o).length).toBeLessThan(MAX_OBJECT_BYTES + 2_000);
    expect(new Set(allows.map((o) => o.metadata.name)).size).toBe(allows.length);
    const ev = istioEvaluator(out.yaml);
    const callers = ['external', ...Array.from({ length: 199 }, (_, i) => `ns${(i + 1) % 12}/svc-${i + 1}`)];
    for (let k = 0; k < 3000; k++) {
      const i = r.int(2000);
      const c = r.pick(callers);
      const method = i % 4 === 0 ? 'POST' : 'GET';
      const want = allowed.has(`${c} ${method} ${i}`) ? 'allow' : 'deny';
      expect(ev(toIstioRequest({ caller: c, method, path: pathOf(i) }, {})).decision, `${c} ${method} ${i}`).toBe(want);
    }
    // and the bundle path (read back, Kubernetes names checked) takes it
    expect(() => compilePolicy(doc, 'istio', {}, NOW)).not.toThrow();
  });

  it('a tiny budget splits single rules by path and by principal, and still decides every pair the same', () => {
    const r = new Prng(3);
    const { doc, allowed } = bigDoc(30, 25, r);
    const whole = istioEvaluator(compileIstio(doc, {}, NOW).yaml);
    const small = compileIstio(doc, { istio: { maxObjectBytes: 600 } }, NOW);
    expect(small.objects.filter((o) => o.spec.action === 'ALLOW').length).toBeGreaterThan(5);
    const ev = istioEvaluator(small.yaml);
    const callers = ['external', ...Array.from({ length: 24 }, (_, i) => `ns${(i + 1) % 12}/svc-${i + 1}`), 'ns1/stranger'];
    for (let i = 0; i < 30; i++) for (const c of callers) for (const method of ['GET', 'POST']) {
      const req = toIstioRequest({ caller: c, method, path: pathOf(i) }, {});
      const want = allowed.has(`${c} ${method} ${i}`) ? 'allow' : 'deny';
      expect(ev(req).decision, `${c} ${method} ${i}`).toBe(want);
      expect(whole(req).decision).toBe(want);
    }
  });

  it('splitRule keeps callers with no identity in exactly one half', () => {
    const rule = {
      from: [{ source: { principals: Array.from({ length: 40 }, (_, i) => `cluster.local/ns/a/sa/s${i}`) } }, { source: { notPrincipals: ['*'] } }],
      to: [{ operation: { methods: ['GET'], paths: ['/only'] } }],
    };
    const parts = splitRule(rule, 400);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.filter((p) => p.from.some((f: { source: { notPrincipals?: string[] } }) => f.source.notPrincipals)).length).toBe(1);
    expect(parts.flatMap((p) => p.from.flatMap((f: { source: { principals?: string[] } }) => f.source.principals ?? [])).sort()).toEqual([...rule.from[0].source.principals!].sort());
  });
});
