import { describe, expect, it } from 'vitest';
import { SequenceAnalyzer } from './sequence';
import {
  analyse, APP_UA, BROWSER_UA, clients, population, request, session, signalOf, strengthOf, type Client, type Step, type Workflow,
} from './sequence/synthetic';
import { lcg } from './sequence/test-support';
import type { EngineEvent } from './types';

// The analyzer as the engine drives it: events in any order within the lateness, judged only once
// the watermark passed them, sessions split by pauses, learning that one client cannot steer.

const T0 = Date.UTC(2030, 3, 1, 8);
const MIN = 60_000;
const H = 60 * MIN;

const FLOW: Workflow = {
  home: { endpoint: 'pay/api GET /v1/home', next: [['list', 60], ['payees', 25], ['exit', 15]] },
  list: { endpoint: 'pay/api GET /v1/items', next: [['item', 70], ['home', 10], ['exit', 20]] },
  item: { endpoint: 'pay/api GET /v1/items/{id}', next: [['item', 40], ['list', 30], ['exit', 30]] },
  payees: { endpoint: 'pay/api POST /v1/payees', next: [['confirm', 100]] },
  confirm: { endpoint: 'pay/auth POST /v1/confirm', next: [['send', 90], ['exit', 10]] },
  send: { endpoint: 'pay/api POST /v1/transfers', next: [['exit', 100]] },
};
const people = clients('p', 600, APP_UA);
const background = (hours: number, seed = 1) => population(people, FLOW, 'home', T0, T0 + hours * H, 30 * MIN, seed);
const SKIP: Step[] = [{ endpoint: 'pay/api GET /v1/home' }, { endpoint: 'pay/api POST /v1/payees' }, { endpoint: 'pay/api POST /v1/transfers' }];
const intruder = (name: string): Client => ({ token: `${name}-t`, user: name, ip: '203.0.113.9', ua: APP_UA });

