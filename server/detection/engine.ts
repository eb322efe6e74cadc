// The detection engine (issue 10): access events in, in event time and out of order within
// `latenessMs`; detections out, as incidents naming their actors, with a score 0–100 and evidence.
//
// Three analyzers watch the stream. Per-actor features over 5 min, 30 min, 4 h and 24 h are
// judged each minute of event time against the population of the same kind of actor
// (windows/actor-analyzer.ts); endpoints are judged against their own baseline, with the spread
// of addresses behind an anomaly (windows/endpoint-analyzer.ts); the sequence model judges
// sessions (sequence.ts). Counting does not wait for the watermark — counts do not care about
// order — so an attack is seen minutes after it starts, not a lateness later; only the sequence
// model, which needs events in order, works up to the watermark.
//
// Memory is bounded: actors idle for a day (or the least recently seen beyond MAX_ACTORS) and
// endpoints beyond MAX_ENDPOINTS are forgotten; every per-actor and per-endpoint structure has a cap.
import { hash32 } from '@/server/discovery/distinct-sketch';
import { AllowMatcher } from './allow-match';
import { SequenceAnalyzer } from './sequence';
import { ipGroup } from './sequence/client';
import { DEFAULT_THRESHOLDS, type ActorRef, type ActorSignal, type AllowEntry, type Analyzer, type Detection, type DetectionKind, type EngineEvent, type ExampleEvent, type Thresholds, type ThresholdSet } from './types';
import { ActorAnalyzer, type PeerFacts } from './windows/actor-analyzer';
import { ActorRecord, C, D, recentLinks } from './windows/actor-record';
import { EndpointAnalyzer, type CallerFacts } from './windows/endpoint-analyzer';
import { EndpointRecord } from './windows/endpoint-record';
import { actorKey, IncidentBook, type Incident } from './windows/incidents';
import { MinuteRing, RING_MINUTES } from './windows/minute-ring';
import { MIN_STRENGTH } from './windows/strength';
import { resourceKey } from './windows/resource';

export interface EngineOptions {
  thresholds?: ThresholdSet;
  allow?: AllowEntry[];
  /** how late an event may arrive after the newest one seen (batches from proxies arrive minutes apart) */
  latenessMs?: number;
  /** replaces the sequence model (tests); the window analyzers always run */
  analyzers?: Analyzer[];
  maxActors?: number;
}

export const DEFAULT_LATENESS_MS = 10 * 60_000;
export const MAX_ACTORS = 400_000;
const MAX_ENDPOINTS = 20_000;
const DAY_MS = 24 * 3600_000;
/** a linked actor is named with an actor when at least this share of its recent requests came with it */
const LINK_SHARE = 0.5;
/** …and it is at least this share of the actor's own requests */
const MIN_PART = 0.05;
/** kinds of attack on sign-in: the accounts an address got into are named with it (takenOver) */
const TAKEOVER_KINDS: ReadonlySet<DetectionKind> = new Set(['brute_force', 'credential_stuffing']);
/** …unless more users than this came to the address since the attack began (a shared address) */
const MAX_TAKEN_OVER = 2;
const ALLOW_CACHE = 100_000;
/** between minutes, actors are looked at again at most this often (event time) */
const EARLY_JUDGE_MS = 30_000;
/** after this long watching the mesh, an endpoint called for the first time was not called before… */
const QUIET_KNOWN_MS = 3_600_000;
/** …and starts with this many five-minute buckets of silence as its baseline (the hour a volume is compared with) */
const QUIET_BUCKETS = 12;

export interface EngineStats {
  events: number;
  late: number;
  actors: number;
  endpoints: number;
  incidents: number;
}

