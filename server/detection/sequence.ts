// The sequence model (issue 10 §2): per-actor sessions in event time; transitions between
// endpoint templates learned online from all traffic, per kind of client, smoothed; a session's
// likelihood against its kind's population; behaviour clusters; and what stands out at any rate:
// steps no client of that kind takes, refusals where the service's own clients are never refused,
// a token used by two clients at once, ids walked in order, a client crossing into a service
// whose audience is not its own.
//
// Contamination: a client teaches each transition, outcome, service and endpoint once per period
// however often it repeats them, it teaches only once its session part has been judged, and a
// client whose behaviour looked like an attack teaches nothing for a period. So one actor cannot
// make its own attack usual, and a thousand clients doing the same thing can.
//
// `collect(watermark)` returns the signals that are new or changed since the previous call: a
// signal replaces an earlier one with the same actor, service and kind.
import type { ActorSignal, Analyzer, EngineEvent } from './types';
import { ActorState, ActorTable, type Emitted, type Pending, SessionPart, TokenState } from './sequence/actor';
import { CloseQueue } from './sequence/close-queue';
import { Audience, MAX_SERVICES_PER_ACTOR } from './sequence/audience';
import { externalKind, ipGroup, type ExternalKind } from './sequence/client';
import { BehaviourClusters } from './sequence/clusters';
import { EndpointUse } from './sequence/endpoint-use';
import { combine } from './sequence/format';
import { IdWalk, MIN_RUN, walkStrength } from './sequence/id-walk';
import { DECAY_EVERY_MS, DEFAULT_LIMITS, IDLE_SWEEP_EVERY_MS, SWEEP_EVERY_MS, type SequenceLimits } from './sequence/limits';
import { SessionPopulation } from './sequence/population';
import { REFUSAL_CAP, ServiceRefusals } from './sequence/refusals';
import { NEW_STEP_CLIENTS, Probation, SUSPICIOUS_STEP_CLIENTS } from './sequence/probation';
import { ReorderBuffer } from './sequence/reorder';
import { ANONYMOUS_FACTOR, judgePart, partExcess, step, transitionKey, type Models } from './sequence/score';
import { RepeatStats } from './sequence/repeats';
import { crossingComponent, sequenceSignal, tokenPattern, tokenSignal, walkSignal } from './sequence/signals';
import { tokenStrength } from './sequence/token-clients';
import { TokenRates } from './sequence/token-rates';
import { MAX_TALLIES, RecentIds, UnreadRates, unreadStrength, type UnreadEvidence } from './sequence/unread-objects';
import { DEFAULT_TRANSITION_LIMITS, TransitionModel, type TransitionLimits } from './sequence/transitions';
import { baseOf, DEFAULT_VOCAB_LIMITS, numericParam, paramHash, Outcome, outcomeOf, OUTCOMES, START, Vocab, type VocabLimits } from './sequence/vocab';

export interface SequenceOptions {
  limits?: Partial<SequenceLimits>;
  vocab?: Partial<VocabLimits>;
  transitions?: Partial<TransitionLimits>;
}

/** signals weaker than this are not reported */
export const EMIT_FLOOR = 0.1;
/** an actor whose behaviour is this suspicious teaches the model nothing for a period */
export const QUARANTINE = 0.35;
/** a session part this unusual teaches only what several other clients did too, and no outcomes or repeats */
export const PROBATION = 0.15;
/** an actor is judged again at most this often (event time), unless a session of it closed */
const JUDGE_EVERY_MS = 30_000;
/** sessions followed per actor at once: its own, and calls made on its behalf inside the mesh */
const MAX_CHANNELS = 8;
/** what one actor may teach per period (a client with more distinct steps than this is crawling) */
const MAX_LESSONS = 4096;
/** held-event records kept for reuse */
const SPARE_EVENTS = 100_000;
/** walks tracked per actor */
const MAX_WALKS = 16;
/** User-Agents whose kind is remembered (then the cache starts over) */
const KIND_CACHE = 50_000;

