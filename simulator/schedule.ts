import { MAX_DURATION_SCALE } from './profile';
import { rng, seedOf, shuffle } from './random';
import { SCENARIOS } from './scenarios';
import { SCENARIO_KINDS, type AttackPlan, type ScenarioKind } from './scenarios/types';

const longest = (kinds: readonly ScenarioKind[]) => Math.max(...kinds.map((k) => SCENARIOS[k].minutes[1])) * MAX_DURATION_SCALE * 60_000;

/** The longest an attack instance can last: how far back a stream looks for attacks still under way. */
export const MAX_ATTACK_MS = longest(SCENARIO_KINDS);
/** The longest an attack that weighs on a service's load lasts: how far back `World.load` looks. */
export const MAX_LOAD_MS = longest(SCENARIO_KINDS.filter((k) => SCENARIOS[k].load));

interface ScheduleOptions {
  seed: number;
  scenarios: readonly ScenarioKind[];
  attackEveryMin: number;
  /** the world's attack duration factor (profile.ts) */
  durationScale: number;
}

/**
 * One attack per period, cycling through the chosen scenarios in a seeded order so that every
 * scenario comes up once per cycle (all thirteen within six and a half hours at the default
 * 30 minutes). It starts in the first half of its period; the scenario sets how long it lasts,
 * scaled by the world's duration factor.
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
  const minutes = (lo + r.next() * (hi - lo)) * Math.min(MAX_DURATION_SCALE, o.durationScale);
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
