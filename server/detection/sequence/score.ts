// A session part's likelihood under the model, step by step, and how unusual that is for its
// kind of client. Each step costs its surprise (−ln p of the next endpoint, and of the call's
// outcome there); what a usual step costs is free, the rest is "unexplained surprise". Repeats of
// one unlikely step add less and less (1/n): a loop is one finding that grows slowly, so volume
// stays the rate analysers' business. A
// part's unexplained surprise is placed in the distribution of its kind's parts of similar length,
// so a long benign session is not penalised for having many steps; one rare step alone stays weak
// (benign clients take one now and then), several distinct ones add up.
import type { Pending, RefusalEvidence, RepeatNote, SessionPart, StepNote } from './actor';
import { MAX_NOTES } from './actor';
import type { Audience } from './audience';
import type { BehaviourClusters } from './clusters';
import { addStep, DIM } from './clusters';
import type { EndpointUse } from './endpoint-use';
import { clamp01, combine } from './format';
import type { SessionPopulation } from './population';
import { refusalTail, type ServiceRefusals } from './refusals';
import type { RepeatStats } from './repeats';
import type { TokenRates } from './token-rates';
import type { UnreadRates } from './unread-objects';
import { newEstimate, type TransitionModel } from './transitions';
import { baseOf, Outcome, outcomeOfState, type Vocab } from './vocab';

/** steps (and outcomes) more probable than 1 % carry no evidence */
const USUAL = Math.log(100);
/** a required step skipped by more than 5 % of the clients reaching an endpoint is no finding */
const USUAL_SKIP = Math.log(20);
/** …and one skipped by fewer than 0.5 % of them is a strong one */
const STRONG_SKIP = Math.log(200) - USUAL_SKIP;
/** distinct steps a part remembers for its repeat discount (beyond it, a new step counts as new) */
const MAX_SEEN = 512;
/** an anonymous actor may be many people behind one address and browser */
export const ANONYMOUS_FACTOR = 0.6;
/** calls from inside the mesh with a forwarded token repeat what the client did outside, interleaved */
export const INTERNAL_FACTOR = 0.5;
/** share of the population at which evidence starts to count, and the decades to full strength */
const TAIL_FLOOR = 2.5;
const TAIL_DECADES = 3;
/** the most a part's surprise can say with 0, 1, 2, … distinct unlikely steps */
const BY_RARE_STEPS = [0, 0.3, 0.5, 0.65, 0.8, 0.9, 1];
/** refusals: at least this many, and this share of the part's requests to the service */
const MIN_REFUSALS = 3;
const MIN_REFUSED_SHARE = 0.2;
const MAX_REFUSAL_STRENGTH = 0.8;

export interface Models {
  vocab: Vocab;
  model: TransitionModel;
  population: SessionPopulation;
  clusters: BehaviourClusters;
  audience: Audience;
  endpointUse: EndpointUse;
  tokenRates: TokenRates;
  refusals: ServiceRefusals;
  repeats: RepeatStats;
  unreadRates: UnreadRates;
}

export const transitionKey = (from: number, to: number) => from * 65_536 + to;

/** Strength from how rare something is in its population: nothing at 0.3 %, half at 0.01 %, full at 0.0003 %. */
export function tailStrength(share: number): number {
  return clamp01((-Math.log10(Math.max(share, 1e-12)) - TAIL_FLOOR) / TAIL_DECADES);
}

/** Scores one step of a part and adds it. */
const scratch = newEstimate();

export function step(m: Models, part: SessionPart, ev: Pending, external: boolean): void {
  const from = part.prev;
  const to = ev.state;
  const base = baseOf(to);
  const est = m.model.estimate(part.kind, from, to, part.earlier, scratch);
  // With little known, nothing can be very surprising: each surprise is capped by what it rests on.
  const forward = Math.min(-Math.log(est.p), Math.log(2 + est.support));
  const outcome = Math.min(-Math.log(est.pOutcome), Math.log(2 + est.outcomeSupport));
  // A step every client reaching this endpoint took right before it, and this session never took.
  const skipped = est.requiredFrom >= 0 && !part.visited.has(est.requiredFrom);
  const skip = skipped ? Math.log((est.requiredSupport + 1) / (est.requiredSupport * (1 - est.requiredShare) + 0.5)) : 0;
  const key = transitionKey(from, to);
  const prior = part.seen.get(key);
  const n = (prior ?? 0) + 1;
  if (prior !== undefined || part.seen.size < MAX_SEEN) part.seen.set(key, n);
  const over = Math.max(0, forward - USUAL, skip - USUAL_SKIP) + Math.max(0, outcome - USUAL);
  if (over > 0) {
    // the same unlikely step again adds less each time (harmonic): a loop is one finding, growing slowly
    part.excess += over / n;
    // a required step skipped where hardly any client skips it counts like three ordinary findings
    if (n === 1) part.rare += skip - USUAL_SKIP >= STRONG_SKIP ? 3 : 1;
    note(part, {
      from, to, p: est.p, pOutcome: est.pOutcome, share: est.share, kindSupport: est.kindSupport,
      required: skipped ? { from: est.requiredFrom, share: est.requiredShare, support: est.requiredSupport } : null,
      surprise: over, count: 1, examples: [ev.requestId],
    });
  }
  part.surprise += forward + outcome;
  part.steps += 1;
  if (part.visited.size < 256) part.visited.add(base);
  const c = part.counts.get(to);
  if (c !== undefined || part.counts.size < MAX_SEEN) part.counts.set(to, (c ?? 0) + 1);
  if (part.earlier.length >= 2) part.earlier.pop();
  part.earlier.unshift(from);
  part.prev = to;
  part.last = ev.ts;
  // What only calls from outside need: refusals by service, and the vector for the clusters.
  // (Calls inside the mesh follow them; leaving this out keeps their many short parts light.)
  if (!external) return;
  const services = (part.services ??= new Map());
  const svc = ev.info.service;
  let s = services.get(svc);
  if (!s) services.set(svc, (s = { requests: 0, forbidden: 0 }));
  s.requests += 1;
  if (outcomeOfState(to) === Outcome.Forbidden) {
    s.forbidden += 1;
    part.forbidden += 1;
    const endpoints = (part.forbiddenEndpoints ??= new Set());
    if (endpoints.size < 64) endpoints.add(base);
  }
  addStep((part.vector ??= new Float32Array(DIM)), from, to);
}