// Keys of what an actor taught, beside its transitions (kept apart): a kind of lesson in the top
// bits, what it is about below 2^27 (states, service pairs), so every key is a small integer.
const OUTCOME_KEY = 1 * 2 ** 27;
const USE_KEY = 2 * 2 ** 27;
const PAIR_KEY = 3 * 2 ** 27;
const ENDPOINT_KEY = 4 * 2 ** 27;
const WALKER_KEY = 5 * 2 ** 27;
const REPEAT_KEY = 6 * 2 ** 27;
const CLUSTER_KEY = 7 * 2 ** 27;
const UNREAD_KEY = 8 * 2 ** 27;

export class SequenceAnalyzer implements Analyzer {
  readonly name = 'sequence';
  readonly limits: SequenceLimits;
  readonly m: Models;
  private readonly actors = new ActorTable();
  /** actors with a session open, by when it would end */
  private readonly closing = new CloseQueue<ActorState>();
  private nextIdleSweep = Number.NEGATIVE_INFINITY;
  private readonly tokens = new Map<string, TokenState>();
  private readonly held = new ReorderBuffer<Pending>();
  private readonly spare: Pending[] = [];
  private readonly probation = new Probation();
  private touched: ActorState[] = [];
  private touchedTokens: TokenState[] = [];
  private readonly kinds = new Map<string, ExternalKind>();
  private readonly callers = new Map<string, string>();
  private readonly groups = new Map<string, string>();
  private watermark = Number.NEGATIVE_INFINITY;
  private nextSweep = Number.NEGATIVE_INFINITY;
  private nextDecay = Number.NEGATIVE_INFINITY;
  /** events that came after the watermark had passed them (dropped) */
  late = 0;

  constructor(o: SequenceOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
    const vocab = new Vocab({ ...DEFAULT_VOCAB_LIMITS, ...o.vocab });
    this.m = {
      vocab,
      model: new TransitionModel((s) => vocab.serviceOf(s), () => vocab.size / OUTCOMES, { ...DEFAULT_TRANSITION_LIMITS, ...o.transitions }),
      population: new SessionPopulation(),
      clusters: new BehaviourClusters(),
      audience: new Audience(),
      endpointUse: new EndpointUse(),
      tokenRates: new TokenRates(),
      refusals: new ServiceRefusals(),
      repeats: new RepeatStats(),
      unreadRates: new UnreadRates(),
    };
  }

  get actorCount(): number {
    return this.actors.size;
  }

  get tokenCount(): number {
    return this.tokens.size;
  }

  get pending(): number {
    return this.held.size;
  }

  observe(e: EngineEvent): void {
    if (!e.endpoint) return;
    if (e.ts <= this.watermark) {
      this.late += 1;
      return;
    }
    const a = this.actors.of(e);
    if (a === null) return;
    if (e.ts > a.lastSeen) a.lastSeen = e.ts;
    const external = e.srcService === 'external';
    let token: TokenState | null = null;
    if (external && e.tokenId) {
      token = this.tokens.get(e.tokenId) ?? null;
      if (!token) this.tokens.set(e.tokenId, (token = new TokenState(e.tokenId)));
      if (e.ts > token.lastSeen) token.lastSeen = e.ts;
    }
    const info = this.m.vocab.endpoint(e.dstService, e.endpoint);
    // Held events live minutes (the lateness): recycled, they do not keep the collector busy.
    const p = this.spare.pop() ?? ({} as Pending);
    p.actor = a;
    p.ts = e.ts;
    p.info = info;
    p.state = info.base + outcomeOf(e.status);
    p.status = e.status;
    p.requestId = e.requestId;
    p.channel = external ? '' : e.srcService;
    p.kind = external ? this.kindOf(e.userAgent) : this.callerKind(e.srcService);
    p.ua = token ? (e.userAgent ?? '') : '';
    p.ip = token ? (e.clientIp ?? '') : '';
    p.path = external && info.slots.length ? e.path : null;
    p.token = token;
    this.held.push(p);
    a.pending += 1;
    // Over the bound for held events: judge the older half now, before the watermark passes it.
    if (this.held.size > this.limits.maxPending) this.release(this.held.median());
  }

