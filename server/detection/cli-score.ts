// Scoring of detections against a generator's ground truth (docs/simulator.md "Ground-truth
// file", heldout/README.md): the detection benchmark (scripts/bench-detection.ts) runs the
// engine over generated traffic with the `detect` CLI's runner and scores each file here.
//
// - An attack instance's actors are its tokens, users and ips. An actor is recalled when some
//   detection names it (same type and id) and the detection's [start, end] overlaps the
//   instance's [start, end + 10 min]. Recall of an instance: recalled / actors; of a scenario: the
//   mean over its instances (per generator: scenarios of the same name differ between them).
//   Only actors that some event fed carries count: one the console never saw (an address it
//   refused as malformed, say) cannot be named; they are counted apart (`unseenAttackActors`).
// - Benign actors: every token, user and client ip of the events fed that is an actor of no attack
//   instance of the file (a stolen token's owner is benign outside the attack, but is left out
//   altogether). fp_rate = benign actors named by any detection / benign actors. Per cohort: its
//   actors (attack actors left out) and how many of them a detection named.
// - Time to detect of an instance: the event time of the newest event fed when a detection that
//   recalls one of its actors first named that actor (the earliest such), less the instance's
//   start, in seconds (0 when named before the start). Newest event time, not the watermark: the
//   watermark trails it by the lateness, which would count the delay twice. Instances never
//   recalled have none; the benchmark reports the 95th percentile of the others.
import { readFileSync } from 'node:fs';
import type { ActorRef, EngineEvent } from './types';

export const ATTACK_GRACE_MS = 10 * 60_000;

/** Scenarios slow by design (target recall 0.8 rather than 0.95). */
export const LOW_AND_SLOW_SCENARIOS: ReadonlySet<string> = new Set(['password_spraying', 'low_and_slow', 'token_rotation', 'workflow_abuse', 'token_replay']);

export interface TruthActors {
  tokens: string[];
  users: string[];
  ips: string[];
}

export interface AttackTruth {
  id: string;
  scenario: string;
  start: number;
  end: number;
  actors: TruthActors;
}

export interface CohortTruth {
  cohort: string;
  actors: TruthActors;
}

export interface Truth {
  attacks: AttackTruth[];
  cohorts: CohortTruth[];
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function actorsOf(v: unknown): TruthActors {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  return { tokens: strings(o.tokens), users: strings(o.users), ips: strings(o.ips) };
}

function time(v: unknown, what: string): number {
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(t)) throw new Error(`${what} must be an ISO-8601 time`);
  return t;
}

/**
 * The ground truth from JSONL text: `attack` lines (and lines without `type`, from before
 * generator 2) and `benign_cohort` lines; other types are ignored. An instance written twice
 * (cut short by a restart) is merged: its actors joined, its window widened.
 */
export function parseTruth(text: string): Truth {
  const attacks = new Map<string, AttackTruth>();
  const cohorts: CohortTruth[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`ground truth line ${i + 1}: not JSON`);
    }
    const type = r.type ?? 'attack';
    if (type === 'benign_cohort') {
      cohorts.push({ cohort: String(r.cohort), actors: actorsOf(r.actors) });
      return;
    }
    if (type !== 'attack') return;
    const at = `ground truth line ${i + 1}`;
    const a: AttackTruth = {
      id: typeof r.id === 'string' ? r.id : `line-${i + 1}`, scenario: String(r.scenario),
      start: time(r.start, `${at}: start`), end: time(r.end, `${at}: end`), actors: actorsOf(r.actors),
    };
    const before = attacks.get(a.id);
    if (!before) attacks.set(a.id, a);
    else {
      before.start = Math.min(before.start, a.start);
      before.end = Math.max(before.end, a.end);
      for (const k of ['tokens', 'users', 'ips'] as const) before.actors[k] = [...new Set([...before.actors[k], ...a.actors[k]])];
    }
  });
  return { attacks: [...attacks.values()], cohorts };
}

export function readTruth(file: string): Truth {
  return parseTruth(readFileSync(file, 'utf8'));
}