export class DetectionEngine {
  private thresholds: ThresholdSet;
  private allow: AllowMatcher;
  private userAgents: string[] = [];
  private readonly allowed = new Map<string, boolean>();
  readonly latenessMs: number;
  private readonly analyzers: Analyzer[];
  private readonly maxActors: number;
  private newest = Number.NEGATIVE_INFINITY;
  /** the oldest event time seen: how long the engine has watched the mesh */
  private firstTs = Number.POSITIVE_INFINITY;
  /** requests from outside to the whole mesh, per minute (a flood's weight) */
  private readonly meshRing = new MinuteRing(1);
  private minute = -1;
  private readonly actors = new Map<string, ActorRecord>();
  private readonly endpoints = new Map<string, EndpointRecord>();
  private readonly active = new Set<ActorRecord>();
  private readonly scratch: ActorRecord[] = [];
  private readonly activeEndpoints = new Set<EndpointRecord>();
  private readonly actorAnalyzer = new ActorAnalyzer();
  private readonly endpointAnalyzer = new EndpointAnalyzer();
  private readonly book = new IncidentBook();
  private readonly callerFacts: CallerFacts = {
    firstSeen: (ip) => this.actors.get(`ip:${ip}`)?.firstSeen ?? this.newest,
    refusedShare: (ip) => {
      const a = this.actors.get(`ip:${ip}`);
      if (!a) return 0;
      return a.ring.sum(C.AUTH, this.minute, 30) / Math.max(1, a.ring.sum(C.REQ, this.minute, 30));
    },
    requests: (ip) => this.actors.get(`ip:${ip}`)?.ring.sum(C.REQ, this.minute, 30) ?? 0,
    users: (ip) => this.actors.get(`ip:${ip}`)?.usersSince(this.newest - 30 * 60_000) ?? 0,
    meshRequests: (minutes) => this.meshRing.sum(0, this.minute, minutes),
  };
  /**
   * An actor's peers: the other people signed in through one of its addresses in the last half
   * hour — users for a user, tokens that came with a user for such a token. Anonymous tokens
   * have none: a scraper's rotating guest tokens on one address are not each other's peers.
   */
  private readonly peerFacts: PeerFacts = {
    median: (a, f) => {
      if (a.ref.type === 'token' && !a.hasUser) return null;
      const kind = a.ref.type === 'user' ? 'user:' : 'token:';
      const since = this.newest - 30 * 60_000;
      const seen = new Set<string>([a.key]);
      for (const k of a.links.keys()) seen.add(k);
      const values: number[] = [];
      for (const [key, l] of a.links) {
        if (!key.startsWith('ip:') || l.last < since) continue;
        const ip = this.actors.get(key);
        if (!ip) continue;
        for (const [peerKey, pl] of ip.links) {
          if (pl.last < since || !peerKey.startsWith(kind) || seen.has(peerKey)) continue;
          seen.add(peerKey);
          const peer = this.actors.get(peerKey);
          if (peer && (peer.ref.type === 'user' || peer.hasUser)) values.push(f(peer));
        }
      }
      if (values.length < 2) return null;
      values.sort((x, y) => x - y);
      return values[values.length >> 1];
    },
  };
  private lastSweep = Number.NEGATIVE_INFINITY;
  private judgedAt = Number.NEGATIVE_INFINITY;
  private newestAtAdvance = Number.NEGATIVE_INFINITY;
  readonly stats: EngineStats = { events: 0, late: 0, actors: 0, endpoints: 0, incidents: 0 };

  constructor(o: EngineOptions = {}) {
    this.thresholds = o.thresholds ?? { global: DEFAULT_THRESHOLDS, services: {} };
    this.allow = new AllowMatcher([]);
    this.setAllowList(o.allow ?? []);
    this.latenessMs = o.latenessMs ?? DEFAULT_LATENESS_MS;
    this.analyzers = o.analyzers ?? [new SequenceAnalyzer()];
    this.maxActors = o.maxActors ?? MAX_ACTORS;
  }

  setThresholds(t: ThresholdSet): void {
    this.thresholds = t;
  }

  setAllowList(a: AllowEntry[]): void {
    this.allow = new AllowMatcher(a);
    this.userAgents = a.filter((e) => e.type === 'user_agent').map((e) => e.value.toLowerCase()).filter((v) => v.length > 0);
    this.allowed.clear();
  }

  private thresholdsFor(service: string | null): Thresholds {
    return (service && this.thresholds.services[service]) || this.thresholds.global;
  }

  /** The watermark the stream itself allows: the newest event time less the lateness. */
  get watermark(): number {
    return this.newest - this.latenessMs;
  }

  /** Takes events in any order; ones older than the watermark already passed count as late and feed only what allows it. */
  observe(events: readonly EngineEvent[]): void {
    for (const e of events) {
      if (!Number.isFinite(e.ts)) continue;
      this.stats.events++;
      if (e.ts < this.firstTs) this.firstTs = e.ts;
      if (e.ts > this.newest) {
        this.newest = e.ts;
        const m = Math.floor(e.ts / 60_000);
        if (m > this.minute) {
          if (this.minute >= 0) this.tick(m);
          this.minute = m;
        }
      } else if (e.ts < this.watermark) this.stats.late++;
      if (this.isAllowed(e)) continue;
      for (const a of this.analyzers) a.observe(e);
      if (e.srcService === 'external') this.count(e);
    }
  }