  collect(watermark: number): ActorSignal[] {
    if (!(watermark > this.watermark)) return [];
    this.watermark = watermark;
    this.release(watermark);
    this.maintain(watermark);
    const out: ActorSignal[] = [];
    // An actor is judged at most every JUDGE_EVERY_MS of event time (or when a session of it
    // closes): the engine may call this after every small batch, and a look per event is wasted.
    const touched = this.touched;
    this.touched = [];
    for (const a of touched) {
      if (!this.actors.has(a)) {
        a.touched = false;
      } else if (a.judgedAt + JUDGE_EVERY_MS > watermark && !a.closed) {
        this.touched.push(a);
      } else {
        a.touched = false;
        a.closed = false;
        a.judgedAt = watermark;
        this.judge(a, out);
      }
    }
    const tokens = this.touchedTokens;
    this.touchedTokens = [];
    for (const t of tokens) {
      if (this.tokens.get(t.id) !== t) {
        t.touched = false;
      } else if (t.judgedAt + JUDGE_EVERY_MS > watermark) {
        this.touchedTokens.push(t);
      } else {
        t.touched = false;
        t.judgedAt = watermark;
        this.judgeToken(t, out);
      }
    }
    return out;
  }

  private readonly groupOf = (ip: string): string => {
    let g = this.groups.get(ip);
    if (g === undefined) {
      if (this.groups.size >= KIND_CACHE) this.groups.clear();
      g = ipGroup(ip);
      this.groups.set(ip, g);
    }
    return g;
  };

  private callerKind(src: string): string {
    let kind = this.callers.get(src);
    if (kind === undefined) {
      if (this.callers.size >= KIND_CACHE) this.callers.clear();
      kind = `svc:${src}`;
      this.callers.set(src, kind);
    }
    return kind;
  }

  private kindOf(ua: string | null): ExternalKind {
    const k = ua ?? '';
    let kind = this.kinds.get(k);
    if (kind === undefined) {
      if (this.kinds.size >= KIND_CACHE) this.kinds.clear();
      kind = externalKind(k);
      this.kinds.set(k, kind);
    }
    return kind;
  }

  /** Processes the held events up to `upTo`, oldest first. */
  private release(upTo: number): void {
    this.held.release(upTo, (ev) => {
      const a = ev.actor;
      a.pending -= 1;
      this.process(a, ev);
      if (!a.touched) {
        a.touched = true;
        this.touched.push(a);
      }
      if (this.spare.length < SPARE_EVENTS) {
        ev.actor = ev.info = ev.token = null!;
        ev.path = null;
        this.spare.push(ev);
      }
    });
  }

  private process(a: ActorState, ev: Pending): void {
    const { limits } = this;
    const period = Math.floor(ev.ts / limits.learnPeriodMs);
    if (a.learnedPeriod !== period) {
      a.newPeriod();
      a.learnedPeriod = period;
    }
    let part = a.sessions.get(ev.channel);
    if (part && ev.ts - part.last > limits.sessionGapMs) {
      this.closePart(a, ev.channel, part, true);
      part = undefined;
    } else if (part && (part.steps >= limits.partMaxSteps || ev.ts - part.start >= limits.partMaxMs)) {
      part = this.closePart(a, ev.channel, part, false);
    }
    if (!part) {
      // calls made on its behalf from more services than this at once are not followed
      if (ev.channel !== '' && a.sessions.size >= MAX_CHANNELS) return;
      part = new SessionPart(ev.kind, ev.ts, START);
      a.sessions.set(ev.channel, part);
      this.closing.schedule(a, ev.ts + limits.sessionGapMs);
    }
    step(this.m, part, ev, ev.channel === '');
    if (ev.channel !== '') return;
    this.useService(a, ev);
    if (ev.path) this.walk(a, ev);
    if (ev.token) this.useToken(ev.token, ev);
  }

  private teaching(a: ActorState, ts: number): boolean {
    return a.quarantinedUntil <= ts;
  }

