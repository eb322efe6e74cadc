// Anomalies of an endpoint as a whole (issue 10 §3): its request count and its refused
// sign-ins (401) over 5 and 30 minutes against a robust baseline of its own five-minute counts
// (median and MAD of the last hours; the baseline is frozen while the endpoint is under attack,
// so a long attack does not become the norm). Then spread: how many distinct addresses the
// anomaly comes from (HyperLogLog per five minutes, merged over the window) tells a distributed
// attack from one client. The actors named are the callers that appeared with the anomaly and
// behave like it: refused and never let in (credential stuffing, spraying), or calling far more
// than the endpoint's callers usually do (floods).
import type { DetectionKind, FeatureEvidence, Thresholds, Window } from '../types';
import { BUCKET_MIN, E, EndpointRecord, type Anomaly, type Caller } from './endpoint-record';
import { binomialSurprise } from '../binomial';
import { round, strengthOf, WINDOW_TEXT } from './strength';

/** five-minute buckets in the baseline (6 h) and the least it needs (30 min) */
const BASELINE_BUCKETS = 72;
/**
 * Request volume follows the day (the morning brings five times the night): it is compared with
 * the last hour only, and must be three times it. An hour of a day's curve never triples; a
 * flood is several times the usual load at once.
 */
const RATE_BASELINE_BUCKETS = 12;
const RATE_FACTOR = 3;
const MIN_BASELINE = 6;
/** minutes a five-minute bucket is left to fill before the baseline takes it: events come up to the engine's lateness (10 min) late */
const SETTLE_MIN = 10;
/** an anomaly ends after this long without its evidence */
const QUIET_MS = 10 * 60_000;
/** the longest a baseline stays frozen under an anomaly */
const MAX_FREEZE_MS = 3 * 3600_000;
/** callers named must have appeared at most this long before the anomaly began */
const NEW_CALLER_MS = 30 * 60_000;
/** …or, for refusals, this long (a spraying run ramps up over hours; the refused-and-never-let-in test is the strong one) */
const NEW_REFUSED_MS = 3 * 3600_000;
/** share of an address's recent requests that must have been refused for it to be named with a refusal anomaly */
const REFUSED_SHARE = 0.8;
/** addresses from which an anomaly counts as distributed */
export const DISTRIBUTED = 10;
/** calls in half an hour a person browsing makes to one endpoint: a caller this quiet does not explain a flood */
const PERSON_CALLS = 3;
/** share of a caller's recent requests that must be to the flooded endpoint for it to be named */
const FOCUS = 0.5;
/** share of the whole mesh's requests (from outside) a flood's excess must be, unless the endpoint is failing… */
const MESH_SHARE = 0.05;
/** …with this share of its requests answered 5xx */
const SERVER_ERROR_SHARE = 0.05;
/** before an endpoint has a baseline: callers refused and never let in (30 min) it takes to judge… */
const MIN_SHUT_OUT_YOUNG = 10;
/** …against this share of its callers (people who are refused mostly get in at a later try) */
const SHUT_OUT_SHARE = 0.25;
/** users signed in through one address that make it a shared one (an office, a carrier) */
const SHARED_BY = 2;

export interface GroupSignal {
  /** one incident per group while it lasts */
  group: string;
  kind: DetectionKind;
  service: string;
  strength: number;
  start: number;
  end: number;
  evidence: FeatureEvidence[];
  /** client addresses named */
  ips: string[];
}

/** What the engine knows of a caller beyond this endpoint. */
export interface CallerFacts {
  firstSeen(ip: string): number;
  /** share of its requests of the last half hour that were refused (401) */
  refusedShare(ip: string): number;
  /** its requests (to any endpoint) in the last half hour */
  requests(ip: string): number;
  /** distinct users signed in through it in the last half hour */
  users(ip: string): number;
  /** requests from outside to the whole mesh over the last `minutes` */
  meshRequests(minutes: number): number;
}