describe('sessions in event time', () => {
  it('judges nothing before the watermark passed it, then all of it', () => {
    const a = new SequenceAnalyzer();
    // the background ends before the attack (sessions started late are left out)
    for (const e of background(5).filter((x) => x.ts < T0 + 4 * H)) a.observe(e);
    a.collect(T0 + 4 * H);
    expect(a.pending).toBe(0);
    const attack = session(intruder('x'), T0 + 4 * H + MIN, SKIP);
    for (const e of [...attack].reverse()) a.observe(e); // the newest first
    expect(a.pending).toBe(attack.length);
    expect(a.collect(attack[0].ts - 1).filter((s) => s.actor.id === 'x')).toEqual([]);
    expect(a.pending).toBe(attack.length);
    const signals = a.collect(attack[attack.length - 1].ts);
    expect(a.pending).toBe(0);
    expect(strengthOf(signals, 'x', 'anomalous_sequence')).toBeGreaterThanOrEqual(0.5);
  });

  it('gives the same findings when batches arrive up to ten minutes out of order', () => {
    const events = [...background(6, 2), ...session(intruder('late'), T0 + 5 * H, SKIP)];
    const inOrder = analyse(events).signals;
    // each event reaches the analyzer up to 9 minutes after it happened; the watermark trails by 10
    const rand = lcg(7);
    const arrivals = events.map((e) => ({ e, at: e.ts + rand() * 9 * MIN })).sort((x, y) => x.at - y.at);
    const a = new SequenceAnalyzer();
    const shuffled = [];
    let newest = Number.NEGATIVE_INFINITY;
    for (const { e } of arrivals) {
      a.observe(e);
      newest = Math.max(newest, e.ts);
      shuffled.push(...a.collect(newest - 10 * MIN));
    }
    shuffled.push(...a.collect(Number.POSITIVE_INFINITY));
    expect(a.late).toBe(0);
    const strong = (signals: typeof inOrder) => [...new Set(signals.filter((s) => s.strength >= 0.5).map((s) => `${s.kind} ${s.actor.id}`))].sort();
    expect(strong(shuffled)).toEqual(strong(inOrder));
    expect(strong(inOrder)).toContain('anomalous_sequence late');
    expect(strengthOf(shuffled, 'late')).toBeCloseTo(strengthOf(inOrder, 'late'), 1);
  });

  it('reports the last look of sessions the end of the stream closes', () => {
    const a = new SequenceAnalyzer();
    for (const e of background(5)) a.observe(e);
    a.collect(T0 + 5 * H);
    for (const e of session(intruder('last'), T0 + 5 * H + MIN, SKIP)) a.observe(e);
    const signals = a.collect(Number.POSITIVE_INFINITY);
    expect(strengthOf(signals, 'last', 'anomalous_sequence')).toBeGreaterThanOrEqual(0.5);
  });

  it('drops an event that arrives after the watermark passed it, and counts it', () => {
    const a = new SequenceAnalyzer();
    const c = people[0];
    a.observe(request(c, T0 + 20 * MIN, 'pay/api GET /v1/home'));
    a.collect(T0 + 15 * MIN);
    a.observe(request(c, T0 + 10 * MIN, 'pay/api GET /v1/items'));
    expect(a.late).toBe(1);
    expect(a.pending).toBe(1);
  });

  it('a pause longer than the session gap starts a new session', () => {
    const confirmed = (name: string, pauseMs: number) => session(intruder(name), T0 + 5 * H, [
      { endpoint: 'pay/api GET /v1/home' }, { endpoint: 'pay/api POST /v1/payees' }, { endpoint: 'pay/auth POST /v1/confirm', gapMs: pauseMs },
      { endpoint: 'pay/api POST /v1/transfers' },
    ]);
    const { signals } = analyse([...background(7, 3), ...confirmed('paused-10m', 10 * MIN), ...confirmed('paused-30m', 30 * MIN)]);
    // within the gap the transfer follows its confirmation; after it, a new session starts with a transfer
    expect(strengthOf(signals, 'paused-10m')).toBeLessThan(0.35);
    const s = signalOf(signals, 'paused-30m', 'anomalous_sequence');
    expect(s?.strength).toBeGreaterThanOrEqual(0.5);
    expect(s!.evidence.map((e) => e.text).join('\n')).toContain('after (session start)');
  });
});

describe('likelihood against the population of the same kind', () => {
  it('does not penalise a long benign session: many usual steps are not evidence', () => {
    const reader = intruder('reader');
    const steps: Step[] = [{ endpoint: 'pay/api GET /v1/home' }, { endpoint: 'pay/api GET /v1/items' }];
    for (let i = 0; i < 60; i++) steps.push({ endpoint: i % 3 === 2 ? 'pay/api GET /v1/items' : 'pay/api GET /v1/items/{id}', ids: [1000 + ((i * 7919) % 5000)], gapMs: 20_000 });
    const { signals } = analyse([...background(6, 4), ...session(reader, T0 + 5 * H, steps)]);
    expect(strengthOf(signals, 'reader')).toBeLessThan(0.35);
  });

  it('reports the per-step log-likelihood against the kind\'s median', () => {
    const { signals } = analyse([...background(6, 5), ...session(intruder('odd'), T0 + 5 * H, SKIP)]);
    const s = signalOf(signals, 'odd', 'anomalous_sequence')!;
    const ll = s.evidence.find((e) => e.feature === 'sequence_likelihood')!;
    expect(ll.value).toBeLessThan(ll.baseline!);
    expect(ll.text).toMatch(/^per-step log-likelihood -[\d.]+ over 3 steps; mobile-app sessions: median -[\d.]+$/);
  });

  it('judges a browser against browsers: an app-only path from a browser is not excused by the apps', () => {
    const webFlow: Workflow = {
      home: { endpoint: 'pay/web GET /', next: [['page', 80], ['exit', 20]] },
      page: { endpoint: 'pay/web GET /pages/{slug}', next: [['page', 50], ['exit', 50]] },
    };
    const browsers = clients('b', 400, BROWSER_UA);
    const events = [...background(6, 6), ...population(browsers, webFlow, 'home', T0, T0 + 6 * H, 30 * MIN, 7)];
    const browserOnApp: Client = { ...intruder('web-on-api'), ua: BROWSER_UA };
    const { signals } = analyse([...events, ...session(browserOnApp, T0 + 5 * H, [{ endpoint: 'pay/api GET /v1/home' }, { endpoint: 'pay/api GET /v1/items' }, { endpoint: 'pay/api GET /v1/items/{id}' }])]);
    expect(signalOf(signals, 'web-on-api', 'anomalous_sequence')?.evidence[0].text).toMatch(/browser sessions/);
  });
});

