import { describe, expect, it } from 'vitest';
import { SequenceAnalyzer } from '../sequence';
import { SimStream } from '@/simulator/stream';
import { World } from '@/simulator/world';
import { actorId, engineEvent, feedOutOfOrder, strongest } from './test-support';

// The demo fleet's traffic, as the console would receive it (per-proxy batches minutes out of
// order), with an out_of_order attack every hour: card testing (paying for checkouts never
// created) and a shop customer's token against the staff back office. Seeds 5 and 6 were never
// used to tune the model (1–4 were).
const HOUR = 3_600_000;
const START = Date.parse('2026-11-20T06:00:00Z');
const HOURS = 8;
/** the first hour teaches the model; attacks judged after it */
const WARM_UP = HOUR;

function run(seed: number) {
  const world = new World({ seed, rate: 10, scenarios: ['out_of_order'], attackEveryMin: 60 });
  const stream = new SimStream(world, START);
  const records = stream.advance(START + HOURS * HOUR);
  const truth = stream.truth.rest().filter((t) => t.type === 'attack');
  const events = records.map(engineEvent);
  const analyzer = new SequenceAnalyzer();
  const signals = feedOutOfOrder(analyzer, events, (_e, i) => records[i].proxy, { maxDelayMs: 5 * 60_000, latenessMs: 10 * 60_000, seed });
  const best = strongest(signals);
  const attackers = new Map<string, string>();
  for (const t of truth) for (const id of [...t.actors.tokens.map((x) => `token:${x}`), ...t.actors.users.map((x) => `user:${x}`)]) attackers.set(id, t.id);
  const benign = [...best.values()].filter((s) => !attackers.has(actorId(s))).map((s) => s.strength).sort((a, b) => b - a);
  const instances = truth
    .filter((t) => Date.parse(t.start) >= START + WARM_UP)
    .map((t) => {
      const ids = [...t.actors.tokens.map((x) => `token:${x}`), ...t.actors.users.map((x) => `user:${x}`)];
      const strength = Math.max(0, ...ids.map((id) => best.get(id)?.strength ?? 0));
      return { id: t.id, variant: t.variant, strength, benignAbove: benign.filter((b) => b > strength).length };
    });
  return { instances, benign, late: analyzer.late, events: events.length };
}

describe('sequence model on the simulated fleet', () => {
  for (const seed of [5, 6]) {
    it(`seed ${seed}: the out_of_order actors get the strongest signals, almost no benign actor a strong one`, () => {
      const r = run(seed);
      // the report quotes these figures
      console.log(`seed ${seed}: ${r.events} events; benign actors with a signal ${r.benign.length}, above 0.5: ${r.benign.filter((s) => s > 0.5).length}; attacks:`,
        r.instances.map((i) => `${i.variant} ${i.strength.toFixed(2)} (benign above: ${i.benignAbove})`).join(', '));
      expect(r.late).toBe(0);
      expect(r.instances.length).toBeGreaterThanOrEqual(6);
      expect(new Set(r.instances.map((i) => i.variant))).toEqual(new Set(['checkout_without_cart', 'admin_from_shop_token']));
      // Since the simulator grew hard negatives (stale links answered 404, sellers' sync jobs
      // walking their product ids every 30 s), a few benign actors reach 0.5–0.8 on this model
      // alone; the engine weighs them with its other evidence (bench:detection reports the result).
      for (const i of r.instances) {
        expect(i.strength, i.id).toBeGreaterThanOrEqual(0.5);
        expect(i.benignAbove, i.id).toBeLessThanOrEqual(5);
      }
      expect(r.benign.filter((s) => s > 0.5).length).toBeLessThanOrEqual(5);
    }, 120_000); // eight hours of a fleet: seconds on an idle machine, more on a busy one
  }
});