  private isAllowed(e: EngineEvent): boolean {
    if (this.allow.empty && !this.userAgents.length) return false;
    const key = `${e.clientIp ?? ''}|${e.tokenId ?? ''}|${e.userId ?? ''}|${e.srcService}|${e.userAgent ?? ''}`;
    const hit = this.allowed.get(key);
    if (hit !== undefined) return hit;
    const ua = (e.userAgent ?? '').toLowerCase();
    const yes = (e.clientIp !== null && this.allow.allows({ type: 'ip', id: e.clientIp }))
      || (e.tokenId !== null && this.allow.allows({ type: 'token', id: e.tokenId }))
      || (e.userId !== null && this.allow.allows({ type: 'user', id: e.userId }))
      || (e.srcService !== 'external' && this.allow.allows({ type: 'service', id: e.srcService }))
      || (ua.length > 0 && this.userAgents.some((s) => ua.includes(s)));
    if (this.allowed.size >= ALLOW_CACHE) this.allowed.clear();
    this.allowed.set(key, yes);
    return yes;
  }

  /** Counts one request from outside the mesh for its actors and its endpoint. */
  private count(e: EngineEvent): void {
    const minute = Math.floor(e.ts / 60_000);
    const records = this.scratch;
    records.length = 0;
    if (e.tokenId) {
      const t = this.actor('token', e.tokenId, e.ts);
      if (e.userId) t.hasUser = true;
      records.push(t);
    }
    if (e.userId) records.push(this.actor('user', e.userId, e.ts));
    if (e.clientIp) {
      const ip = this.actor('ip', e.clientIp, e.ts);
      records.push(ip);
      records.push(this.actor('ip_group', (ip.group ??= ipGroup(e.clientIp)), e.ts));
    }
    this.meshRing.add(minute, 0, 1, this.minute);
    const endpointKey = `${e.dstService} ${e.endpoint}`;
    const pathHash = hash32(`${e.dstService} ${resourceKey(e.path, e.query)}`);
    let sens = 0;
    if (e.sensitive) for (const s of e.sensitive) if (s.direction === 'response') sens += s.count;
    const error = e.status >= 400;
    // one example per request, shared by its actors, naming the first of them (token, or address)
    const example = records.length ? { requestId: e.requestId, ts: e.ts, method: e.method, path: e.path, status: e.status, actor: records[0].ref } : null;
    for (let i = 0; i < records.length; i++) {
      const a = records[i];
      a.touch(e.ts);
      a.countRequest(e.ts, minute, this.minute, e.status, sens);
      a.useEndpoint(endpointKey, e.dstService, pathHash, e.ts, e.status);
      if (example) a.example(example);
      this.active.add(a);
      if (i === 0) this.book.of(a.key)?.count(minute, error);
    }
    // links between the actors of one request (not between an address and its own group)
    for (let i = 0; i < records.length; i++) {
      for (let j = 0; j < records.length; j++) {
        if (i === j) continue;
        const ti = records[i].ref.type;
        const tj = records[j].ref.type;
        if ((ti === 'ip' && tj === 'ip_group') || (ti === 'ip_group' && tj !== 'ip')) continue;
        records[i].link(records[j].key, e.ts);
      }
    }
    let ep = this.endpoints.get(endpointKey);
    if (!ep) {
      if (this.endpoints.size >= MAX_ENDPOINTS) this.sweepEndpoints();
      if (this.endpoints.size < MAX_ENDPOINTS) {
        this.endpoints.set(endpointKey, (ep = new EndpointRecord(endpointKey, e.dstService, e.endpoint)));
        // seen from the start of the engine's hour of traffic and never called: that is its baseline
        if (e.ts - this.firstTs >= QUIET_KNOWN_MS) ep.quietBefore(minute, QUIET_BUCKETS);
      }
    }
    if (ep) {
      ep.see(e.ts, e.clientIp, e.status, e.durationMs, minute, this.minute);
      this.activeEndpoints.add(ep);
    }
  }