export class EndpointAnalyzer {
  pushHistory(r: EndpointRecord, minute: number, now: number): void {
    // the last five-minute bucket that events arriving late (up to SETTLE_MIN) can no longer add
    // to: a bucket taken as soon as it ended lacked its late events, and an out-of-order stream's
    // baseline came out at half its level, low enough for ordinary refusals to open an anomaly
    // that the frozen baseline then kept open for hours (tests). The buckets before the
    // endpoint's first call are not part of its baseline either (they were zeros).
    if (r.pushedBucket < 0) r.pushedBucket = Math.floor(minute / BUCKET_MIN) - 1;
    const bucket = Math.floor((minute - SETTLE_MIN) / BUCKET_MIN) - 1;
    if (bucket <= r.pushedBucket) return;
    const frozen = (x: Anomaly | null) => x !== null && now - x.since < MAX_FREEZE_MS;
    for (let b = r.pushedBucket + 1; b <= bucket; b++) {
      const m = (b + 1) * BUCKET_MIN - 1;
      // while under attack the baseline keeps what was usual before (for a while: a level that
      // lasts hours becomes the usual one)
      r.reqHistory.push(frozen(r.anomalies.rate) ? r.reqHistory.baseline(RATE_BASELINE_BUCKETS).median : r.ring.sum(E.REQ, m, BUCKET_MIN));
      r.authHistory.push(frozen(r.anomalies.auth) ? r.authHistory.baseline(BASELINE_BUCKETS).median : r.ring.sum(E.AUTH, m, BUCKET_MIN));
    }
    r.shutOutHistory.push(frozen(r.anomalies.auth) ? r.shutOutHistory.baseline(BASELINE_BUCKETS).median : r.shutOut(now));
    r.pushedBucket = bucket;
  }

  /** Request volume and refusals are judged apart: a flood may be refused too, and a stuffing run is not a flood. */
  evaluate(r: EndpointRecord, minute: number, now: number, t: Thresholds, who: CallerFacts): GroupSignal[] {
    this.pushHistory(r, minute, now);
    if (minute % BUCKET_MIN === 0) r.pruneCallers(now);
    // without a baseline of its own, only refusals are judged, by the share of callers shut out
    const young = r.reqHistory.count < MIN_BASELINE;
    if (young && !r.anomalies.auth && r.ring.sum(E.AUTH, minute, 30) < MIN_SHUT_OUT_YOUNG) return [];
    const out: GroupSignal[] = [];
    for (const kind of ['rate', 'auth'] as const) {
      if (young && kind === 'rate') continue;
      let judged = young
        ? this.judgeShutOutShare(r, now, t)
        : this.judge(r, kind === 'rate' ? E.REQ : E.AUTH, kind === 'rate' ? r.reqHistory.baseline(RATE_BASELINE_BUCKETS) : r.authHistory.baseline(BASELINE_BUCKETS), minute, t);
      if (kind === 'auth' && !young) {
        const shut = this.judgeShutOut(r, now, t);
        if (shut.s > judged.s) judged = shut;
      }
      let a = r.anomalies[kind];
      if (judged.s >= 0.6 || (a && judged.s >= 0.4)) {
        if (!a) r.anomalies[kind] = a = { kind, since: now - (judged.window === '30m' ? 30 : 5) * 60_000, last: now, strength: judged.s };
        a.last = now;
        a.strength = Math.max(a.strength, judged.s);
      } else if (a && now - a.last > QUIET_MS) {
        r.anomalies[kind] = a = null;
      }
      if (!a) continue;
      const g = this.signal(r, a, judged.evidence, minute, who);
      if (g) out.push(g);
    }
    return out;
  }