  private teachOnce(a: ActorState, key: number, teach: () => void): void {
    const learned = a.learned;
    if (learned.has(key) || learned.size >= MAX_LESSONS) return;
    learned.add(key);
    teach();
  }

  private useToken(t: TokenState, ev: Pending): void {
    t.clients.use(ev.ua, ev.kind, ev.ip, ev.ts, ev.requestId, ev.info.service, this.groupOf);
    const period = Math.floor(ev.ts / this.limits.learnPeriodMs);
    if (t.learnedPeriod !== period) {
      t.learned.clear();
      t.learnedPeriod = period;
      this.m.tokenRates.learnToken(); // each token counted once per period
    }
    if (!t.touched) {
      t.touched = true;
      this.touchedTokens.push(t);
    }
  }

  private useService(a: ActorState, ev: Pending): void {
    const svc = ev.info.service;
    const { audience } = this.m;
    if (!a.services.includes(svc)) {
      const c = a.services.length ? audience.crossing(a.services, svc, ev.ts, ev.requestId) : null;
      if (c && (!a.crossing || c.share < a.crossing.share)) a.crossing = { ...c, requests: 0, refused: 0, last: ev.ts };
      if (a.services.length >= MAX_SERVICES_PER_ACTOR) a.services.shift();
      a.services.push(svc);
    }
    if (a.crossing && a.crossing.to === svc) {
      a.crossing.requests += 1;
      if (outcomeOf(ev.status) === Outcome.Forbidden) a.crossing.refused += 1;
      a.crossing.last = ev.ts;
    }
    // what it teaches about the service changes only when it calls another one (or a new period starts)
    if (a.taughtService === svc && a.taughtPeriod === a.learnedPeriod) return;
    if (!this.teaching(a, ev.ts)) return;
    a.taughtService = svc;
    a.taughtPeriod = a.learnedPeriod;
    this.teachOnce(a, USE_KEY + svc, () => audience.learnUse(svc));
    for (const other of a.services) {
      if (other !== svc) this.teachOnce(a, PAIR_KEY + (other < svc ? other * 2048 + svc : svc * 2048 + other) % 2 ** 27, () => audience.learnPair(other, svc));
    }
  }

  private walk(a: ActorState, ev: Pending): void {
    const { info } = ev;
    if (this.teaching(a, ev.ts)) this.teachOnce(a, ENDPOINT_KEY + info.base, () => this.m.endpointUse.learnClient(info.base));
    for (let i = 0; i < info.slots.length; i++) {
      const id = numericParam(ev.path!, info.slots[i]);
      if (id < 0) continue;
      const walks = (a.walks ??= new Map());
      const key = info.base * 2 + i;
      let w = walks.get(key);
      if (!w) {
        if (walks.size >= MAX_WALKS) {
          let oldestKey = -1;
          let oldest = Infinity;
          for (const [k, x] of walks) if (x.lastSeen < oldest) [oldestKey, oldest] = [k, x.lastSeen];
          walks.delete(oldestKey);
        }
        walks.set(key, (w = new IdWalk()));
      }
      w.step(id, ev.ts, ev.requestId);
      if (w.best && w.best.length >= MIN_RUN) this.teachOnce(a, WALKER_KEY + info.base, () => this.m.endpointUse.learnWalker(info.base));
    }
    this.unreadCall(a, ev);
  }

  /** A call naming ids: whether its object (the last id) is one the actor's recent paths had not named. */
  private unreadCall(a: ActorState, ev: Pending): void {
    const { info } = ev;
    const recent = (a.recentIds ??= new RecentIds());
    const last = paramHash(ev.path!, info.slots[info.slots.length - 1]);
    if (last === 0) return;
    const unread = !recent.has(last);
    for (let i = 0; i < info.slots.length - 1; i++) recent.add(paramHash(ev.path!, info.slots[i]));
    recent.add(last);
    if (this.teaching(a, ev.ts)) this.teachOnce(a, UNREAD_KEY + info.base, () => this.m.unreadRates.learn(info.base, unread));
    const tallies = (a.unread ??= new Map());
    let t = tallies.get(info.base);
    if (!t) {
      if (!unread || tallies.size >= MAX_TALLIES) return; // an endpoint it only ever opened first says nothing
      tallies.set(info.base, (t = { endpoint: info.base, calls: 0, unread: 0, start: ev.ts, last: ev.ts, examples: [] }));
    }
    t.calls += 1;
    t.last = Math.max(t.last, ev.ts);
    if (!unread) return;
    t.unread += 1;
    if (t.examples.length < 3) t.examples.push(ev.requestId);
  }

