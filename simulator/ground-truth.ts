import type { DetectionKind } from '@/lib/enums';
import { COHORTS, type CohortName } from './cohorts';
import type { SimRecord } from './record';
import { SCENARIOS } from './scenarios';
import type { AttackAccounts, AttackPlan, ScenarioKind } from './scenarios/types';
import { GENERATOR_VERSION } from './world';

interface Actors {
  tokens: string[];
  users: string[];
  ips: string[];
}

/**
 * One attack line of the ground-truth file: an attack instance as the events sent describe it.
 * Never sent to the console; detections are scored against it. docs/simulator.md documents the format.
 */
export interface GroundTruthEntry {
  type: 'attack';
  id: string;
  scenario: ScenarioKind;
  variant: string | null;
  seed: number;
  generator: string;
  /** first and last event sent, UTC ISO-8601 */
  start: string;
  end: string;
  events: number;
  targets: {
    services: string[];
    /** `ns/name METHOD /template` of the endpoints it called from outside */
    endpoints: string[];
    /** requests to paths no endpoint has (probes) */
    unknown_paths: number;
    accounts: AttackAccounts;
  };
  actors: Actors;
  expected_detections: DetectionKind[];
}

/**
 * One benign-cohort line: the actors of a hard negative (benign traffic that looks like an
 * attack) over one UTC day, so a benchmark can count false positives per cohort.
 */
export interface CohortEntry {
  type: 'benign_cohort';
  /** `s<seed>-cohort-<cohort>-<YYYY-MM-DD>` */
  id: string;
  cohort: CohortName;
  description: string;
  /** the detection kinds it could be mistaken for */
  looks_like: DetectionKind[];
  seed: number;
  generator: string;
  start: string;
  end: string;
  events: number;
  actors: Actors;
}

export type GroundTruthRecord = GroundTruthEntry | CohortEntry;

interface Tally {
  events: number;
  first: number;
  last: number;
  tokens: Set<string>;
  users: Set<string>;
  ips: Set<string>;
}

interface Instance extends Tally {
  plan: AttackPlan;
  accounts: AttackAccounts;
  services: Set<string>;
  endpoints: Set<string>;
  unknownPaths: number;
}

interface CohortDay extends Tally {
  cohort: CohortName;
  day: number;
}

const DAY_MS = 86_400_000;
const sorted = (s: Set<string>) => [...s].sort();
const tally = (): Tally => ({ events: 0, first: Infinity, last: -Infinity, tokens: new Set(), users: new Set(), ips: new Set() });
const actorsOf = (t: Tally): Actors => ({ tokens: sorted(t.tokens), users: sorted(t.users), ips: sorted(t.ips) });

/**
 * How long after its planned end an attack's last calls can still start: a request sent just
 * before the end fans out to calls a little later. Handing the entry out earlier would miss them.
 */
const SETTLE_MS = 60_000;

function count(t: Tally, rec: SimRecord) {
  t.events += 1;
  if (rec.ts < t.first) t.first = rec.ts;
  if (rec.ts > t.last) t.last = rec.ts;
  if (rec.tokenId) t.tokens.add(rec.tokenId);
  if (rec.user) t.users.add(rec.user);
}

/**
 * Collects what each attack instance actually sent, and what each benign cohort did per day,
 * and hands out their entries once they are over.
 */
export class GroundTruth {
  private instances = new Map<string, Instance>();
  private cohortDays = new Map<string, CohortDay>();

  constructor(private readonly seed: number) {}

  register(plan: AttackPlan, accounts: AttackAccounts) {
    this.instances.set(plan.id, { ...tally(), plan, accounts, services: new Set(), endpoints: new Set(), unknownPaths: 0 });
  }

  /** An event went out: it counts for its attack, or for its cohorts. */
  observe(rec: SimRecord) {
    if (rec.attack) this.observeAttack(rec);
    else if (rec.cohorts) this.observeCohorts(rec, rec.cohorts);
  }

  private observeAttack(rec: SimRecord) {
    const inst = this.instances.get(rec.attack!);
    if (!inst) return;
    count(inst, rec);
    if (rec.srcService !== 'external') return;
    inst.ips.add(rec.clientIp);
    inst.services.add(rec.dstService);
    if (rec.endpoint) inst.endpoints.add(rec.endpoint);
    else inst.unknownPaths += 1;
  }

  private observeCohorts(rec: SimRecord, cohorts: readonly CohortName[]) {
    const day = Math.floor(rec.ts / DAY_MS);
    for (const cohort of cohorts) {
      const key = `${cohort}|${day}`;
      let c = this.cohortDays.get(key);
      if (!c) this.cohortDays.set(key, (c = { ...tally(), cohort, day }));
      count(c, rec);
      // The address the behaviour comes from: the client's for requests from outside, the job's pod for internal jobs.
      if (rec.srcService === 'external' || rec.parentSpanId === null) c.ips.add(rec.clientIp);
    }
  }

  /** Entries of the attacks whose every event starts before `ts`, and of the cohort days over by then, each once. */
  finishedBefore(ts: number): GroundTruthRecord[] {
    return this.take((inst) => inst.plan.end + SETTLE_MS <= ts, (c) => (c.day + 1) * DAY_MS <= ts);
  }

  /** Every entry not handed out yet (the end of a run): instances cut short say what they sent. */
  rest(): GroundTruthRecord[] {
    return this.take(() => true, () => true);
  }

  private take(attackDone: (inst: Instance) => boolean, cohortDone: (c: CohortDay) => boolean): GroundTruthRecord[] {
    const out: GroundTruthRecord[] = [];
    for (const [id, inst] of this.instances) {
      if (!attackDone(inst)) continue;
      this.instances.delete(id);
      if (inst.events > 0) out.push(this.entry(inst));
    }
    for (const [key, c] of this.cohortDays) {
      if (!cohortDone(c)) continue;
      this.cohortDays.delete(key);
      out.push(this.cohortEntry(c));
    }
    return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1));
  }

  private entry(inst: Instance): GroundTruthEntry {
    const { plan } = inst;
    return {
      type: 'attack',
      id: plan.id,
      scenario: plan.kind,
      variant: plan.variant,
      seed: this.seed,
      generator: GENERATOR_VERSION,
      start: new Date(inst.first).toISOString(),
      end: new Date(inst.last).toISOString(),
      events: inst.events,
      targets: {
        services: sorted(inst.services),
        endpoints: sorted(inst.endpoints),
        unknown_paths: inst.unknownPaths,
        accounts: { targeted: [...new Set(inst.accounts.targeted)].sort(), compromised: [...new Set(inst.accounts.compromised)].sort() },
      },
      actors: actorsOf(inst),
      expected_detections: [...SCENARIOS[plan.kind].expected],
    };
  }

  private cohortEntry(c: CohortDay): CohortEntry {
    return {
      type: 'benign_cohort',
      id: `s${this.seed}-cohort-${c.cohort}-${new Date(c.day * DAY_MS).toISOString().slice(0, 10)}`,
      cohort: c.cohort,
      description: COHORTS[c.cohort].description,
      looks_like: [...COHORTS[c.cohort].looksLike],
      seed: this.seed,
      generator: GENERATOR_VERSION,
      start: new Date(c.first).toISOString(),
      end: new Date(c.last).toISOString(),
      events: c.events,
      actors: actorsOf(c),
    };
  }
}

export const isAttack = (e: GroundTruthRecord): e is GroundTruthEntry => e.type === 'attack';
export const isCohort = (e: GroundTruthRecord): e is CohortEntry => e.type === 'benign_cohort';