  private actor(type: ActorRef['type'], id: string, ts: number): ActorRecord {
    const key = `${type}:${id}`;
    let a = this.actors.get(key);
    if (!a) {
      if (this.actors.size >= this.maxActors) this.sweepActors(true);
      a = new ActorRecord(key, { type, id }, ts);
      this.actors.set(key, a);
    }
    return a;
  }

  /** A new minute of event time: the population ages, and what changed is judged. */
  private tick(minute: number): void {
    const steps = Math.min(60, minute - this.minute);
    for (let i = 0; i < steps; i++) this.actorAnalyzer.minutePassed();
    this.judge(minute, true);
  }

  /**
   * Judges the actors and endpoints that saw traffic since the last minute's judgement. Once a
   * minute (`teach`) it also feeds the populations and starts the next minute's list; between
   * minutes it only looks, so a detection does not wait for the next minute's traffic.
   */
  private judge(minute: number, teach: boolean): void {
    this.judgedAt = this.newest;
    const now = minute * 60_000;
    for (const a of this.active) {
      const t = this.thresholdsFor(a.busiestEndpoint()?.use.service ?? null);
      const signals = this.actorAnalyzer.evaluate(a, minute, now, t, teach, this.peerFacts);
      const related = signals.length ? [...this.related(a), ...this.takenOver(a, signals)] : [];
      for (const s of signals) {
        if (s.strength >= MIN_STRENGTH) a.flaggedUntil = now + 30 * 60_000;
        this.signal(s, related, a.examples, a);
      }
    }
    if (teach) this.active.clear();
    for (const ep of this.activeEndpoints) {
      // an endpoint is judged once a minute (its baseline moves by five-minute buckets)
      if (ep.judged === minute) continue;
      ep.judged = minute;
      for (const g of this.endpointAnalyzer.evaluate(ep, minute, now, this.thresholdsFor(ep.service), this.callerFacts)) {
        const refs: ActorRef[] = [];
        for (const ip of g.ips) {
          const ref: ActorRef = { type: 'ip', id: ip };
          refs.push(ref);
          // a flood's addresses bring the tokens they got (guest tokens of bots); an address
          // refused and never let in has no token of its own to bring
          const rec = g.kind === 'dos' || TAKEOVER_KINDS.has(g.kind) ? this.actors.get(actorKey(ref)) : undefined;
          if (rec && g.kind === 'dos') refs.push(...this.related(rec).filter((r) => r.type !== 'ip_group'));
          else if (rec) refs.push(...this.takenOver(rec, [g]));
        }
        // what a group attack's members do is not what clients usually do: hundreds of flood
        // bots each walking the locator would otherwise teach the population that walking it is
        // normal, and hide the next scraper of it (held-out traffic)
        for (const ref of refs) {
          const rec = this.actors.get(actorKey(ref));
          if (rec) rec.flaggedUntil = Math.max(rec.flaggedUntil, now + 30 * 60_000);
        }
        this.book.groupSignal(g.group, g.kind, g.service, g.strength, g.start, g.end, g.evidence, refs);
      }
    }
    // an endpoint with an anomaly open stays on the list and is judged every minute, traffic or not
    for (const ep of this.activeEndpoints) if (!ep.anomalies.rate && !ep.anomalies.auth) this.activeEndpoints.delete(ep);
    this.book.close(now);
    if (now - this.lastSweep >= 10 * 60_000) {
      this.lastSweep = now;
      this.sweepActors(false);
      this.sweepEndpoints();
    }
    this.stats.actors = this.actors.size;
    this.stats.endpoints = this.endpoints.size;
    this.stats.incidents = this.book.size;
  }

  /**
   * An actor's signal into its incident. An actor new to the incident brings the minutes of its
   * requests before it (its minute counts, as far back as the incident goes): the incident counts
   * requests only once it exists, and an attack found after its burst — by the sequence model
   * once the watermark passed it, or judged after the last request — would have no timeline.
   */
  private signal(s: ActorSignal, related: readonly ActorRef[], examples: readonly ExampleEvent[], rec: ActorRecord | undefined): void {
    const before = this.book.of(actorKey(s.actor));
    const inc = this.book.actorSignal(s, related, examples);
    if (rec && inc !== before && this.minute >= 0) this.backfillTimeline(inc, rec);
  }

