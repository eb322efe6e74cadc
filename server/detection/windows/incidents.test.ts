import { describe, expect, it } from 'vitest';
import type { ActorRef, ActorSignal, DetectionKind, ExampleEvent, FeatureEvidence, Window } from '../types';
import { actorKey, IncidentBook, mergeExamples, severityOf } from './incidents';

const T0 = Date.UTC(2025, 2, 1, 12);
const MIN = 60_000;
const ALERT = () => 60;

const token = (id: string): ActorRef => ({ type: 'token', id });
const user = (id: string): ActorRef => ({ type: 'user', id });
const ip = (id: string): ActorRef => ({ type: 'ip', id });

function ev(feature: string, window: Window | null = '5m', value = 10): FeatureEvidence {
  return { feature, window, value, baseline: 1, deviation: 8, text: `${value} ${feature}` };
}

function sig(actor: ActorRef, kind: DetectionKind, strength: number, o: { evidence?: FeatureEvidence[]; start?: number; end?: number; service?: string } = {}): ActorSignal {
  return {
    actor, kind, strength, service: o.service ?? 'shop/api', start: o.start ?? T0, end: o.end ?? T0 + 5 * MIN,
    evidence: o.evidence ?? [ev(kind === 'brute_force' ? 'refused_sign_ins' : kind === 'scraping' ? 'distinct_ids' : 'not_found')],
  };
}

const keys = (refs: readonly ActorRef[]) => refs.map(actorKey).sort();

describe('IncidentBook: grouping', () => {
  it("an actor's signal and the actors that came with it form one incident", () => {
    const b = new IncidentBook();
    const inc = b.actorSignal(sig(token('t1'), 'scraping', 0.8), [user('u1'), ip('203.0.113.5')], []);
    expect(b.size).toBe(1);
    expect(keys([...inc.members.values()].map((m) => m.ref))).toEqual(keys([token('t1'), user('u1'), ip('203.0.113.5')]));
    for (const r of [token('t1'), user('u1'), ip('203.0.113.5')]) expect(b.of(actorKey(r))).toBe(inc);
    const [d] = b.drain(ALERT);
    // the actor the signal is about is named first, its related actors after it
    expect(d.actors[0]).toEqual(token('t1'));
    expect(d.kind).toBe('scraping');
    expect(d.service).toBe('shop/api');
  });

  it('a later signal about a linked actor joins that incident instead of opening another', () => {
    const b = new IncidentBook();
    const first = b.actorSignal(sig(token('t1'), 'scraping', 0.8), [ip('203.0.113.5')], []);
    const second = b.actorSignal(sig(ip('203.0.113.5'), 'crawler', 0.7), [], []);
    expect(second).toBe(first);
    // …and so does a signal about a new actor that names a member as related
    const third = b.actorSignal(sig(user('u9'), 'brute_force', 0.65), [ip('203.0.113.5')], []);
    expect(third).toBe(first);
    expect(b.size).toBe(1);
    expect(first.members.size).toBe(3);
  });

  it('unrelated actors get incidents of their own with distinct ids', () => {
    const b = new IncidentBook();
    const x = b.actorSignal(sig(ip('198.51.100.1'), 'crawler', 0.7), [], []);
    const y = b.actorSignal(sig(ip('198.51.100.2'), 'crawler', 0.7), [], []);
    expect(x).not.toBe(y);
    expect(x.id).not.toBe(y.id);
    expect(b.drain(ALERT)).toHaveLength(2);
  });

  it('group signals form one incident per group, naming every actor attributed to it', () => {
    const b = new IncidentBook();
    const refs1 = Array.from({ length: 30 }, (_, i) => ip(`192.0.2.${i}`));
    const g1 = b.groupSignal('shop/api GET /x|rate|1', 'dos', 'shop/api', 0.8, T0, T0 + MIN, [ev('endpoint_rate')], refs1.slice(0, 20));
    const again = b.groupSignal('shop/api GET /x|rate|1', 'dos', 'shop/api', 0.8, T0, T0 + 2 * MIN, [ev('endpoint_rate')], refs1.slice(10));
    expect(again).toBe(g1);
    expect(g1.members.size).toBe(30);
    expect(g1.end).toBe(T0 + 2 * MIN);
    const g2 = b.groupSignal('shop/api POST /login|auth|1', 'credential_stuffing', 'shop/api', 0.7, T0, T0 + MIN, [ev('endpoint_refusals')], refs1.slice(0, 5));
    expect(g2).not.toBe(g1);
    expect(b.size).toBe(2);
  });

  it("an endpoint-wide incident takes in an actor's own incident not yet reported (one attack, one detection)", () => {
    const b = new IncidentBook();
    const own = b.actorSignal(sig(ip('192.0.2.1'), 'brute_force', 0.9), [], []);
    const group = b.groupSignal('g', 'credential_stuffing', 'shop/api', 0.7, T0, T0 + MIN, [ev('endpoint_refusals')], [ip('192.0.2.1'), ip('192.0.2.2')]);
    expect(group).not.toBe(own);
    expect(b.of('ip:192.0.2.1')).toBe(group);
    expect([...group.features.keys()]).toEqual(expect.arrayContaining(['credential_stuffing|endpoint_refusals', 'brute_force|refused_sign_ins']));
    expect(group.score).toBeGreaterThanOrEqual(90);
    expect(b.drain(() => 60).map((d) => d.id)).toEqual([group.id]);
    // an actor known only from the group, judged on its own, adds its findings to it
    const joined = b.actorSignal(sig(ip('192.0.2.2'), 'scraping', 0.7), [], []);
    expect(joined).toBe(group);
  });

  it("…but leaves an actor's incident already reported alone (the console has it), naming the actor in both", () => {
    const b = new IncidentBook();
    const own = b.actorSignal(sig(ip('192.0.2.1'), 'brute_force', 0.9), [], []);
    expect(b.drain(() => 60)).toHaveLength(1);
    const group = b.groupSignal('g', 'credential_stuffing', 'shop/api', 0.7, T0, T0 + MIN, [ev('endpoint_refusals')], [ip('192.0.2.1'), ip('192.0.2.2')]);
    expect(group.members.has('ip:192.0.2.1')).toBe(true);
    expect(b.of('ip:192.0.2.1')).toBe(own);
    expect(b.of('ip:192.0.2.2')).toBe(group);
  });
});

