// A held-out run: the bank's day(s) as OTLP/JSON lines in arrival order, and the ground truth.
// Streams: the loop advances a minute at a time; only open exports, lines in flight and live
// agents are held.
import { planAttacks, scenarioOf } from './attacks';
import { arrivals, pushes } from './benign/arrivals';
import { customerVisit, visitor } from './benign/customers';
import { crawl, jobs, monitors } from './benign/machines';
import { partnerSchedule } from './benign/partners';
import { teller } from './benign/staff';
import { activity } from './config';
import type { Ev } from './exec';
import { Fleet } from './fleet';
import { homeAddress, mobileV6 } from './network';
import { BROWSERS } from './people';
import { rand } from './rand';
import { TruthBook, type TruthRecord } from './truth';
import { BankWorld, type HeldoutOptions } from './world';

export interface HeldoutSinks {
  /** a chunk of lines, each ending in a newline; awaited (a slow sink holds the run back) */
  write(chunk: string): void | Promise<void>;
  truth(records: TruthRecord[]): void;
  /** every event with its labels (tests) */
  observe?(ev: Ev): void;
  progress?(p: { at: number; events: number; lines: number }): void;
}

export interface HeldoutResult {
  events: number;
  lines: number;
  attacks: number;
  cohortDays: number;
  /** how much older a line's oldest event was than the newest event written before it */
  maxOutOfOrderMs: number;
}

/** Events a visit of each kind causes on average, measured on a scratch copy of the world. */
function calibrate(o: HeldoutOptions): { customer: number; visitor: number; crawl: number } {
  let events = 0;
  const scratch = new BankWorld({ ...o, start: Date.UTC(2025, 0, 7, 15) }, () => events++);
  const measure = (n: number, start: (k: number) => void) => {
    events = 0;
    for (let k = 0; k < n; k++) start(k);
    scratch.engine.runUntil(scratch.now + 12 * 3_600_000);
    return events / n;
  };
  const at = scratch.now;
  return {
    customer: measure(1500, (k) => { const r = rand('calibrate customer', k); scratch.engine.start(at, customerVisit(scratch, r, scratch.people.pick(r))); }),
    visitor: measure(300, (k) => { const r = rand('calibrate visitor', k); scratch.engine.start(at, visitor(scratch, r, homeAddress(r), r.pick(BROWSERS))); }),
    crawl: measure(300, (k) => scratch.engine.start(at, crawl(scratch, rand('calibrate crawl', k)))),
  };
}

export async function generateHeldout(o: HeldoutOptions, sinks: HeldoutSinks, stepMs = 60_000): Promise<HeldoutResult> {
  const truth = new TruthBook(o.seed);
  let fleet: Fleet | null = null;
  let events = 0;
  const emit = (ev: Ev) => {
    events++;
    sinks.observe?.(ev);
    truth.see(ev);
    fleet!.add(ev);
  };
  const w = new BankWorld(o, emit);
  fleet = new Fleet(o.seed, w.mesh);
  const end = o.start + o.hours * 3_600_000;
  const per = calibrate(o);
  const cfg = w.config;
  let peak = 0;
  for (let t = 0; t < 7 * 86_400_000; t += 600_000) peak = Math.max(peak, activity(cfg, o.start + t));
  // the rate's share of each source, in arrivals/s at time t (and at the week's peak)
  const source = (share: number, eventsEach: number) => ({ at: (t: number) => (share * o.rate * activity(cfg, t)) / eventsEach, peak: (share * o.rate * peak * 1.05) / eventsEach });
  const customers = source(0.9, per.customer);
  const visitors = source(0.06, per.visitor);
  w.engine.start(o.start, arrivals(w, 'customers', customers.at, customers.peak, end, (r) => customerVisit(w, r, w.people.pick(r))));
  w.engine.start(o.start, arrivals(w, 'visitors', visitors.at, visitors.peak, end, (r) => visitor(w, r, r.coin(0.4) ? mobileV6(r) : homeAddress(r), r.pick(BROWSERS))));
  w.engine.start(o.start, arrivals(w, 'crawlers', () => (0.04 * o.rate) / per.crawl, (0.04 * o.rate) / per.crawl, end, (r) => crawl(w, r)));
  w.engine.start(o.start, pushes(w, end));
  for (const p of cfg.partners) w.engine.start(o.start, partnerSchedule(w, p, end));
  const tellerShare = Math.min(1, w.scale);
  cfg.branches.forEach((b, i) => {
    for (let k = 0; k < b.tellers; k++) if (k === 0 || rand(o.seed, 'teller on duty', i, k).coin(tellerShare)) w.engine.start(o.start + k * 60_000, teller(w, i, k, end));
  });
  w.engine.start(o.start, monitors(w, end));
  w.engine.start(o.start, jobs(w, end));
  const plans = planAttacks(w, o.scenarios);
  for (const plan of plans) {
    truth.register(plan);
    w.engine.start(plan.start, scenarioOf(plan.scenario).run(w, plan, rand(plan.seed)));
  }

  const result: HeldoutResult = { events: 0, lines: 0, attacks: 0, cohortDays: 0, maxOutOfOrderMs: 0 };
  let newest = -Infinity;
  const deliver = async (lines: ReturnType<Fleet['arrived']>) => {
    if (!lines.length) return;
    let chunk = '';
    for (const l of lines) {
      result.maxOutOfOrderMs = Math.max(result.maxOutOfOrderMs, newest - l.oldest);
      newest = Math.max(newest, l.newest);
      chunk += `${l.text}\n`;
    }
    result.lines += lines.length;
    await sinks.write(chunk);
  };
  const hand = (records: TruthRecord[]) => {
    if (!records.length) return;
    result.attacks += records.filter((x) => x.type === 'attack').length;
    result.cohortDays += records.filter((x) => x.type === 'benign_cohort').length;
    sinks.truth(records);
  };
  for (let t = o.start + stepMs; ; t = Math.min(end, t + stepMs)) {
    w.engine.runUntil(t);
    fleet.closeBefore(t);
    await deliver(fleet.arrived(t));
    hand(truth.finished(t));
    sinks.progress?.({ at: t, events, lines: result.lines });
    if (t >= end) break;
  }
  fleet.closeBefore(Infinity);
  await deliver(fleet.arrived(Infinity));
  hand(truth.rest());
  result.events = events;
  return result;
}
