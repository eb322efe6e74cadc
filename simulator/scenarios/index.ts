import { bruteForce } from './brute-force';
import { crawler } from './crawler';
import { credentialStuffing } from './credential-stuffing';
import { distributedFlood } from './distributed-flood';
import { dos } from './dos';
import { exfiltration } from './exfiltration';
import { lowAndSlow } from './low-and-slow';
import { outOfOrder } from './out-of-order';
import { passwordSpraying } from './password-spraying';
import { scraping } from './scraping';
import { tokenReplay } from './token-replay';
import { tokenRotation } from './token-rotation';
import { workflowAbuse } from './workflow-abuse';
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
  password_spraying: passwordSpraying,
  token_rotation: tokenRotation,
  token_replay: tokenReplay,
  workflow_abuse: workflowAbuse,
  distributed_flood: distributedFlood,
};
