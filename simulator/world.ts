import { calibrate, sessionMix, type Rates } from './benign';
import { linkedCustomers } from './partners';
import { Population, type User } from './population';
import { drawProfile, type Profile } from './profile';
import { dayCurveOf } from './rate-curve';
import { MAX_LOAD_MS, schedulePlan } from './schedule';
import { SCENARIOS } from './scenarios';
import { SCENARIO_KINDS, type AttackPlan, type ScenarioKind } from './scenarios/types';
import type { SessionKind } from './sessions';
import { buildTopology, type Topology } from './topology';
import { NORMAL_LOAD, type Load, type TraceEnv } from './trace';

/** Bumped whenever the same seed and window would give different events. */
export const GENERATOR_VERSION = 'meshward-simulator/2';

export interface SimOptions {
  seed: number;
  /** average benign events per second over a day (attacks come on top) */
  rate: number;
  /** size of the user population (default: drawn from the seed, 2,500–9,000) */
  users?: number;
  /** scenarios to schedule; [] for none */
  scenarios?: readonly ScenarioKind[];
  /** one attack instance starts in every period of this many minutes */
  attackEveryMin?: number;
  format?: 'otlp' | 'envoy' | 'mixed';
}

export type ResolvedOptions = Required<SimOptions>;

/**
 * Everything generation reads and nothing it writes: the options, the seed's profile, the
 * mesh, the people and the attack schedule. Pure functions of the options, so any two streams
 * over the same world agree on every event.
 */
export class World implements TraceEnv {
  readonly options: ResolvedOptions;
  readonly profile: Profile;
  readonly topology: Topology;
  readonly population: Population;
  readonly curve: (ts: number) => number;
  readonly sessionMix: [SessionKind, number][];
  readonly rates: Rates;
  private readonly plans = new Map<number, AttackPlan | null>();
  private readonly linked = new Map<number, User[]>();
  private readonly loaders: boolean;

  constructor(options: SimOptions) {
    if (!(options.rate > 0)) throw new Error('the rate must be a positive number of events per second');
    this.profile = drawProfile(options.seed);
    this.options = {
      users: this.profile.users,
      scenarios: SCENARIO_KINDS,
      attackEveryMin: 30,
      format: 'mixed',
      ...options,
    };
    this.topology = buildTopology(this.options.seed, this.options.format);
    this.population = new Population(this.options.seed, this.options.users, this.profile);
    this.curve = dayCurveOf(this.profile.day);
    this.sessionMix = sessionMix(this);
    this.loaders = this.options.scenarios.some((k) => SCENARIOS[k].load);
    this.rates = calibrate(this);
  }

  get attackEveryMs(): number {
    return this.options.attackEveryMin * 60_000;
  }

  /** The attack scheduled in period `k` (periods of `attackEveryMin` since the epoch), if any. */
  plan(k: number): AttackPlan | null {
    let plan = this.plans.get(k);
    if (plan === undefined) {
      if (this.plans.size > 10_000) this.plans.clear();
      plan = schedulePlan({ ...this.options, durationScale: this.profile.attacks.duration }, k);
      this.plans.set(k, plan);
    }
    return plan;
  }

  /** The customers who linked their account to the profile's aggregator `index`. */
  linkedCustomers(index: number): User[] {
    let list = this.linked.get(index);
    if (!list) this.linked.set(index, (list = linkedCustomers(this, index)));
    return list;
  }

  /** Attacks under way at `ts` slow down the services they flood. */
  load(service: string, ts: number): Load {
    if (!this.loaders) return NORMAL_LOAD;
    const every = this.attackEveryMs;
    for (let k = Math.floor((ts - MAX_LOAD_MS) / every); k <= Math.floor(ts / every); k++) {
      const plan = this.plan(k);
      if (!plan || ts < plan.start || ts >= plan.end) continue;
      const load = SCENARIOS[plan.kind].load?.(plan, service, ts);
      if (load) return load;
    }
    return NORMAL_LOAD;
  }
}