  /** The actor's endpoint where it most clearly acts on objects it never opened, and how strongly. */
  private unreadEvidence(a: ActorState): UnreadEvidence | null {
    if (!a.unread) return null;
    let best: UnreadEvidence | null = null;
    for (const t of a.unread.values()) {
      const population = this.m.unreadRates.upperShare(t.endpoint);
      const strength = unreadStrength(t, population.share, population.votes);
      if (strength > 0 && (!best || strength > best.strength)) best = { tally: t, strength, population };
    }
    return best;
  }

  /** Ends a part: learns from it unless it (or its actor) looked like an attack. Returns the next part when the session goes on. */
  private closePart(a: ActorState, channel: string, part: SessionPart, final: boolean): SessionPart | undefined {
    if (part.steps > 0) {
      if (part.judgedSteps !== part.steps) this.judgeSession(a, channel, part);
      if (part.strength >= QUARANTINE) a.quarantinedUntil = Math.max(a.quarantinedUntil, part.last + this.limits.learnPeriodMs);
      if (this.teaching(a, part.last)) this.learnPart(a, channel, part);
    }
    // its last look is reported in this round
    a.closed = true;
    if (!a.touched) {
      a.touched = true;
      this.touched.push(a);
    }
    if (final) {
      a.sessions.delete(channel);
      return undefined;
    }
    const next = new SessionPart(part.kind, part.last, part.prev, part.visited, part.earlier);
    a.sessions.set(channel, next);
    return next;
  }

  private learnPart(a: ActorState, channel: string, part: SessionPart): void {
    const { m } = this;
    const v = part.vector;
    if (v && part.steps >= 4 && (part.nearest === null || part.steps >= 2 * part.nearestAt)) part.nearest = m.clusters.nearest(part.kind, v);
    const distance = v && part.steps >= 4 ? part.nearest!.distance : null;
    m.population.add(part.kind, part.steps, partExcess(m, part).excess, part.surprise / part.steps, distance);
    const suspicious = part.strength >= PROBATION;
    for (const key of part.seen.keys()) {
      const from = Math.floor(key / 65_536);
      const to = key % 65_536;
      const base = baseOf(to);
      const step = transitionKey(from, base);
      if (!a.learnedSteps.has(step) && a.learnedSteps.size < MAX_LESSONS) {
        a.learnedSteps.add(step);
        // a step the model knows is taught by every client; a new one waits for a few clients to vouch for it
        const times = m.model.knows(from, base) && !suspicious ? 1
          : this.probation.vouch(step, a.hash, part.last, suspicious ? SUSPICIOUS_STEP_CLIENTS : NEW_STEP_CLIENTS);
        for (let i = 0; i < times; i++) m.model.learn(part.kind, from, base);
      }
      if (!suspicious) this.teachOnce(a, OUTCOME_KEY + to, () => m.model.learnOutcome(to));
    }
    if (!suspicious) {
      const perEndpoint = new Map<number, number>();
      for (const [state, count] of part.counts) {
        this.teachOnce(a, REPEAT_KEY + state, () => m.repeats.learn(part.kind, state, count, part.steps));
        const base = baseOf(state);
        if (base !== state) perEndpoint.set(base, (perEndpoint.get(base) ?? part.counts.get(base) ?? 0) + count);
      }
      // endpoints called with other outcomes only: the sessions a repeated failure is judged among
      for (const [base, count] of perEndpoint) if (!part.counts.has(base)) this.teachOnce(a, REPEAT_KEY + base, () => m.repeats.learn(part.kind, base, count, part.steps));
    }
    // one session part per client and period shapes the clusters: a busy client does not outweigh the rest
    if (v && part.steps >= 3 && !suspicious) this.teachOnce(a, CLUSTER_KEY, () => m.clusters.learn(part.kind, v, a.hash));
    if (channel !== '') return;
    for (const [svc, s] of part.services ?? []) {
      const budget = a.refusalBudget.get(svc) ?? REFUSAL_CAP;
      if (budget <= 0) continue;
      const requests = Math.min(budget, s.requests);
      m.refusals.learn(svc, requests, Math.min(requests, s.forbidden));
      a.refusalBudget.set(svc, budget - requests);
    }
  }

