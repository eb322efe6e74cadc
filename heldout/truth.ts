// The held-out ground truth, in the simulator's record format (docs/simulator.md): an `attack`
// line per attack instance, a `benign_cohort` line per cohort and UTC day.
import type { Plan } from './attacks/types';
import { scenarioOf } from './attacks';
import { HELDOUT_COHORTS } from './cohorts';
import type { Ev } from './exec';
import { GENERATOR } from './world';

interface Tally {
  events: number;
  first: number;
  last: number;
  tokens: Set<string>;
  users: Set<string>;
  ips: Set<string>;
}

export type TruthRecord = Record<string, unknown> & { type: 'attack' | 'benign_cohort'; id: string; start: string };

const DAY = 86_400_000;
const iso = (ms: number) => new Date(Math.floor(ms)).toISOString();
const list = (s: Set<string>) => [...s].sort();
const blank = (): Tally => ({ events: 0, first: Infinity, last: -Infinity, tokens: new Set(), users: new Set(), ips: new Set() });

function tally(t: Tally, ev: Ev, ipToo: boolean) {
  t.events++;
  t.first = Math.min(t.first, ev.ts);
  t.last = Math.max(t.last, ev.ts);
  if (ev.token) t.tokens.add(ev.token);
  if (ev.user) t.users.add(ev.user);
  if (ipToo) t.ips.add(ev.ip);
}

export class TruthBook {
  private readonly attacks = new Map<string, { plan: Plan; t: Tally; services: Set<string>; endpoints: Set<string>; unknown: number }>();
  private readonly cohorts = new Map<string, { cohort: string; day: number; t: Tally }>();

  constructor(private readonly seed: number) {}

  register(plan: Plan) {
    this.attacks.set(plan.id, { plan, t: blank(), services: new Set(), endpoints: new Set(), unknown: 0 });
  }

  see(ev: Ev) {
    if (!ev.label) return;
    const outside = ev.src === 'external';
    if (ev.label.attack) {
      const a = this.attacks.get(ev.label.attack);
      if (!a) return;
      tally(a.t, ev, outside);
      if (!outside) return;
      a.services.add(ev.dst);
      if (ev.route) a.endpoints.add(`${ev.dst} ${ev.method} ${ev.route.template}`);
      else a.unknown++;
      return;
    }
    for (const cohort of ev.label.cohorts ?? []) {
      const day = Math.floor(ev.ts / DAY);
      const key = `${cohort}|${day}`;
      let c = this.cohorts.get(key);
      if (!c) this.cohorts.set(key, (c = { cohort, day, t: blank() }));
      tally(c.t, ev, outside || ev.root);
    }
  }

  /** Lines of the attacks over two minutes before `ts` and of the days over, each once. */
  finished(ts: number): TruthRecord[] {
    return this.take((p) => p.end + 120_000 <= ts, (day) => (day + 1) * DAY <= ts);
  }

  rest(): TruthRecord[] {
    return this.take(() => true, () => true);
  }

  private take(attackOver: (p: Plan) => boolean, dayOver: (day: number) => boolean): TruthRecord[] {
    const out: TruthRecord[] = [];
    for (const [id, a] of this.attacks) {
      if (!attackOver(a.plan)) continue;
      this.attacks.delete(id);
      if (!a.t.events) continue;
      out.push({
        type: 'attack', id, scenario: a.plan.scenario, variant: a.plan.variant, seed: this.seed, generator: GENERATOR,
        start: iso(a.t.first), end: iso(a.t.last), events: a.t.events,
        targets: { services: list(a.services), endpoints: list(a.endpoints), unknown_paths: a.unknown, accounts: { targeted: list(a.plan.targeted), compromised: list(a.plan.compromised) } },
        actors: { tokens: list(a.t.tokens), users: list(a.t.users), ips: list(a.t.ips) },
        expected_detections: scenarioOf(a.plan.scenario).expected,
      });
    }
    for (const [key, c] of this.cohorts) {
      if (!dayOver(c.day)) continue;
      this.cohorts.delete(key);
      out.push({
        type: 'benign_cohort', id: `h${this.seed}-cohort-${c.cohort}-${iso(c.day * DAY).slice(0, 10)}`, cohort: c.cohort,
        description: HELDOUT_COHORTS[c.cohort].description, looks_like: HELDOUT_COHORTS[c.cohort].looksLike, seed: this.seed, generator: GENERATOR,
        start: iso(c.t.first), end: iso(c.t.last), events: c.t.events,
        actors: { tokens: list(c.t.tokens), users: list(c.t.users), ips: list(c.t.ips) },
      });
    }
    return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : 1));
  }
}
