// Incidents (issue 10 §3–4): signals about actors grouped into detections. An actor's signals
// and those of the actors that came with it (its token, user, addresses) form one incident; an
// endpoint's anomaly is one incident naming every caller it was attributed to. The score is
// the strongest finding (kind and leading feature) plus half of what the others add to it as a
// noisy-or: corroboration raises it, while one finding seen in four windows, or explained by
// several features, counts once. An incident is stable while it grows and closes
// after half an hour of quiet (event time).
import { hash32 } from '@/server/discovery/distinct-sketch';
import type { ActorRef, ActorSignal, Detection, DetectionKind, ExampleEvent, FeatureEvidence, Severity, UnlikelyTransition, Window } from '../types';

const CLOSE_AFTER_MS = 30 * 60_000;
/** what a signal needs to add a new actor to an open incident */
const JOIN_STRENGTH = 0.6;
const MAX_ACTORS = 10_000;
const MAX_FEATURES = 24;
const MAX_TIMELINE = 24 * 60;

export const actorKey = (a: ActorRef) => `${a.type}:${a.id}`;

export function severityOf(score: number): Severity {
  return score >= 90 ? 'critical' : score >= 75 ? 'high' : score >= 60 ? 'medium' : 'low';
}

interface Member {
  ref: ActorRef;
  strength: number;
}

export class Incident {
  readonly members = new Map<string, Member>();
  /** strongest evidence per feature (and per analyzer kind) */
  readonly features = new Map<string, { strength: number; ev: FeatureEvidence; kind: DetectionKind }>();
  /** strongest strength per finding (kind and leading feature): what the score combines */
  private readonly findings = new Map<string, number>();
  transitions: UnlikelyTransition[] = [];
  examples: ExampleEvent[] = [];
  readonly timeline = new Map<number, { requests: number; errors: number }>();
  kind: DetectionKind;
  score = 0;
  dirty = true;
  /** reported by `drain` at least once */
  emitted = false;

  constructor(
    readonly id: string,
    kind: DetectionKind,
    public service: string,
    public start: number,
    public end: number,
    readonly group: string | null,
  ) {
    this.kind = kind;
  }

  add(ref: ActorRef, strength: number): boolean {
    const k = actorKey(ref);
    const m = this.members.get(k);
    if (m) {
      if (strength > m.strength) m.strength = strength;
      return false;
    }
    if (this.members.size >= MAX_ACTORS) return false;
    this.members.set(k, { ref, strength });
    this.dirty = true;
    return true;
  }

  evidence(kind: DetectionKind, strength: number, evidence: readonly FeatureEvidence[]): void {
    if (evidence.length) {
      const k = `${kind}|${evidence[0].feature}`;
      this.findings.set(k, Math.max(this.findings.get(k) ?? 0, strength));
    }
    for (const ev of evidence) {
      const k = `${kind}|${ev.feature}`;
      const f = this.features.get(k);
      if (!f || strength > f.strength || (strength === f.strength && ev.value !== f.ev.value)) {
        this.features.set(k, { strength: Math.max(strength, f?.strength ?? 0), ev, kind });
        this.dirty = true;
      }
    }
    // the strongest single feature names the incident
    let best: { s: number; kind: DetectionKind } | null = null;
    for (const f of this.features.values()) if (!best || f.strength > best.s) best = { s: f.strength, kind: f.kind };
    if (best && best.kind !== this.kind) {
      this.kind = best.kind;
      this.dirty = true;
    }
    const score = this.combinedScore();
    if (Math.abs(score - this.score) >= 1) {
      this.score = score;
      this.dirty = true;
    }
  }

  /**
   * The strongest finding, and half of what the others add to it as a noisy-or: findings about
   * one actor are rarely independent (an unusual client is unusual in several ways), so two
   * weak ones corroborate a stronger one but do not make an alert by themselves.
   */
  private combinedScore(): number {
    let miss = 1;
    let top = 0;
    for (const s of this.findings.values()) {
      miss *= 1 - s;
      if (s > top) top = s;
    }
    return Math.round(Math.min(0.99, top + 0.5 * (1 - miss - top)) * 100);
  }