describe('IncidentBook: score', () => {
  const scoreOf = (signals: ActorSignal[]) => {
    const b = new IncidentBook();
    let inc;
    for (const s of signals) inc = b.actorSignal(s, [], []);
    return inc!.score;
  };

  it('one finding scores its strength', () => {
    expect(scoreOf([sig(ip('a'), 'crawler', 0.72)])).toBe(72);
  });

  it('is the strongest finding plus half of what the others add to it as a noisy-or', () => {
    const a = 0.8;
    const c = 0.5;
    const noisyOr = 1 - (1 - a) * (1 - c);
    const expected = Math.round((a + 0.5 * (noisyOr - a)) * 100);
    expect(expected).toBe(85);
    expect(scoreOf([sig(ip('a'), 'crawler', a), sig(ip('a'), 'brute_force', c)])).toBe(expected);
    // the order the findings came in does not matter
    expect(scoreOf([sig(ip('a'), 'brute_force', c), sig(ip('a'), 'crawler', a)])).toBe(expected);
    // two weak findings corroborate but stay below the alert
    expect(scoreOf([sig(ip('a'), 'crawler', 0.4), sig(ip('a'), 'brute_force', 0.4)])).toBe(Math.round((0.4 + 0.5 * (1 - 0.36 - 0.4)) * 100));
    expect(scoreOf([sig(ip('a'), 'crawler', 0.4), sig(ip('a'), 'brute_force', 0.4)])).toBeLessThan(60);
  });

  it('one finding seen in several windows, repeated minute after minute, or by several actors counts once', () => {
    const windows = (['5m', '30m', '4h', '24h'] as const).map((w) => ev('refused_sign_ins', w));
    expect(scoreOf([sig(ip('a'), 'brute_force', 0.7, { evidence: windows })])).toBe(70);
    expect(scoreOf([
      sig(ip('a'), 'brute_force', 0.7, { evidence: windows }),
      sig(ip('a'), 'brute_force', 0.7, { evidence: windows.slice(1) }),
      sig(ip('a'), 'brute_force', 0.65, { evidence: [ev('refused_sign_ins', '5m', 3)] }),
    ])).toBe(70);
    const b = new IncidentBook();
    b.actorSignal(sig(token('t'), 'scraping', 0.7), [user('u')], []);
    const inc = b.actorSignal(sig(user('u'), 'scraping', 0.7), [token('t')], []);
    expect(inc.score).toBe(70);
    // a stronger repeat of the same finding raises it to the stronger strength, not beyond
    expect(b.actorSignal(sig(user('u'), 'scraping', 0.8), [], []).score).toBe(80);
  });

  it('findings of two kinds combine; the incident takes the kind of its strongest feature', () => {
    const b = new IncidentBook();
    b.actorSignal(sig(ip('a'), 'crawler', 0.6), [], []);
    const inc = b.actorSignal(sig(ip('a'), 'brute_force', 0.9), [], []);
    expect(inc.kind).toBe('brute_force');
    expect(inc.score).toBe(Math.round((0.9 + 0.5 * (1 - 0.1 * 0.4 - 0.9)) * 100));
    const d = inc.toDetection();
    expect(d.evidence.features[0].feature).toBe('refused_sign_ins');
    expect(d.evidence.windows).toEqual(['5m']);
  });

  it('is capped at 99', () => {
    const kinds: DetectionKind[] = ['crawler', 'brute_force', 'scraping', 'exfiltration', 'anomalous_sequence'];
    expect(scoreOf(kinds.map((k) => sig(ip('a'), k, 0.99, { evidence: [ev(`f_${k}`)] })))).toBe(99);
  });

  it('spans the earliest start and latest end of its signals', () => {
    const b = new IncidentBook();
    b.actorSignal(sig(ip('a'), 'crawler', 0.7, { start: T0, end: T0 + 5 * MIN }), [], []);
    const inc = b.actorSignal(sig(ip('a'), 'crawler', 0.7, { start: T0 - 10 * MIN, end: T0 + 20 * MIN }), [], []);
    expect([inc.start, inc.end]).toEqual([T0 - 10 * MIN, T0 + 20 * MIN]);
  });
});

