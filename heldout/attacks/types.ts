import type { Agent } from '../engine';
import type { Rand } from '../rand';
import type { BankWorld } from '../world';

/** One attack instance: when, and the seed of its own choices. */
export interface Plan {
  id: string;
  scenario: string;
  variant: string | null;
  start: number;
  end: number;
  seed: number;
  /** accounts it goes after and gets into (logins), filled in as it runs */
  targeted: Set<string>;
  compromised: Set<string>;
}

export interface Scenario {
  name: string;
  /** detection kinds (SPEC names) it should raise */
  expected: string[];
  /** how long an instance lasts, minutes, before the seed's duration factor */
  minutes: [number, number];
  /** instances per day of window */
  perDay: number;
  variants?: string[];
  run(w: BankWorld, plan: Plan, r: Rand): Agent;
}

/** Times from `from` to `to` at about `perSecond`, each gap drawn around the mean. */
export function* pace(r: Rand, from: number, to: number, perSecond: number, spread = 0.6): Generator<number> {
  const mean = 1000 / perSecond;
  for (let t = from + r.range(0, mean); t < to; t += mean * (1 - spread / 2 + r.float() * spread)) yield t;
}
