// Per-actor features over several windows at once, judged against what the population of the
// same kind of actor shows in the same window (robust statistics from decaying histograms):
// refused sign-ins (401) — brute force, and over 4 h and 24 h the slow kind; not-found answers
// over many distinct paths — a crawler; many distinct ids under one endpoint with answers that
// succeed — scraping; sensitive data sent back — exfiltration; forbidden answers (403) — a
// client reaching for what it may not have; other 4xx (402, 400, 422) — card testing, fuzzing.
// Ratio gates keep busy, mostly successful clients (carrier NAT, offices, partners) out of the
// failure features.
import type { ActorSignal, FeatureEvidence, Thresholds, Window } from '../types';
import { ActorRecord, C, D, HALF_HOUR_MS } from './actor-record';
import { BurstPeak } from './burst-peak';
import { PopulationHistogram, robustZ } from './population';
import { MIN_STRENGTH, round, strengthOf, WINDOW_TEXT } from './strength';

/** samples a population must hold before anyone is judged against it */
const MIN_POPULATION = 1000;
/** a burst of sensitive data must be this many times the actor's own usual */
const SELF_RATIO = 5;
/** half-life of the population histograms, in minutes of event time */
const POPULATION_HALF_LIFE_MIN = 6 * 60;

/**
 * Until a population has enough samples, a deliberately wide prior stands in for it: what 99 %
 * of actors stay under, per feature and window (a console just started, a quiet test mesh).
 * Only what is far beyond these is judged; the population replaces them within minutes of traffic.
 */
const PRIOR_P99: Record<string, Partial<Record<Window, number>>> = {
  refused_sign_ins: { '5m': 3, '30m': 5, '4h': 6, '24h': 10 },
  forbidden: { '5m': 3, '30m': 5, '4h': 8, '24h': 12 },
  not_found: { '5m': 5, '30m': 10 },
  rejected: { '5m': 5, '30m': 10 },
  distinct_paths: { '30m': 60 },
  ids_per_endpoint: { '30m': 40 },
  sensitive_out: { '5m': 40, '30m': 100 },
  repeat_reads: { '30m': 2 },
};

/** an anonymous address is judged on re-reads once it read this many distinct paths… */
const ANON_MIN_RESOURCES = 10;
/** …with at least this many reads (a visitor reloading a few pages is no scraper) */
const ANON_MIN_READS = 50;

/**
 * Volumes, judged on a logarithmic scale (their tails are long), with the floor of that scale;
 * counts of failures are judged as they are. Sensitive values come in batches (one page of a
 * list carries dozens), so a deviation of them is a wider step than one of distinct ids.
 */
const VOLUMES = new Map<string, number>([['sensitive_out', 1], ['distinct_paths', 0.5], ['ids_per_endpoint', 0.5], ['repeat_reads', 0.5]]);

function deviation(p: PopulationHistogram, feature: string, w: Window, v: number): { median: number; p99: number; z: number } | null {
  const logFloor = VOLUMES.get(feature);
  const log = logFloor !== undefined;
  if (p.weight >= MIN_POPULATION) return log ? p.logDeviation(v, logFloor) : p.deviation(v);
  const prior = PRIOR_P99[feature]?.[w];
  if (prior === undefined) return null;
  // the prior: a median of 0, its 99.9th percentile half as far again as its 99th
  return robustZ(v, [0, 0, 0, prior, 1.5 * prior], logFloor ?? 1, log ? Math.log1p : (x) => x);
}

/** What the actors that share an address with an actor did (its peers). */
export interface PeerFacts {
  /** the median over its peers of `f`, or null with fewer than two peers */
  median(a: ActorRecord, f: (peer: ActorRecord) => number): number | null;
}

const NO_PEERS: PeerFacts = { median: () => null };

interface Measure {
  window: Window;
  value: number;
  /** the share of the actor's requests in that window the value is about (gates) */
  share: number;
  /** learnt by the population as usual, but not judged (within what the actor itself has done before) */
  own?: boolean;
}

export class ActorAnalyzer {
  private readonly pops: PopulationHistogram[] = [];
  /** by actor type, feature and window (nested: no key strings built per lookup) */
  private readonly byType = new Map<string, Map<string, Map<Window, PopulationHistogram>>>();
  private readonly decay = 0.5 ** (1 / POPULATION_HALF_LIFE_MIN);

  private pop(type: string, feature: string, w: Window): PopulationHistogram {
    let byType = this.byType.get(type);
    if (!byType) this.byType.set(type, (byType = new Map()));
    let byFeature = byType.get(feature);
    if (!byFeature) byType.set(feature, (byFeature = new Map()));
    let p = byFeature.get(w);
    if (!p) {
      byFeature.set(w, (p = new PopulationHistogram()));
      this.pops.push(p);
    }
    return p;
  }

  /** once per minute of event time */
  minutePassed(): void {
    for (const p of this.pops) p.decay(this.decay);
  }

