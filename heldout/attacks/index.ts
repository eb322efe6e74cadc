import { rand } from '../rand';
import type { BankWorld } from '../world';
import { bruteForce, credentialStuffing, lowAndSlow, passwordSpraying } from './credentials';
import { distributedFlood, dos } from './floods';
import { crawler, scraping, tokenRotation } from './harvest';
import { exfiltration, tokenReplay, workflowAbuse } from './takeover';
import type { Plan, Scenario } from './types';

export const HELDOUT_SCENARIOS: Scenario[] = [
  crawler, bruteForce, credentialStuffing, scraping, dos, exfiltration, workflowAbuse, tokenReplay, passwordSpraying, tokenRotation, lowAndSlow,
  distributedFlood,
];
export const SCENARIO_NAMES = HELDOUT_SCENARIOS.map((s) => s.name);

/**
 * The attacks of a window: each scenario `perDay` times a day (at least once), at random
 * times (not on a grid), each lasting its range scaled by the seed's duration factor and
 * ending inside the window.
 */
export function planAttacks(w: BankWorld, only?: readonly string[]): Plan[] {
  const { start, hours, seed } = w.options;
  const span = hours * 3_600_000;
  const plans: Plan[] = [];
  for (const s of HELDOUT_SCENARIOS) {
    if (only && !only.includes(s.name)) continue;
    const r = rand(seed, 'plan', s.name);
    const count = Math.max(1, Math.round((s.perDay * hours) / 24));
    for (let i = 0; i < count; i++) {
      const minutes = r.range(s.minutes[0], s.minutes[1]) * w.config.attacks.duration;
      const length = Math.min(minutes * 60_000, span * 0.8);
      const at = start + r.range(0.02, 0.98) * (span - length);
      plans.push({
        id: `h${seed}-${s.name}-${i + 1}`,
        scenario: s.name,
        variant: s.variants ? s.variants[i % s.variants.length] : null,
        start: Math.round(at),
        end: Math.round(at + length),
        seed: r.u32(),
        targeted: new Set(),
        compromised: new Set(),
      });
    }
  }
  return plans.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
}

export function scenarioOf(name: string): Scenario {
  const s = HELDOUT_SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`no held-out scenario ${name}`);
  return s;
}