  /** Takes another incident's actors, findings and timeline (it was the same attack). */
  absorb(other: Incident): void {
    for (const m of other.members.values()) this.add(m.ref, m.strength);
    for (const [k, s] of other.findings) this.findings.set(k, Math.max(this.findings.get(k) ?? 0, s));
    for (const [k, f] of other.features) {
      const mine = this.features.get(k);
      if (!mine || f.strength > mine.strength) this.features.set(k, f);
    }
    for (const [m, t] of other.timeline) if (!this.timeline.has(m)) this.timeline.set(m, t);
    this.examples = mergeExamples(this.examples, other.examples);
    this.transitions = mergeTransitions(this.transitions, other.transitions);
    this.span(other.start, other.end);
    this.evidence(this.kind, 0, []);
    this.dirty = true;
  }

  span(start: number, end: number): void {
    if (start < this.start) {
      this.start = start;
      this.dirty = true;
    }
    if (end > this.end + 60_000) this.dirty = true;
    if (end > this.end) this.end = end;
  }

  count(minute: number, error: boolean): void {
    let t = this.timeline.get(minute);
    if (!t) {
      if (this.timeline.size >= MAX_TIMELINE) return;
      this.timeline.set(minute, (t = { requests: 0, errors: 0 }));
    }
    t.requests++;
    if (error) t.errors++;
  }

  /**
   * Minutes of requests from before the incident counted them (an actor's minute counts, from
   * `firstMinute` on); a minute it counts already is left as it is.
   */
  backfill(firstMinute: number, requests: readonly number[], errors: readonly number[]): void {
    for (let i = 0; i < requests.length; i++) {
      const m = firstMinute + i;
      if (requests[i] <= 0 || this.timeline.has(m)) continue;
      if (this.timeline.size >= MAX_TIMELINE) return;
      this.timeline.set(m, { requests: requests[i], errors: errors[i] ?? 0 });
      this.dirty = true;
    }
  }

  toDetection(): Detection {
    const ranked = [...this.members.values()].sort((a, b) => b.strength - a.strength);
    const feats = [...this.features.values()].sort((a, b) => b.strength - a.strength).slice(0, MAX_FEATURES).map((f) => f.ev);
    const windows = [...new Set(feats.map((f) => f.window).filter((w): w is Window => w !== null))];
    return {
      id: this.id, kind: this.kind, service: this.service || null, actors: ranked.map((m) => m.ref), start: this.start, end: this.end,
      score: this.score, severity: severityOf(this.score),
      evidence: {
        features: feats, transitions: this.transitions.slice(0, 20), windows, examples: this.examples.slice(0, 20),
        timeline: [...this.timeline.entries()].sort((a, b) => a[0] - b[0]).map(([m, v]) => ({ t: m * 60_000, ...v })),
      },
    };
  }
}

export class IncidentBook {
  private readonly open = new Map<string, Incident>();
  private readonly owner = new Map<string, Incident>();
  private readonly groups = new Map<string, Incident>();
  private seq = 0;

  /** the open incident an actor belongs to */
  of(key: string): Incident | undefined {
    return this.owner.get(key);
  }

  /** An actor's signal, with the actors that came with it. */
  actorSignal(sig: ActorSignal, related: readonly ActorRef[], examples: readonly ExampleEvent[]): Incident {
    const refs = [sig.actor, ...related];
    // an actor already in an open incident — its own, or an endpoint's attack it was named in —
    // adds to it: one attack, one detection, with all the evidence
    // (a weak signal about an actor not yet in it does not bring the actor in: evidence below the
    // alert level on its own must not name a bystander because someone it came with is named)
    let inc: Incident | undefined;
    for (const r of refs) {
      inc = this.owner.get(actorKey(r));
      if (inc && !inc.members.has(actorKey(sig.actor)) && sig.strength < JOIN_STRENGTH) inc = undefined;
      if (inc) break;
    }
    inc ??= this.create(sig.kind, sig.service, sig.start, sig.end, null, actorKey(sig.actor));
    this.join(inc, sig.actor, sig.strength);
    for (const r of related) this.join(inc, r, sig.strength * 0.99);
    inc.span(sig.start, sig.end);
    if (!inc.service && sig.service) inc.service = sig.service;
    inc.evidence(sig.kind, sig.strength, sig.evidence);
    if (sig.transitions?.length) {
      inc.transitions = mergeTransitions(inc.transitions, sig.transitions);
    }
    if (examples.length) inc.examples = mergeExamples(inc.examples, examples);
    return inc;
  }