describe('IncidentBook: drain and close', () => {
  it('returns changed incidents at or above the alert once each, until they change again', () => {
    const b = new IncidentBook();
    b.actorSignal(sig(ip('strong'), 'crawler', 0.7), [], []);
    b.actorSignal(sig(ip('weak'), 'crawler', 0.45), [], []);
    const first = b.drain(ALERT);
    expect(first.map((d) => d.actors[0].id)).toEqual(['strong']);
    expect(b.drain(ALERT)).toEqual([]);

    // the same signal again changes nothing
    b.actorSignal(sig(ip('strong'), 'crawler', 0.7), [], []);
    expect(b.drain(ALERT)).toEqual([]);
    // a new member does, and keeps the id
    b.actorSignal(sig(ip('strong'), 'crawler', 0.7), [token('t')], []);
    const second = b.drain(ALERT);
    expect(second).toHaveLength(1);
    expect(second[0].id).toBe(first[0].id);
    expect(second[0].actors).toHaveLength(2);

    // the weak one is returned once it reaches the alert
    b.actorSignal(sig(ip('weak'), 'crawler', 0.65), [], []);
    const third = b.drain(ALERT);
    expect(third.map((d) => d.actors[0].id)).toEqual(['weak']);
    expect(third[0].score).toBe(65);
  });

  it('an end moved by more than a minute is a change; within the minute it is not', () => {
    const b = new IncidentBook();
    b.actorSignal(sig(ip('a'), 'crawler', 0.7, { end: T0 }), [], []);
    b.drain(ALERT);
    b.actorSignal(sig(ip('a'), 'crawler', 0.7, { end: T0 + 30_000 }), [], []);
    expect(b.drain(ALERT)).toEqual([]);
    b.actorSignal(sig(ip('a'), 'crawler', 0.7, { end: T0 + 3 * MIN }), [], []);
    expect(b.drain(ALERT).map((d) => d.end)).toEqual([T0 + 3 * MIN]);
  });

  it('uses the alert score of the incident service', () => {
    const b = new IncidentBook();
    b.actorSignal(sig(ip('a'), 'crawler', 0.7, { service: 'strict' }), [], []);
    b.actorSignal(sig(ip('b'), 'crawler', 0.7, { service: 'lenient' }), [], []);
    const out = b.drain((s) => (s === 'strict' ? 80 : 60));
    expect(out.map((d) => d.service)).toEqual(['lenient']);
  });

  it('closes an incident after half an hour of quiet; its actors then open a new one', () => {
    const b = new IncidentBook();
    const end = T0 + 5 * MIN;
    const inc = b.actorSignal(sig(ip('a'), 'crawler', 0.7, { end }), [token('t')], []);
    b.groupSignal('g', 'dos', 'shop/api', 0.8, T0, end, [ev('endpoint_rate')], [ip('x')]);
    b.close(end + 30 * MIN);
    expect(b.size).toBe(2);
    expect(b.of('ip:a')).toBe(inc);
    b.close(end + 30 * MIN + 1);
    expect(b.size).toBe(0);
    expect(b.of('ip:a')).toBeUndefined();
    expect(b.of('token:t')).toBeUndefined();
    expect(b.of('ip:x')).toBeUndefined();
    const next = b.actorSignal(sig(ip('a'), 'crawler', 0.7, { start: end + 40 * MIN, end: end + 41 * MIN }), [], []);
    expect(next.id).not.toBe(inc.id);
    const g = b.groupSignal('g', 'dos', 'shop/api', 0.8, end + 40 * MIN, end + 41 * MIN, [ev('endpoint_rate')], [ip('x')]);
    expect(g.members.size).toBe(1);
    expect(b.size).toBe(2);
  });

  it('a growing incident stays open', () => {
    const b = new IncidentBook();
    for (let m = 0; m < 120; m += 10) {
      b.actorSignal(sig(ip('a'), 'crawler', 0.7, { end: T0 + m * MIN }), [], []);
      b.close(T0 + (m + 5) * MIN);
    }
    expect(b.size).toBe(1);
  });
});

