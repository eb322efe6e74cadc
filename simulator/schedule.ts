import { rng, seedOf, shuffle } from './random';
import { SCENARIOS } from './scenarios';
import { SCENARIO_KINDS, type AttackPlan, type ScenarioKind } from './scenarios/types';

/** The longest an attack instance can last: how far back a stream looks for attacks still under way. */
export const MAX_ATTACK_MS = Math.max(...SCENARIO_KINDS.map((k) => SCENARIOS[k].minutes[1])) * 60_000;

interface ScheduleOptions {
  seed: number;
  scenarios: readonly ScenarioKind[];
  attackEveryMin: number;
}

/**
 * One attack per period, cycling through the chosen scenarios in a seeded order so that every
 * scenario comes up once per cycle (all eight within four hours at the default 30 minutes).
 * It starts in the first half of its period; the scenario sets how long it lasts.
 */
export function schedulePlan(o: ScheduleOptions, k: number): AttackPlan | null {
  const chosen = SCENARIO_KINDS.filter((kind) => o.scenarios.includes(kind)); // the order given does not matter
  const n = chosen.length;
  if (n === 0) return null;
  const cycle = Math.floor(k / n);
  const order = shuffle(rng(o.seed, 'attack-cycle', cycle), chosen);
  const kind = order[k - cycle * n];
  const scenario = SCENARIOS[kind];
  const r = rng(o.seed, 'attack', k, kind);
  const every = o.attackEveryMin * 60_000;
  const start = k * every + r.int(Math.floor(every / 2));
  const [lo, hi] = scenario.minutes;
  const minutes = lo + r.next() * (hi - lo);
  const variant = scenario.variants ? scenario.variants[cycle % scenario.variants.length] : null;
  return {
    id: `s${o.seed}-${kind}-${k}`,
    kind,
    variant,
    start,
    end: start + Math.round(minutes * 60_000),
    seed: seedOf(o.seed, 'attack-events', k, kind),
  };
}
