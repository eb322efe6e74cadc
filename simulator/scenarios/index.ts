import { bruteForce } from './brute-force';
import { crawler } from './crawler';
import { credentialStuffing } from './credential-stuffing';
import { dos } from './dos';
import { exfiltration } from './exfiltration';
import { lowAndSlow } from './low-and-slow';
import { outOfOrder } from './out-of-order';
import { scraping } from './scraping';
import type { Scenario, ScenarioKind } from './types';

export const SCENARIOS: Record<ScenarioKind, Scenario> = {
  crawler,
  brute_force: bruteForce,
  credential_stuffing: credentialStuffing,
  scraping,
  dos,
  exfiltration,
  low_and_slow: lowAndSlow,
  out_of_order: outOfOrder,
};