  private judgeSession(a: ActorState, channel: string, part: SessionPart): void {
    const j = judgePart(this.m, part, a.anonymous, channel !== '');
    part.strength = Math.max(part.strength, j.strength);
    part.judgedSteps = part.steps;
    const seq = a.seq;
    if (seq && seq.part !== part && seq.strength >= j.strength) return;
    // the part was clearly more unusual earlier on: keep that look (about as unusual: the later, fuller one)
    if (seq && seq.part === part && 0.9 * seq.strength > j.strength) return;
    a.seq = {
      strength: j.strength, part, channel, kind: part.kind, steps: part.steps, surprise: part.surprise, excess: j.excess,
      rare: j.rare, start: part.start, last: part.last, notes: part.notes.map((n) => ({ ...n, examples: [...n.examples] })), repeats: j.repeats,
      tail: j.tail, clusterDistance: j.clusterDistance, clusterTail: j.clusterTail, refusals: j.refusals,
    };
  }

  private judge(a: ActorState, out: ActorSignal[]): void {
    for (const [channel, part] of a.sessions) if (part.steps > part.judgedSteps) this.judgeSession(a, channel, part);
    const { m } = this;
    let top = 0;
    const unread = this.unreadEvidence(a);
    const seqStrength = combine(a.seq?.strength ?? 0, a.crossing ? crossingComponent(a.crossing) : 0, (unread?.strength ?? 0) * (a.anonymous ? ANONYMOUS_FACTOR : 1));
    if (seqStrength >= EMIT_FLOOR) {
      const end = Math.max(a.seq?.last ?? 0, a.crossing?.last ?? 0, unread?.tally.last ?? 0);
      if (changed(a.emitted, 'anomalous_sequence', seqStrength, end, (a.seq?.steps ?? 0) + (a.crossing?.requests ?? 0) + (unread?.tally.calls ?? 0))) {
        const s = sequenceSignal(m, a, seqStrength, unread);
        if (s) out.push(s);
      }
      top = seqStrength;
    }
    if (a.walks) {
      let best: { key: number; w: IdWalk; strength: number } | null = null;
      for (const [key, w] of a.walks) {
        if (!w.best) continue;
        const strength = walkStrength(w.best, m.endpointUse.walkersShare(key >> 1, 1).share);
        if (!best || strength > best.strength) best = { key, w, strength };
      }
      if (best && best.strength >= EMIT_FLOOR && changed(a.emitted, 'scraping', best.strength, best.w.best!.end, best.w.best!.length)) {
        out.push(walkSignal(m, a, best.key >> 1, best.w.best!, 1));
      }
      if (best) top = Math.max(top, best.strength);
    }
    if (top >= QUARANTINE) a.quarantinedUntil = Math.max(a.quarantinedUntil, a.lastSeen + this.limits.learnPeriodMs);
  }