describe('learning that one client cannot steer', () => {
  it('an attacker repeating its skip for hours does not make it usual for the next one', () => {
    const repeated: EngineEvent[] = [];
    for (let k = 0; k < 20; k++) repeated.push(...session(intruder('persistent'), T0 + 2 * H + k * 25 * MIN, SKIP));
    const { analyzer, signals } = analyse([...background(12, 8), ...repeated, ...session(intruder('second'), T0 + 11 * H, SKIP)]);
    expect(strengthOf(signals, 'persistent')).toBeGreaterThanOrEqual(0.5);
    expect(strengthOf(signals, 'second')).toBeGreaterThanOrEqual(0.5);
    const vocab = analyzer.m.vocab;
    const payees = vocab.endpoint('pay/api', 'POST /v1/payees').base;
    const transfers = vocab.endpoint('pay/api', 'POST /v1/transfers').base;
    expect(analyzer.m.model.knows(payees, transfers)).toBe(false);
  });

  it('a new step many clients take is learned, and stops being unusual', () => {
    const adopters = clients('adopter', 40, APP_UA);
    const newFlow: Step[] = [{ endpoint: 'pay/api GET /v1/home' }, { endpoint: 'pay/api GET /v1/offers' }, { endpoint: 'pay/api GET /v1/items' }];
    const adoption = adopters.flatMap((c, i) => session(c, T0 + 3 * H + i * 3 * MIN, newFlow));
    const late = session(intruder('latecomer'), T0 + 7 * H, newFlow);
    const { analyzer, signals } = analyse([...background(8, 9), ...adoption, ...late]);
    const vocab = analyzer.m.vocab;
    expect(analyzer.m.model.knows(vocab.endpoint('pay/api', 'GET /v1/home').base, vocab.endpoint('pay/api', 'GET /v1/offers').base)).toBe(true);
    expect(strengthOf(signals, 'latecomer')).toBeLessThan(strengthOf(signals, adopters[0].user!) + 1e-9);
    expect(strengthOf(signals, 'latecomer')).toBeLessThan(0.3);
  });
});

describe('bounded memory', () => {
  it('forgets actors beyond the bound and holds no more events than allowed', () => {
    const a = new SequenceAnalyzer({ limits: { maxActors: 100, maxPending: 500 } });
    const rand = lcg(11);
    let maxPending = 0;
    for (let i = 0; i < 5000; i++) {
      const c: Client = { token: null, user: null, ip: `198.51.${i % 250}.${1 + (i % 200)}`, ua: `agent-${i}` };
      a.observe(request(c, T0 + i * 1000 + Math.floor(rand() * 500), 'pay/web GET /'));
      maxPending = Math.max(maxPending, a.pending);
      if (i % 100 === 99) a.collect(T0 + i * 1000 - 10 * MIN);
    }
    a.collect(T0 + 5000 * 1000 + H);
    expect(maxPending).toBeLessThanOrEqual(501);
    expect(a.actorCount).toBeLessThanOrEqual(100);
  });
});