describe('severityOf', () => {
  it.each([
    [0, 'low'], [59, 'low'], [60, 'medium'], [74, 'medium'], [75, 'high'], [89, 'high'], [90, 'critical'], [99, 'critical'],
  ] as const)('score %i is %s', (score, severity) => {
    expect(severityOf(score)).toBe(severity);
  });

  it('a detection carries the severity of its score', () => {
    const b = new IncidentBook();
    b.actorSignal(sig(ip('a'), 'crawler', 0.92), [], []);
    const [d] = b.drain(ALERT);
    expect([d.score, d.severity]).toEqual([92, 'critical']);
  });
});

describe('IncidentBook: examples', () => {
  const ex = (requestId: string, ts: number, actor: ActorRef = { type: 'token', id: 'tok-a' }): ExampleEvent => ({ requestId, ts, method: 'GET', path: `/items/${requestId}`, status: 200, actor });
  const scraping = (strength: number, end: number): ActorSignal => ({
    actor: { type: 'token', id: 'tok-a' }, service: 'shop/catalog', kind: 'scraping', strength, start: 0, end,
    evidence: [{ feature: 'distinct_ids', window: '30m', value: 900, baseline: 40, deviation: 5, text: '900 distinct paths' }],
  });

  it('keeps each request once, the newest 20, in arrival order', () => {
    const first = [ex('r1', 1), ex('r2', 2), ex('r3', 3)];
    expect(mergeExamples(first, [ex('r2', 2), ex('r3', 3), ex('r4', 4)]).map((e) => e.requestId)).toEqual(['r1', 'r2', 'r3', 'r4']);
    const many = Array.from({ length: 30 }, (_, i) => ex(`m${i}`, i));
    expect(mergeExamples(many.slice(0, 15), many.slice(10)).map((e) => e.requestId)).toEqual(many.slice(10).map((e) => e.requestId));
    expect(mergeExamples([], [])).toEqual([]);
  });

  it('a request named for two actors (a token and its address) is shown once, as the later one named it', () => {
    const merged = mergeExamples([ex('r1', 1)], [ex('r1', 1, { type: 'ip', id: '203.0.113.5' })]);
    expect(merged).toHaveLength(1);
    expect(merged[0].actor).toEqual({ type: 'ip', id: '203.0.113.5' });
  });

  it('an actor judged again with the same recent requests does not repeat them in its detection', () => {
    const book = new IncidentBook();
    const recent = [ex('r1', 1_000), ex('r2', 2_000), ex('r3', 3_000)];
    book.actorSignal(scraping(0.7, 3_000), [], recent);
    book.actorSignal(scraping(0.8, 4_000), [], [...recent.slice(1), ex('r4', 4_000)]);
    const [d] = book.drain(() => 60);
    expect(d.evidence.examples.map((e) => e.requestId)).toEqual(['r1', 'r2', 'r3', 'r4']);
  });
});

describe('Incident: timeline', () => {
  it('takes minutes from before it counted them, and leaves the minutes it counts alone', () => {
    const book = new IncidentBook();
    const inc = book.actorSignal({
      actor: { type: 'token', id: 'tok-a' }, service: 'shop/catalog', kind: 'scraping', strength: 0.7, start: 0, end: 3 * 60_000,
      evidence: [{ feature: 'distinct_ids', window: '30m', value: 900, baseline: 40, deviation: 5, text: '900 distinct paths' }],
    }, [], []);
    inc.count(2, false);
    inc.backfill(0, [5, 0, 9, 4], [1, 0, 0, 4]);
    const [d] = book.drain(() => 60);
    expect(d.evidence.timeline).toEqual([
      { t: 0, requests: 5, errors: 1 },
      { t: 2 * 60_000, requests: 1, errors: 0 },
      { t: 3 * 60_000, requests: 4, errors: 4 },
    ]);
  });
});