  private signal(r: EndpointRecord, a: Anomaly, judged: FeatureEvidence[], minute: number, who: CallerFacts): GroupSignal | null {
    // requests over the half hour beyond the usual (floods)
    const excess = r.ring.sum(E.REQ, minute, 30) - r.reqHistory.baseline(RATE_BASELINE_BUCKETS).median * 6;
    const ips = this.attribute(r, a.kind, a.since, minute, who, excess);
    if (!ips.length) return null;
    const evidence: FeatureEvidence[] = [...judged];
    const spread = r.distinct(a.kind === 'auth', minute, 30);
    const distributed = spread >= DISTRIBUTED && ips.length >= DISTRIBUTED;
    evidence.push({
      feature: a.kind === 'auth' ? 'refused_addresses' : 'addresses', window: '30m', value: Math.round(spread), baseline: null, deviation: null,
      text: `${Math.round(spread)} distinct addresses ${a.kind === 'auth' ? 'refused' : 'calling'} in 30 min (estimated); ${ips.length} appeared with the anomaly and are named`,
    });
    const latency = r.ring.sum(E.LAT, minute, 5) / Math.max(1, r.ring.sum(E.REQ, minute, 5));
    const errors = r.ring.sum(E.SERVER, minute, 5);
    if (a.kind === 'rate' && errors > 0) {
      evidence.push({ feature: 'server_errors', window: '5m', value: errors, baseline: null, deviation: null, text: `${errors} server errors (5xx) in 5 min; mean latency ${Math.round(latency)} ms` });
    }
    // a burst of requests from a few clients is a busy partner or a job as often as an attack:
    // a flood is named only when it comes from many addresses (single clients are judged on their own)
    if (a.kind === 'rate' && !distributed) return null;
    // a flood weighs on the mesh or breaks the endpoint: eighty sign-ins where twelve are usual
    // is the morning, not a denial of service
    if (a.kind === 'rate') {
      const failing = errors >= SERVER_ERROR_SHARE * Math.max(1, r.ring.sum(E.REQ, minute, 5));
      if (excess < MESH_SHARE * who.meshRequests(30) && !failing) return null;
    }
    const kind: DetectionKind = a.kind === 'auth' ? (distributed ? 'credential_stuffing' : 'brute_force') : 'dos';
    return {
      group: `${r.key}|${a.kind}|${a.since}`, kind, service: r.service, strength: a.strength, start: a.since, end: a.last, evidence, ips,
    };
  }

  /**
   * How many callers were refused and never let in over the last half hour, against the same
   * count before: people who mistype get in at the next try, a spraying run's hundreds of
   * addresses trying a password or two each never do — however slowly they go.
   */
  private judgeShutOut(r: EndpointRecord, now: number, t: Thresholds): { s: number; window: Window; evidence: FeatureEvidence[] } {
    const { median, mad } = r.shutOutHistory.baseline(BASELINE_BUCKETS);
    const value = r.shutOut(now);
    const scale = Math.max(1.4826 * mad, Math.sqrt(median + 1) * 1.5, 3);
    const z = (value - median) / scale;
    if (value < 2 * median + 10) return { s: 0, window: '30m', evidence: [] };
    return {
      s: strengthOf(z, t.windows['30m']), window: '30m',
      evidence: [{ feature: 'shut_out_callers', window: '30m', value, baseline: round(median), deviation: round(z),
        text: `${value} callers of ${r.endpoint} refused (401) and never let in over 30 min, usually ${round(median)} (±${round(1.4826 * mad)})` }],
    };
  }

  /**
   * An endpoint too new to have a baseline (the engine has just started, or it was first called
   * minutes ago) is judged on its callers of the last half hour alone: of those refused, people
   * mostly get in at a later try, so a half hour in which most of its callers were refused and
   * never let in is a guessing run that began before a baseline could form (which, learnt from
   * it, would have taken the run for the usual level). Binomial surprise of the callers shut out
   * against SHUT_OUT_SHARE, as a deviation (z = √(2·nats)).
   */
  private judgeShutOutShare(r: EndpointRecord, now: number, t: Thresholds): { s: number; window: Window; evidence: FeatureEvidence[] } {
    const { shutOut, letIn } = r.outcomes(now);
    if (shutOut < MIN_SHUT_OUT_YOUNG) return { s: 0, window: '30m', evidence: [] };
    const z = Math.sqrt(2 * binomialSurprise(shutOut, shutOut + letIn, SHUT_OUT_SHARE));
    return {
      s: strengthOf(z, t.windows['30m']), window: '30m',
      evidence: [{ feature: 'shut_out_share', window: '30m', value: shutOut, baseline: null, deviation: round(z),
        text: `${shutOut} of ${shutOut + letIn} callers of ${r.endpoint} refused (401) and never let in over 30 min, before it had a baseline (at most ${Math.round(SHUT_OUT_SHARE * 100)} % of callers are usual)` }],
    };
  }

