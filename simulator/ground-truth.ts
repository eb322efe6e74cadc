import type { SimRecord } from './record';
import { SCENARIOS } from './scenarios';
import type { AttackAccounts, AttackPlan, DetectionKind, ScenarioKind } from './scenarios/types';
import { GENERATOR_VERSION } from './world';

/**
 * One line of the ground-truth file: an attack instance as the events sent describe it. Never
 * sent to the console; detections are scored against it. docs/simulator.md documents the format.
 */
export interface GroundTruthEntry {
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
  actors: { tokens: string[]; users: string[]; ips: string[] };
  expected_detections: DetectionKind[];
}

interface Instance {
  plan: AttackPlan;
  accounts: AttackAccounts;
  events: number;
  first: number;
  last: number;
  services: Set<string>;
  endpoints: Set<string>;
  unknownPaths: number;
  tokens: Set<string>;
  users: Set<string>;
  ips: Set<string>;
}

const sorted = (s: Set<string>) => [...s].sort();

/**
 * How long after its planned end an attack's last calls can still start: a request sent just
 * before the end fans out to calls a little later. Handing the entry out earlier would miss them.
 */
const SETTLE_MS = 60_000;

/** Collects what each attack instance actually sent, and hands out its entry once it is over. */
export class GroundTruth {
  private instances = new Map<string, Instance>();

  constructor(private readonly seed: number) {}

  register(plan: AttackPlan, accounts: AttackAccounts) {
    this.instances.set(plan.id, {
      plan, accounts, events: 0, first: Infinity, last: -Infinity,
      services: new Set(), endpoints: new Set(), unknownPaths: 0, tokens: new Set(), users: new Set(), ips: new Set(),
    });
  }

  /** An event of an attack went out. */
  observe(rec: SimRecord) {
    const inst = this.instances.get(rec.attack!);
    if (!inst) return;
    inst.events += 1;
    if (rec.ts < inst.first) inst.first = rec.ts;
    if (rec.ts > inst.last) inst.last = rec.ts;
    if (rec.tokenId) inst.tokens.add(rec.tokenId);
    if (rec.user) inst.users.add(rec.user);
    if (rec.srcService !== 'external') return;
    inst.ips.add(rec.clientIp);
    inst.services.add(rec.dstService);
    if (rec.endpoint) inst.endpoints.add(rec.endpoint);
    else inst.unknownPaths += 1;
  }

  /** Entries of the instances whose every event starts before `ts`, each once. */
  finishedBefore(ts: number): GroundTruthEntry[] {
    return this.take((inst) => inst.plan.end + SETTLE_MS <= ts);
  }

  /** Every entry not handed out yet (the end of a run): instances cut short say what they sent. */
  rest(): GroundTruthEntry[] {
    return this.take(() => true);
  }

  private take(done: (inst: Instance) => boolean): GroundTruthEntry[] {
    const out: GroundTruthEntry[] = [];
    for (const [id, inst] of this.instances) {
      if (!done(inst)) continue;
      this.instances.delete(id);
      if (inst.events > 0) out.push(this.entry(inst));
    }
    return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1));
  }

  private entry(inst: Instance): GroundTruthEntry {
    const { plan } = inst;
    return {
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
      actors: { tokens: sorted(inst.tokens), users: sorted(inst.users), ips: sorted(inst.ips) },
      expected_detections: SCENARIOS[plan.kind].expected,
    };
  }
}