/** `token:…`, `user:…`, `ip:…` for every actor listed. */
export function truthKeys(a: TruthActors): string[] {
  return [...a.tokens.map((id) => `token:${id}`), ...a.users.map((id) => `user:${id}`), ...a.ips.map((id) => `ip:${id}`)];
}

/** Adds the token, user and client ip of each event to `seen` (as `type:id`). */
export function addSeenActors(seen: Set<string>, events: readonly EngineEvent[]): void {
  for (const e of events) {
    if (e.tokenId) seen.add(`token:${e.tokenId}`);
    if (e.userId) seen.add(`user:${e.userId}`);
    if (e.clientIp) seen.add(`ip:${e.clientIp}`);
  }
}

/** What scoring needs of a detection (the runner's `TrackedDetection` is one). */
export interface ScoredDetection {
  actors: readonly ActorRef[];
  start: number;
  end: number;
  /** per `type:id`: the newest event time fed when the detection first named the actor */
  actorSince: ReadonlyMap<string, number>;
}

export interface InstanceScore {
  generator: string;
  scenario: string;
  id: string;
  actors: number;
  recalled: number;
  recall: number;
  /** seconds from the start to the first detection naming one of its actors; null: never recalled */
  ttdS: number | null;
}

export interface CohortScore {
  generator: string;
  cohort: string;
  actors: number;
  flagged: number;
}

export interface FileScore {
  generator: string;
  /** instances with at least one actor seen in the stream */
  instances: InstanceScore[];
  benignActors: number;
  benignFlagged: number;
  cohorts: CohortScore[];
  /** attack actors the truth lists that no event fed carries (a sign of mismatched decoding) */
  unseenAttackActors: number;
}

export function scoreFile(generator: string, truth: Truth, detections: readonly ScoredDetection[], seen: ReadonlySet<string>): FileScore {
  const named = new Map<string, ScoredDetection[]>();
  for (const d of detections) {
    for (const a of d.actors) {
      if (a.type !== 'token' && a.type !== 'user' && a.type !== 'ip') continue;
      const k = `${a.type}:${a.id}`;
      const list = named.get(k);
      if (list) list.push(d);
      else named.set(k, [d]);
    }
  }

  const attacking = new Set<string>();
  const instances: InstanceScore[] = [];
  let unseen = 0;
  for (const inst of truth.attacks) {
    const keys: string[] = [];
    for (const k of new Set(truthKeys(inst.actors))) {
      attacking.add(k);
      if (seen.has(k)) keys.push(k);
      else unseen += 1;
    }
    if (!keys.length) continue;
    const until = inst.end + ATTACK_GRACE_MS;
    let recalled = 0;
    let first = Number.POSITIVE_INFINITY;
    for (const k of keys) {
      let hit = false;
      for (const d of named.get(k) ?? []) {
        if (d.start > until || d.end < inst.start) continue;
        hit = true;
        first = Math.min(first, d.actorSince.get(k) ?? Number.POSITIVE_INFINITY);
      }
      if (hit) recalled += 1;
    }
    instances.push({
      generator, scenario: inst.scenario, id: inst.id, actors: keys.length, recalled, recall: recalled / keys.length,
      ttdS: recalled && Number.isFinite(first) ? Math.max(0, first - inst.start) / 1000 : null,
    });
  }

  let benignActors = 0;
  let benignFlagged = 0;
  for (const k of seen) {
    if (attacking.has(k)) continue;
    benignActors += 1;
    if (named.has(k)) benignFlagged += 1;
  }

  const byCohort = new Map<string, Set<string>>();
  for (const c of truth.cohorts) {
    let set = byCohort.get(c.cohort);
    if (!set) byCohort.set(c.cohort, (set = new Set()));
    for (const k of truthKeys(c.actors)) if (!attacking.has(k)) set.add(k);
  }
  const cohorts = [...byCohort].map(([cohort, set]) => {
    let flagged = 0;
    for (const k of set) if (named.has(k)) flagged += 1;
    return { generator, cohort, actors: set.size, flagged };
  });
  return { generator, instances, benignActors, benignFlagged, cohorts, unseenAttackActors: unseen };
}