  private judge(r: EndpointRecord, k: number, baseline: { median: number; mad: number }, minute: number, t: Thresholds): { s: number; window: Window; evidence: FeatureEvidence[] } {
    const { median, mad } = baseline;
    const what = k === E.AUTH ? 'refused requests (401)' : 'requests';
    let best = { s: 0, window: '5m' as Window, evidence: [] as FeatureEvidence[] };
    for (const [w, buckets] of [['5m', 1], ['30m', 6]] as const) {
      const value = r.ring.sum(k, minute, buckets * BUCKET_MIN);
      const base = median * buckets;
      // counts are at least Poisson-noisy; a few events more than usual are never an attack
      const scale = Math.max(1.4826 * mad * Math.sqrt(buckets), Math.sqrt(base + 1) * 1.5, 3);
      const z = (value - base) / scale;
      if (value < (k === E.REQ ? RATE_FACTOR : 2) * base + 10) continue;
      const s = strengthOf(z, t.windows[w]);
      if (s > best.s) {
        best = {
          s, window: w,
          evidence: [{ feature: k === E.AUTH ? 'endpoint_refusals' : 'endpoint_rate', window: w, value, baseline: round(base), deviation: round(z),
            text: `${value} ${what} to ${r.endpoint} in ${WINDOW_TEXT[w]}, usually ${round(base)} (±${round(1.4826 * mad * Math.sqrt(buckets))})` }],
        };
      }
    }
    return best;
  }

  /**
   * The callers an anomaly is attributed to, among those that appeared with it: for refusals,
   * every one refused and never let in; for a flood, the fewest that explain the excess over the
   * baseline, busiest first, down to callers no busier than a person (a crowd of ordinary new
   * visitors explains nothing).
   */
  private attribute(r: EndpointRecord, kind: 'rate' | 'auth', since: number, minute: number, who: CallerFacts, excessOfAll: number): string[] {
    const fresh: [string, Caller][] = [];
    for (const [ip, c] of r.callers) {
      if (c.last < since || who.firstSeen(ip) < since - (kind === 'auth' ? NEW_REFUSED_MS : NEW_CALLER_MS)) continue;
      fresh.push([ip, c]);
    }
    // refused here and never let in, and that is most of what the address did lately (someone
    // who mistyped and went on browsing with the app is not a sprayer). "Never" needs a minute to
    // be true: a person who mistypes is let in at the next try seconds later, and one judged in
    // between was named for good (incidents keep their members), so a refused caller is named
    // once its first call here is over a minute old (tests: a regular client mistyping during a
    // brute force's anomaly was named in it)
    if (kind === 'auth') return fresh.filter(([ip, c]) => c.auth >= 1 && c.ok === 0 && c.first < (minute - 1) * 60_000 && who.refusedShare(ip) >= REFUSED_SHARE).map(([ip]) => ip);
    let excess = excessOfAll;
    fresh.sort((x, y) => y[1].n - x[1].n);
    const out: string[] = [];
    for (const [ip, c] of fresh) {
      if (excess <= 0 || c.n <= PERSON_CALLS) break;
      // a bot hammers the endpoint; a person, an office or a carrier's address does other things too
      if (c.n < FOCUS * who.requests(ip)) continue;
      // several people signed in through one address are an office or a carrier starting their
      // day (a branch opening at nine floods its portal from a standing start), not one bot
      if (who.users(ip) >= SHARED_BY) continue;
      out.push(ip);
      excess -= c.n;
    }
    return out;
  }
}
