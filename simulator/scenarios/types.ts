import type { DetectionKind } from '@/lib/enums';
import type { Prng } from '../random';
import type { SimRecord } from '../record';
import type { Actor, Load, TraceOptions, TraceResult } from '../trace';
import type { Params } from '../values';
import type { World } from '../world';

export const SCENARIO_KINDS = [
  'crawler', 'brute_force', 'credential_stuffing', 'scraping', 'dos', 'exfiltration', 'low_and_slow', 'out_of_order',
  'password_spraying', 'token_rotation', 'token_replay', 'workflow_abuse', 'distributed_flood',
] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

/** Detection kinds, as SPEC names them (lib/enums): what a detector should find in an attack's events. */
export type { DetectionKind };

/** One scheduled attack: a scenario with a time span and the seed of its own random choices. */
export interface AttackPlan {
  id: string;
  kind: ScenarioKind;
  variant: string | null;
  start: number;
  end: number;
  seed: number;
}

/**
 * Accounts an attack goes after, as usernames: the ones it tries to break into and the ones it
 * took over. Services, endpoints and actors are read off the events it produced.
 */
export interface AttackAccounts {
  targeted: string[];
  compromised: string[];
}

export interface AttackContext {
  world: World;
  plan: AttackPlan;
  r: Prng;
  /** one request from outside and everything it causes; records carry the attack's id */
  send(request: string, ts: number, actor: Actor, params?: Params, opts?: TraceOptions): TraceResult;
  /** a request to a path no endpoint of `service` has (probes) */
  probe(service: string, method: string, path: string, ts: number, actor: Actor, status: number): void;
  out: SimRecord[];
}

export interface Scenario {
  kind: ScenarioKind;
  expected: DetectionKind[];
  /** how long an instance lasts, minutes */
  minutes: [number, number];
  variants?: string[];
  /** how it weighs on a service at `ts` (a flood slows and sheds) */
  load?(plan: AttackPlan, service: string, ts: number): Load | null;
  generate(ctx: AttackContext): Partial<AttackAccounts>;
}