// ---- across files -----------------------------------------------------------------------------

/** Nearest-rank percentile (p in 0–1); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export interface ScenarioSummary {
  /** `<generator>/<scenario>` */
  key: string;
  instances: number;
  recall: number;
  ttdP95S: number | null;
  lowAndSlow: boolean;
}

export interface BenchSummary {
  scenarios: ScenarioSummary[];
  /** summed per generator and cohort over the files */
  cohorts: CohortScore[];
  /** over the scenarios of every generator; null without any */
  recallMin: number | null;
  recallMean: number | null;
  benignActors: number;
  benignFlagged: number;
  /** benign actors flagged / benign actors, pooled over the files */
  fpRate: number | null;
  /** over the recalled instances of every file */
  ttdP95S: number | null;
}

export function summarize(files: readonly FileScore[]): BenchSummary {
  const byScenario = new Map<string, InstanceScore[]>();
  for (const f of files) {
    for (const i of f.instances) {
      const key = `${i.generator}/${i.scenario}`;
      const list = byScenario.get(key);
      if (list) list.push(i);
      else byScenario.set(key, [i]);
    }
  }
  const ttds = (list: readonly InstanceScore[]) => list.flatMap((i) => (i.ttdS === null ? [] : [i.ttdS]));
  const scenarios = [...byScenario].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, list]) => ({
    key,
    instances: list.length,
    recall: list.reduce((s, i) => s + i.recall, 0) / list.length,
    ttdP95S: percentile(ttds(list), 0.95),
    lowAndSlow: LOW_AND_SLOW_SCENARIOS.has(list[0].scenario),
  }));
  const cohortMap = new Map<string, CohortScore>();
  for (const f of files) {
    for (const c of f.cohorts) {
      const key = `${c.generator}/${c.cohort}`;
      const sum = cohortMap.get(key);
      if (sum) {
        sum.actors += c.actors;
        sum.flagged += c.flagged;
      } else cohortMap.set(key, { ...c });
    }
  }
  const recalls = scenarios.map((s) => s.recall);
  const benignActors = files.reduce((s, f) => s + f.benignActors, 0);
  const benignFlagged = files.reduce((s, f) => s + f.benignFlagged, 0);
  return {
    scenarios,
    cohorts: [...cohortMap].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, c]) => c),
    recallMin: recalls.length ? Math.min(...recalls) : null,
    recallMean: recalls.length ? recalls.reduce((s, r) => s + r, 0) / recalls.length : null,
    benignActors,
    benignFlagged,
    fpRate: benignActors ? benignFlagged / benignActors : null,
    ttdP95S: percentile(files.flatMap((f) => ttds(f.instances)), 0.95),
  };
}

// ---- report lines -----------------------------------------------------------------------------

const fixed = (v: number | null, digits: number) => (v === null ? 'NA' : v.toFixed(digits));

export function scenarioLine(s: ScenarioSummary): string {
  return `scenario=${s.key} instances=${s.instances} recall=${fixed(s.recall, 2)} ttd_p95_s=${fixed(s.ttdP95S, 0)}${s.lowAndSlow ? ' low_and_slow=1' : ''}`;
}

export function cohortLine(c: CohortScore): string {
  return `cohort=${c.generator}/${c.cohort} actors=${c.actors} fp=${c.flagged} fp_rate=${fixed(c.actors ? c.flagged / c.actors : null, 4)}`;
}

export function finalLine(s: BenchSummary, perf: { eventsPerS: number; peakRssMb: number }): string {
  return `bench:detection recall_min=${fixed(s.recallMin, 2)} recall_mean=${fixed(s.recallMean, 2)} fp_rate=${fixed(s.fpRate, 4)} ` +
    `ttd_p95_s=${fixed(s.ttdP95S, 0)} events_per_s=${Math.round(perf.eventsPerS)} peak_rss_mb=${Math.round(perf.peakRssMb)}`;
}