  /** An endpoint's anomaly with the actors attributed to it. */
  groupSignal(group: string, kind: DetectionKind, service: string, strength: number, start: number, end: number, evidence: readonly FeatureEvidence[], refs: readonly ActorRef[]): Incident {
    let inc = this.groups.get(group);
    if (!inc) {
      inc = this.create(kind, service, start, end, group, group);
      this.groups.set(group, inc);
    }
    for (const r of refs) {
      // an actor's own incident not yet reported, about the same service, was this attack seen
      // from one of its actors: it becomes part of the endpoint's (one attack, one detection)
      const own = this.owner.get(actorKey(r));
      if (own && own !== inc && own.group === null && !own.emitted && own.service === service) {
        inc.absorb(own);
        this.open.delete(own.id);
        for (const k of own.members.keys()) this.owner.set(k, inc);
      }
      this.join(inc, r, strength);
    }
    inc.span(start, end);
    inc.evidence(kind, strength, evidence);
    return inc;
  }

  private join(inc: Incident, ref: ActorRef, strength: number): void {
    inc.add(ref, strength);
    const k = actorKey(ref);
    // an endpoint-wide incident does not take an actor's own incident over
    if (!this.owner.has(k) || inc.group === null) this.owner.set(k, inc);
  }

  private create(kind: DetectionKind, service: string, start: number, end: number, group: string | null, seed: string): Incident {
    const id = `eng_${hash32(seed).toString(36)}_${Math.floor(start / 60_000).toString(36)}_${(this.seq++).toString(36)}`;
    const inc = new Incident(id, kind, service, start, end, group);
    this.open.set(id, inc);
    return inc;
  }

  /** Closes incidents quiet for half an hour before `now`. */
  close(now: number): void {
    for (const [id, inc] of this.open) {
      if (inc.end >= now - CLOSE_AFTER_MS) continue;
      this.open.delete(id);
      if (inc.group) this.groups.delete(inc.group);
      for (const k of inc.members.keys()) if (this.owner.get(k) === inc) this.owner.delete(k);
    }
  }

  /** Incidents changed since the last call that reach their service's alert score. */
  drain(alertOf: (service: string) => number): Detection[] {
    const out: Detection[] = [];
    for (const inc of this.open.values()) {
      if (!inc.dirty) continue;
      if (inc.score < alertOf(inc.service)) continue;
      inc.dirty = false;
      inc.emitted = true;
      out.push(inc.toDetection());
    }
    return out;
  }

  get size(): number {
    return this.open.size;
  }
}

/**
 * The newest 20 example requests, each once: an actor judged again hands over the same recent
 * requests, and a token and its address name the same ones, which would otherwise fill the
 * incident's examples with copies of one another.
 */
export function mergeExamples(a: readonly ExampleEvent[], b: readonly ExampleEvent[]): ExampleEvent[] {
  const seen = new Set<string>();
  const out: ExampleEvent[] = [];
  // newest first (the later copy of a repeated request wins), then back in arrival order
  for (const list of [b, a]) {
    for (let i = list.length - 1; i >= 0 && out.length < 20; i--) {
      if (seen.has(list[i].requestId)) continue;
      seen.add(list[i].requestId);
      out.push(list[i]);
    }
  }
  return out.reverse();
}

function mergeTransitions(a: UnlikelyTransition[], b: readonly UnlikelyTransition[]): UnlikelyTransition[] {
  const m = new Map<string, UnlikelyTransition>();
  for (const t of [...a, ...b]) m.set(`${t.from}→${t.to}`, t);
  return [...m.values()].sort((x, y) => x.probability - y.probability).slice(0, 20);
}
