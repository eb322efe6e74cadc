// Anomalies of an endpoint as a whole (issue 10 §3): its request count and its refused
// sign-ins (401) over 5 and 30 minutes against a robust baseline of its own five-minute counts
// (median and MAD of the last hours; the baseline is frozen while the endpoint is under attack,
// so a long attack does not become the norm). Then spread: how many distinct addresses the
// anomaly comes from (HyperLogLog per five minutes, merged over the window) tells a distributed
// attack from one client. The actors named are the callers that appeared with the anomaly and
// behave like it: refused and never let in (credential stuffing, spraying), or calling far more
// than the endpoint's callers usually do (floods).
import type { DetectionKind, FeatureEvidence, Thresholds, Window } from '../types';
import { medianAndMad } from './robust';
import { BUCKET_MIN, E, EndpointRecord, type Caller } from './endpoint-record';
import { PopulationHistogram } from './population';
import { round, strengthOf, WINDOW_TEXT } from './strength';

/** five-minute buckets in the baseline (6 h) and the least it needs (30 min) */
const BASELINE_BUCKETS = 72;
const MIN_BASELINE = 6;
/** an anomaly ends after this long without its evidence */
const QUIET_MS = 10 * 60_000;
/** callers named must have appeared at most this long before the anomaly began */
const NEW_CALLER_MS = 30 * 60_000;
/** addresses from which an anomaly counts as distributed */
export const DISTRIBUTED = 10;
/** callers an endpoint must have had before its own are the measure of a heavy one */
const MIN_CALLERS = 50;

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

export class EndpointAnalyzer {
  /** how many times each caller called an endpoint in half an hour, when nothing is going on (all endpoints) */
  private readonly callerCounts = new PopulationHistogram();

  pushHistory(r: EndpointRecord, minute: number): void {
    // the last complete five-minute bucket before `minute`
    const bucket = Math.floor(minute / BUCKET_MIN) - 1;
    if (bucket <= r.pushedBucket) return;
    for (let b = r.pushedBucket < 0 ? bucket : r.pushedBucket + 1; b <= bucket; b++) {
      const m = (b + 1) * BUCKET_MIN - 1;
      const frozen = r.anomaly !== null;
      const req = r.ring.sum(E.REQ, m, BUCKET_MIN);
      const auth = r.ring.sum(E.AUTH, m, BUCKET_MIN);
      // while under attack the baseline keeps what was usual before
      r.reqHistory.push(frozen && r.anomaly!.kind === 'rate' ? medianAndMad(r.reqHistory.recent(BASELINE_BUCKETS)).median : req);
      r.authHistory.push(frozen && r.anomaly!.kind === 'auth' ? medianAndMad(r.authHistory.recent(BASELINE_BUCKETS)).median : auth);
    }
    r.pushedBucket = bucket;
  }

  evaluate(r: EndpointRecord, minute: number, now: number, t: Thresholds, firstSeen: (ip: string) => number): GroupSignal | null {
    this.pushHistory(r, minute);
    if (r.anomaly === null) for (const ip of r.touched) {
      const c = r.callers.get(ip);
      if (!c) continue;
      this.callerCounts.add(c.n);
      r.callerCounts.add(c.n);
    }
    r.touched.clear();
    if (minute % BUCKET_MIN === 0) r.pruneCallers(now);
    if (r.reqHistory.count < MIN_BASELINE) return null;

    const rate = this.judge(r, E.REQ, r.reqHistory.recent(BASELINE_BUCKETS), minute, t);
    const auth = this.judge(r, E.AUTH, r.authHistory.recent(BASELINE_BUCKETS), minute, t);
    const top = auth.s >= rate.s ? { kind: 'auth' as const, ...auth } : { kind: 'rate' as const, ...rate };
    if (top.s >= 0.6 || (r.anomaly && top.s >= 0.4 && top.kind === r.anomaly.kind)) {
      if (!r.anomaly || r.anomaly.kind !== top.kind) r.anomaly = { kind: top.kind, since: now - (top.window === '30m' ? 30 : 5) * 60_000, last: now, strength: top.s };
      r.anomaly.last = now;
      r.anomaly.strength = Math.max(r.anomaly.strength, top.s);
    } else if (r.anomaly && now - r.anomaly.last > QUIET_MS) {
      r.anomaly = null;
    }
    if (!r.anomaly) return null;
    const a = r.anomaly;
    const ips = this.attribute(r, a.kind, a.since, firstSeen);
    if (!ips.length) return null;
    const evidence: FeatureEvidence[] = [...(a.kind === 'auth' ? auth.evidence : rate.evidence)];
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
    const kind: DetectionKind = a.kind === 'auth' ? (distributed ? 'credential_stuffing' : 'brute_force') : 'dos';
    return {
      group: `${r.key}|${a.kind}|${a.since}`, kind, service: r.service, strength: a.strength, start: a.since, end: a.last, evidence, ips,
    };
  }

  private judge(r: EndpointRecord, k: number, history: number[], minute: number, t: Thresholds): { s: number; window: Window; evidence: FeatureEvidence[] } {
    const { median, mad } = medianAndMad(history);
    const what = k === E.AUTH ? 'refused requests (401)' : 'requests';
    let best = { s: 0, window: '5m' as Window, evidence: [] as FeatureEvidence[] };
    for (const [w, buckets] of [['5m', 1], ['30m', 6]] as const) {
      const value = r.ring.sum(k, minute, buckets * BUCKET_MIN);
      const base = median * buckets;
      // counts are at least Poisson-noisy; a few events more than usual are never an attack
      const scale = Math.max(1.4826 * mad * Math.sqrt(buckets), Math.sqrt(base + 1) * 1.5, 3);
      const z = (value - base) / scale;
      if (value < 2 * base + 10) continue;
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

  private attribute(r: EndpointRecord, kind: 'rate' | 'auth', since: number, firstSeen: (ip: string) => number): string[] {
    // heavy for this endpoint (its own callers when it has had enough of them)
    const usual = r.callerCounts.weight >= MIN_CALLERS ? r.callerCounts : this.callerCounts;
    const heavy = Math.max(5, usual.quantile(0.99));
    const out: string[] = [];
    for (const [ip, c] of r.callers) {
      if (c.last < since) continue;
      if (!joined(kind, c, heavy)) continue;
      if (firstSeen(ip) < since - NEW_CALLER_MS) continue;
      out.push(ip);
    }
    return out;
  }
}

function joined(kind: 'rate' | 'auth', c: Caller, heavy: number): boolean {
  return kind === 'auth' ? c.auth >= 1 && c.ok === 0 : c.n > heavy;
}