  /** `teach`: whether this look adds to the populations (once a minute per actor, so busy or often-judged actors do not weigh more) */
  evaluate(a: ActorRecord, minute: number, now: number, t: Thresholds, teach = true, peers: PeerFacts = NO_PEERS): ActorSignal[] {
    a.pruneSometimes(now);
    const type = a.ref.type;
    const req = { '5m': a.ring.sum(C.REQ, minute, 5), '30m': a.ring.sum(C.REQ, minute, 30), '4h': a.d4.get(D.REQ, now), '24h': a.d24.get(D.REQ, now) };
    const per = (c: number, d: number): Measure[] => {
      const v = { '5m': a.ring.sum(c, minute, 5), '30m': a.ring.sum(c, minute, 30), '4h': a.d4.get(d, now), '24h': a.d24.get(d, now) };
      return (['5m', '30m', '4h', '24h'] as const).map((w) => ({ window: w, value: v[w], share: req[w] > 0 ? v[w] / req[w] : 0 }));
    };
    // the same over 5 and 30 min only, from the minute counts (features with no long windows)
    const recent = (c: number): Measure[] => (['5m', '30m'] as const).map((w) => {
      const value = a.ring.sum(c, minute, w === '5m' ? 5 : 30);
      return { window: w, value, share: req[w] > 0 ? value / req[w] : 0 };
    });
    const learn = teach && a.flaggedUntil < now;
    const out: ActorSignal[] = [];
    const judge = (feature: string, kind: ActorSignal['kind'], ms: Measure[], minShare: number, text: (m: Measure, usual: number) => string, service: string | null) => {
      let best: { s: number; ev: FeatureEvidence } | null = null;
      const evidence: FeatureEvidence[] = [];
      for (const m of ms) {
        const p = this.pop(type, feature, m.window);
        const d = deviation(p, feature, m.window, m.value);
        // compared with actors that pass the same gate: refusals among mostly-refused clients, not among carrier NATs
        if (learn && m.share >= minShare) p.add(m.value);
        if (!d || m.share < minShare || m.value < 3 || m.own) continue;
        const s = strengthOf(d.z, t.windows[m.window]);
        if (s < MIN_STRENGTH) continue;
        const ev: FeatureEvidence = { feature, window: m.window, value: round(m.value), baseline: round(d.p99), deviation: round(d.z), text: text(m, d.p99) };
        evidence.push(ev);
        if (!best || s > best.s) best = { s, ev };
      }
      if (!best) return;
      out.push(this.signal(a, kind, best.s, evidence, service, now));
    };
    const busiest = a.busiestEndpoint();
    const mainService = busiest?.use.service ?? null;

    judge('refused_sign_ins', 'brute_force', per(C.AUTH, D.AUTH), 0.5,
      (m, u) => `${Math.round(m.value)} refused requests (401) in ${WINDOW_TEXT[m.window]}, ${pct(m.share)} of its requests; 99 % of ${type}s stay under ${round(u)}`, mainService);
    judge('forbidden', 'anomalous_sequence', per(C.DENY, D.DENY), 0.5,
      (m, u) => `${Math.round(m.value)} forbidden answers (403) in ${WINDOW_TEXT[m.window]}, ${pct(m.share)} of its requests; 99 % of ${type}s stay under ${round(u)}`, mainService);

    // requests the service turned down as they were (400, 402, 409, 422: a 4xx not counted above):
    // card testing pays with card after card, a fuzzer sends what no form would
    judge('rejected', 'anomalous_sequence', recent(C.REJECTED), 0.5,
      (m, u) => `${Math.round(m.value)} requests turned down (4xx other than 401, 403, 404 and 429) in ${WINDOW_TEXT[m.window]}, ${pct(m.share)} of its requests; 99 % of ${type}s stay under ${round(u)}`, mainService);

    // crawler: not-found answers over many distinct paths
    const distinct = a.paths.size;
    const nf = recent(C.NOTFOUND);
    const pathsPop = this.pop(type, 'distinct_paths', '30m');
    const pathsDev = deviation(pathsPop, 'distinct_paths', '30m', distinct);
    if (learn) pathsPop.add(distinct);
    if (pathsDev && pathsDev.z >= 2) {
      judge('not_found', 'crawler', nf, 0.25,
        (m, u) => `${Math.round(m.value)} not-found answers in ${WINDOW_TEXT[m.window]} over ${distinct} distinct paths (${pct(m.share)} of its requests); 99 % of ${type}s stay under ${round(u)}`, mainService);
    }

    // scraping and exfiltration are judged on clients (tokens, users): an address may stand for
    // a whole carrier's customers; it is named with the client it carries
    const client = type === 'token' || type === 'user';
    // scraping: many distinct ids under one endpoint, answered
    const widest = client ? a.widestEndpoint() : null;
    if (widest) {
      const ids = widest.use.paths.size;
      const p = this.pop(type, 'ids_per_endpoint', '30m');
      const d = deviation(p, 'ids_per_endpoint', '30m', ids);
      if (learn) p.add(ids);
      const okShare = widest.use.ok / Math.max(1, widest.use.n);
      // staff behind one office address all open many records: judged against them too
      const walked = d !== null && okShare >= 0.5 && ids >= 20;
      const peerIds = walked ? peers.median(a, (p) => p.endpoints.get(widest.key)?.paths.size ?? 0) : null;
      if (d && walked && (peerIds === null || ids >= SELF_RATIO * peerIds)) {
        const s = strengthOf(d.z, t.windows['30m']);
        if (s >= MIN_STRENGTH) {
          out.push(this.signal(a, 'scraping', s, [{
            feature: 'distinct_ids', window: '30m', value: ids, baseline: round(d.p99), deviation: round(d.z),
            text: `${ids} distinct paths under ${widest.key.slice(widest.use.service.length + 1)} in 30 min; 99 % of ${type}s stay under ${round(d.p99)}`,
          }], widest.use.service, now));
        }
      }
    }

    // an address with no token or user of its own is one anonymous client (a carrier's or an
    // office's address carries its people's tokens): judged on how often it re-reads the same
    // paths. A crawler indexes each page once; a scraper watching prices, rates or branches polls
    // the same pages again and again, whatever its address rotation. Paths, not endpoints: the
    // pages of a site (`/locations/ny/albany`) are often each their own endpoint.
    if (type === 'ip' && distinct >= ANON_MIN_RESOURCES && !a.carriesClients()) {
      const reads = req['30m'];
      const refused = a.ring.sum(C.AUTH, minute, 30) + a.ring.sum(C.DENY, minute, 30) + a.ring.sum(C.NOTFOUND, minute, 30);
      // re-reads per path: 0 for a client that reads each page once
      const repeats = reads / distinct - 1;
      const p = this.pop('ip_anonymous', 'repeat_reads', '30m');
      const d = deviation(p, 'repeat_reads', '30m', repeats);
      if (learn) p.add(repeats);
      if (d && reads >= ANON_MIN_READS && refused <= 0.5 * reads) {
        const s = strengthOf(d.z, t.windows['30m']);
        if (s >= MIN_STRENGTH) {
          out.push(this.signal(a, 'scraping', s, [{
            feature: 'repeat_reads', window: '30m', value: round(repeats), baseline: round(d.p99), deviation: round(d.z),
            text: `${reads} requests for ${distinct} distinct paths in 30 min (each read ${round(repeats + 1)} times) with no token or user; 99 % of anonymous addresses read a path again at most ${round(d.p99)} times`,
          }], mainService, now));
        }
      }
    }

    // sensitive data comes in bursts or not at all: the long windows would only count a customer's
    // own pages. Judged on the person (a user; a token only when it names none: staff sign in
    // afresh every morning) and against the person's own past as well as the population: support
    // staff read customers' data all day, a stolen session pages through it far faster.
    if (type === 'user' || (type === 'token' && !a.hasUser)) {
      const ageMin = Math.max(0, (now - a.firstSeen) / 60_000);
      const peak = (a.sensitivePeak ??= new BurstPeak());
      const sens = recent(C.SENS_OUT).map((m) => {
        const span = m.window === '5m' ? 5 : 30;
        // what this actor usually gets in such a window, from the decayed day before the window;
        // the population learns bursts by that. A burst is judged only beyond the most the actor
        // got in one before, too (a person reading records works in bursts)
        const before = Math.max(0, a.d24.get(D.SENS_OUT, now) - m.value);
        const usual = ageMin > span ? (before * span) / Math.min(1440, ageMin - span) : 0;
        return { ...m, share: m.value >= SELF_RATIO * usual ? 1 : 0, own: m.value < SELF_RATIO * peak.get(m.window === '5m' ? 0 : 1) };
      });
      // a run that looked like an attack is not what the person usually does
      if (learn) peak.observe(now, sens[0].value, sens[1].value);
      // …and against its peers: the others signed in through the same address (support staff in
      // one office read customers' data all day, all of them; one of them dumping it stands out)
      const burst = sens.some((m) => m.share === 1 && m.value >= 3);
      const peerUsual = burst ? peers.median(a, (p) => p.ring.sum(C.SENS_OUT, minute, 30)) : null;
      if (peerUsual !== null) for (const m of sens) if (m.value < SELF_RATIO * peerUsual * (m.window === '5m' ? 5 / 30 : 1)) m.share = 0;
      judge('sensitive_out', 'exfiltration', sens, 1,
        (m, u) => `${Math.round(m.value)} sensitive values sent back in ${WINDOW_TEXT[m.window]}, several times its own usual; 99 % of ${type}s stay under ${round(u)}`, mainService);
    }
    return out;
  }

  private signal(a: ActorRecord, kind: ActorSignal['kind'], strength: number, evidence: FeatureEvidence[], service: string | null, now: number): ActorSignal {
    return {
      actor: a.ref, service: service ?? '', kind, strength, start: Math.max(a.firstSeen, now - HALF_HOUR_MS), end: a.lastSeen, evidence,
      examples: a.examples.map((e) => e.requestId),
    };
  }
}

function pct(share: number): string {
  return `${Math.round(share * 100)} %`;
}