  private judgeToken(t: TokenState, out: ActorSignal[]): void {
    const e = t.clients.evidence();
    if (!e) return;
    const { m } = this;
    const pattern = tokenPattern(e);
    if (!t.learned.has(pattern)) {
      t.learned.add(pattern);
      m.tokenRates.learnPattern(pattern);
    }
    const strength = tokenStrength(e) * m.tokenRates.factor(pattern, 1);
    if (strength < EMIT_FLOOR) return;
    const emitted = new Map(t.emitted ? [['token_misuse', t.emitted]] : []);
    if (!changed(emitted, 'token_misuse', strength, e.end, e.uaSwitches + e.groupSwitches)) return;
    t.emitted = emitted.get('token_misuse')!;
    out.push(tokenSignal(m, { type: 'token', id: t.id }, e, 1, m.vocab.serviceName(e.service)));
  }

  private maintain(watermark: number): void {
    const { limits, m } = this;
    if (this.nextDecay === Number.NEGATIVE_INFINITY) this.nextDecay = watermark + DECAY_EVERY_MS;
    if (Number.isFinite(watermark) && watermark >= this.nextDecay) {
      // every hour of event time passed ages the counts by an hour (a gap in the data by all of its hours at once)
      const hours = Math.floor((watermark - this.nextDecay) / DECAY_EVERY_MS) + 1;
      const f = 2 ** ((-hours * DECAY_EVERY_MS) / limits.halfLifeMs);
      m.model.decay(f);
      m.population.decay(f);
      m.clusters.decay(f);
      m.audience.decay(f);
      m.endpointUse.decay(f);
      m.tokenRates.decay(f);
      m.refusals.decay(f);
      m.repeats.decay(f);
      m.unreadRates.decay(f);
      this.nextDecay += hours * DECAY_EVERY_MS;
    }
    if (watermark < this.nextSweep) return;
    this.nextSweep = watermark + SWEEP_EVERY_MS;
    const stale = watermark - limits.evidenceTtlMs;
    this.closing.due(watermark, (a) => {
      if (!this.actors.has(a)) return;
      let next = Number.POSITIVE_INFINITY;
      for (const [channel, part] of a.sessions) {
        if (part.last + limits.sessionGapMs < watermark) this.closePart(a, channel, part, true);
        else next = Math.min(next, part.last + limits.sessionGapMs);
      }
      if (Number.isFinite(next)) this.closing.schedule(a, next);
    });
    if (watermark < this.nextIdleSweep) return;
    this.nextIdleSweep = watermark + IDLE_SWEEP_EVERY_MS;
    this.actors.each((a) => {
      if (a.touched) return; // still to be judged: its evidence and itself go after its last look
      if (a.seq && a.seq.last < stale) a.seq = null;
      if (a.crossing && a.crossing.last < stale) a.crossing = null;
      if (a.walks) for (const [k, w] of a.walks) if (w.lastSeen < stale) a.walks.delete(k);
      if (a.unread) for (const [k, t] of a.unread) if (t.last < stale) a.unread.delete(k);
      if (a.lastSeen < watermark - limits.actorIdleMs && a.pending === 0 && a.sessions.size === 0) this.actors.delete(a);
    });
    for (const [id, t] of this.tokens) if (t.lastSeen < stale && !t.touched) this.tokens.delete(id);
    this.probation.expire(watermark - limits.learnPeriodMs);
    if (this.actors.size > limits.maxActors) {
      // Beyond the bound, the actors created longest ago go first (Map order is creation order).
      this.actors.each((a) => {
        if (this.actors.size > limits.maxActors * 0.9 && !a.pending) this.actors.delete(a);
      });
    }
    if (this.tokens.size > limits.maxActors) {
      for (const id of this.tokens.keys()) {
        if (this.tokens.size <= limits.maxActors * 0.9) break;
        this.tokens.delete(id);
      }
    }
  }
}

/**
 * Whether a signal differs enough from the one last reported to be reported again (and notes it
 * if so): its strength moved, a minute more of the behaviour, or a tenth more of it (`size`:
 * steps, ids walked, switches).
 */
function changed(emitted: Map<string, Emitted>, kind: string, strength: number, end: number, size: number): boolean {
  const prev = emitted.get(kind);
  if (prev && Math.abs(prev.strength - strength) < 0.02 && end - prev.end < 60_000 && size < prev.size * 1.1) return false;
  emitted.set(kind, { strength, end, size });
  return true;
}