function note(part: SessionPart, n: StepNote): void {
  const same = part.notes.find((x) => x.from === n.from && x.to === n.to);
  if (same) {
    same.count += 1;
    if (same.examples.length < 3) same.examples.push(n.examples[0]);
    return;
  }
  if (part.notes.length < MAX_NOTES) {
    part.notes.push(n);
  } else {
    let weakest = 0;
    for (let i = 1; i < part.notes.length; i++) if (part.notes[i].surprise < part.notes[weakest].surprise) weakest = i;
    if (part.notes[weakest].surprise >= n.surprise) return;
    part.notes[weakest] = n;
  }
  part.notes.sort((a, b) => b.surprise - a.surprise);
}

export interface PartJudgement {
  strength: number;
  /** unexplained surprise of the steps and of the repeats, and distinct findings */
  excess: number;
  rare: number;
  repeats: RepeatNote[];
  /** share of the kind's parts of this length with at least this much unexplained surprise */
  tail: number;
  clusterDistance: number | null;
  clusterTail: number | null;
  refusals: RefusalEvidence | null;
}

/** The part's unexplained surprise: its steps', and its repeats' beyond what sessions usually do. */
export function partExcess(m: Models, part: SessionPart): { excess: number; rare: number; repeats: RepeatNote[] } {
  let excess = part.excess;
  let rare = part.rare;
  const repeats: RepeatNote[] = [];
  for (const [state, count] of part.counts) {
    if (count < 2) continue;
    const r = m.repeats.estimate(part.kind, state, count, part.steps, baseOf(state));
    if (!r || r.surprise <= USUAL) continue;
    excess += r.surprise - USUAL;
    rare += 1;
    repeats.push({ state, count, steps: part.steps, usualRate: r.usualRate, expected: r.expected, sessions: r.sessions, surprise: r.surprise });
  }
  repeats.sort((a, b) => b.surprise - a.surprise);
  return { excess, rare, repeats: repeats.slice(0, 3) };
}

/** The service that refused the part most, against how often it refuses its own clients. */
function refusals(m: Models, part: SessionPart): RefusalEvidence | null {
  if (part.forbidden < MIN_REFUSALS) return null;
  let best: RefusalEvidence | null = null;
  if (!part.services) return null;
  for (const [service, s] of part.services) {
    if (s.forbidden < MIN_REFUSALS || s.forbidden < MIN_REFUSED_SHARE * s.requests) continue;
    const rate = m.refusals.rate(service);
    const tail = refusalTail(s.forbidden, s.requests, rate);
    if (!best || tail < best.tail) best = { service, requests: s.requests, forbidden: s.forbidden, endpoints: part.forbiddenEndpoints?.size ?? 0, rate, tail };
  }
  return best;
}

/** How unusual a part is for its kind: its unexplained surprise, its distance from the usual behaviours, its refusals. */
export function judgePart(m: Models, part: SessionPart, anonymous: boolean, internal: boolean): PartJudgement {
  const { excess, rare, repeats } = partExcess(m, part);
  const tail = m.population.excessTail(part.kind, part.steps, excess);
  const surprise = Math.min(tailStrength(tail), BY_RARE_STEPS[Math.min(rare, BY_RARE_STEPS.length - 1)]);
  let clusterDistance: number | null = null;
  let clusterTail: number | null = null;
  let behaviour = 0;
  if (part.steps >= 4 && part.vector) {
    // the distance moves little from one step to the next: measured again when the part doubled
    if (part.steps >= 2 * part.nearestAt || part.nearest === null) {
      part.nearest = m.clusters.nearest(part.kind, part.vector);
      part.nearestAt = part.steps;
    }
    const near = part.nearest;
    if (near.established >= 3) {
      clusterDistance = near.distance;
      clusterTail = m.population.distance(part.kind).tail(near.distance);
      // a minor voice: an unusual mix of usual steps is weak evidence on its own
      behaviour = 0.3 * clamp01((-Math.log10(Math.max(clusterTail, 1e-12)) - 2) / 2);
    }
  }
  const refused = internal ? null : refusals(m, part);
  // one endpoint refused again and again is a retry; several are a search for what is allowed
  const refusal = refused ? Math.min(MAX_REFUSAL_STRENGTH, tailStrength(refused.tail)) * (refused.endpoints >= 2 ? 1 : 0.5) : 0;
  let strength = combine(surprise, behaviour, refusal);
  if (anonymous) strength *= ANONYMOUS_FACTOR;
  if (internal) strength *= INTERNAL_FACTOR;
  return { strength, excess, rare, repeats, tail, clusterDistance, clusterTail, refusals: refused };
}
