// The three failure classes, on traffic from Meshward's own generator (apidisc2, synthetic
// services, seeds never used while tuning): word-like identifiers must become parameters, busy
// literal siblings of a parameter must stay endpoints, and stray requests beside a version must
// not generalise it. The figures are apidisc2's hard-case report (scripts/apidisc2/hard-cases.ts).
import { describe, expect, it } from 'vitest';
import { generateBenchmark } from '@/scripts/apidisc2/benchmark';
import { renderBenchmark } from '@/scripts/apidisc2/generate';
import { hardCases } from '@/scripts/apidisc2/hard-cases';
import { DiscoveryLearner } from './learner';

function learnOn(seed: string) {
  const b = generateBenchmark({ specs: 0, synthetic: 24, seed });
  const lines = renderBenchmark(b).traffic.split('\n').filter(Boolean);
  const learner = new DiscoveryLearner();
  for (const l of lines) learner.observeLine(l);
  const pred = learner.endpoints().map((e) => ({ service: e.service, method: e.method, template: e.template }));
  const truth = Object.entries(b.truth).flatMap(([service, list]) => list.map((e) => ({ service, ...e })));
  return hardCases(truth, pred, lines.map((l) => JSON.parse(l) as { service: string; method: string; path: string }));
}

describe.each(['41', '42'])('discovery on apidisc2 traffic, seed %s', (seed) => {
  const r = learnOn(seed);

  it('makes word-like identifiers parameters (names, slugs, prefixed ids, codes)', () => {
    let kept = 0, total = 0;
    for (const c of Object.values(r.wordlike)) { kept += c.keptLiteral; total += c.total; }
    expect(total).toBeGreaterThan(300);
    expect(kept / total).toBeLessThan(0.1);
    for (const cls of ['pascal', 'slug', 'prefixed']) {
      expect(r.wordlike[cls].total).toBeGreaterThan(30);
      expect(r.wordlike[cls].keptLiteral / r.wordlike[cls].total, cls).toBeLessThan(0.15);
    }
  });

  it('keeps busy literal siblings of a parameter as endpoints of their own', () => {
    expect(r.literalSiblings.total).toBeGreaterThan(20);
    expect(r.literalSiblings.merged / r.literalSiblings.total).toBeLessThanOrEqual(0.05);
  });

  it('does not let stray requests generalise a version, nor let noise through', () => {
    expect(r.versions.total).toBeGreaterThan(100);
    expect(r.versions.generalised).toBe(0);
    expect(r.noise.total).toBeGreaterThan(100);
    expect(r.noise.accepted / r.noise.total).toBeLessThan(0.02);
    expect(r.noise.onlyNoiseTemplates).toBe(0);
  });
}, 60_000);