  private backfillTimeline(inc: Incident, a: ActorRecord): void {
    const first = Math.max(this.minute - RING_MINUTES + 1, Math.floor(inc.start / 60_000));
    const span = this.minute - first + 1;
    if (span <= 0) return;
    const requests = a.ring.series(C.REQ, this.minute, span);
    // refused and failed as the minute counts keep them (401, 403, not found, 429, 5xx, other 4xx)
    const failed = [C.AUTH, C.DENY, C.NOTFOUND, C.LIMITED, C.SERVER, C.REJECTED].map((k) => a.ring.series(k, this.minute, span));
    inc.backfill(first, requests, requests.map((_, i) => failed.reduce((n, f) => n + f[i], 0)));
  }

  /**
   * The actors that came with `a` and mostly with it: a token's addresses and user, an address's
   * tokens. Both ways: the other is mostly `a` (an address shared by a carrier's customers is
   * not named with one of them), and it is a real part of what `a` did (an address is not
   * followed to every one of the hundreds of tokens behind it).
   */
  private related(a: ActorRecord): ActorRef[] {
    const out: ActorRef[] = [];
    const mine = Math.max(1, a.ring.sum(C.REQ, this.minute, 30));
    for (const [key, l] of a.links) {
      const other = this.actors.get(key);
      if (!other) continue;
      const theirs = other.ring.sum(C.REQ, this.minute, 30);
      const shared = recentLinks(l, this.newest);
      if (shared / Math.max(shared, theirs, 1) >= LINK_SHARE && Math.min(shared, mine) / mine >= MIN_PART) out.push(other.ref);
    }
    return out;
  }

  /**
   * The accounts an address attacking sign-in got into: the users and tokens that first came
   * with it after the attack began (a success among the failures, then the stolen session at
   * work). None where more than a couple of users came, as on a carrier's or an office's
   * address, where a new sign-in is likely someone else's own; named apart from `related`, as
   * the stolen session is a sliver of the address's thousands of attempts.
   */
  private takenOver(a: ActorRecord, signals: readonly { kind: DetectionKind; start: number }[]): ActorRef[] {
    if (a.ref.type !== 'ip') return [];
    let since = Number.POSITIVE_INFINITY;
    for (const s of signals) if (TAKEOVER_KINDS.has(s.kind) && s.start < since) since = s.start;
    if (since === Number.POSITIVE_INFINITY) return [];
    const out: ActorRef[] = [];
    let users = 0;
    for (const [key, l] of a.links) {
      if (l.first < since || !(key.startsWith('user:') || key.startsWith('token:'))) continue;
      const other = this.actors.get(key);
      if (!other) continue;
      if (other.ref.type === 'user' && ++users > MAX_TAKEN_OVER) return [];
      out.push(other.ref);
    }
    return users === 0 ? [] : out;
  }

  private sweepActors(force: boolean): void {
    const horizon = this.newest - DAY_MS;
    for (const [k, a] of this.actors) if (a.lastSeen < horizon) this.actors.delete(k);
    if (!force || this.actors.size < this.maxActors) return;
    // still full: forget the tenth seen longest ago
    const times = [...this.actors.values()].map((a) => a.lastSeen).sort((x, y) => x - y);
    const cut = times[Math.floor(times.length / 10)];
    for (const [k, a] of this.actors) if (a.lastSeen <= cut) this.actors.delete(k);
  }

  private sweepEndpoints(): void {
    const horizon = this.newest - DAY_MS;
    for (const [k, ep] of this.endpoints) if (ep.lastSeen < horizon) this.endpoints.delete(k);
  }

  /** Detections opened or changed since the last call, judged up to `watermark`. */
  advance(watermark: number = this.watermark): Detection[] {
    // what arrived since the last minute began is judged now, not only when a later minute's event comes
    // …at most every half minute of event time, or at once when nothing arrived since the last call (a quiet mesh)
    const due = this.newest - this.judgedAt >= EARLY_JUDGE_MS || this.newest === this.newestAtAdvance;
    if (this.minute >= 0 && this.active.size && due) this.judge(this.minute, false);
    this.newestAtAdvance = this.newest;
    for (const a of this.analyzers) {
      for (const s of a.collect(watermark)) {
        if (s.strength < MIN_STRENGTH) continue;
        const rec = this.actors.get(actorKey(s.actor));
        const related = rec ? this.related(rec) : [];
        this.signal(s, related, rec?.examples ?? [], rec);
      }
    }
    return this.book.drain((service) => this.thresholdsFor(service).alert);
  }
}
