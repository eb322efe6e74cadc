import { beforeAll, describe, expect, it } from 'vitest';
import { DetectionEngine } from './engine';
import { ATTACK, benignClients, benignTraffic, kindsByActor, MIN, request, run, scenario, SERVICE, shuffled, type RunResult, type Scenario } from './engine-test-support';
import type { Detection } from './types';

const named = (r: RunResult, kind: string, actor: string): Detection[] =>
  [...r.detections.values()].filter((d) => d.kind === kind && d.actors.some((a) => `${a.type}:${a.id}` === actor));

/** the actors of the background population some detection named */
function benignNamed(r: RunResult, s: Scenario): string[] {
  return [...kindsByActor(r.detections.values()).keys()].filter((a) => s.benign.has(a));
}

describe('DetectionEngine on a quiet population', () => {
  it('raises nothing over two and a half hours of ordinary clients (priors first, then learned populations)', () => {
    const start = Date.UTC(2025, 2, 4, 6);
    const engine = new DetectionEngine();
    const r = run(engine, benignTraffic({ start, minutes: 150, clients: 200, seed: 5 }));
    expect(engine.stats.events).toBeGreaterThan(10_000);
    expect([...r.detections.values()].map((d) => `${d.kind} ${d.actors.slice(0, 3).map((a) => a.id).join(',')}`)).toEqual([]);
  });
});

describe('DetectionEngine on attacks in a background population', () => {
  let s: Scenario;
  let inOrder: RunResult;
  beforeAll(() => {
    s = scenario({ clients: 200 });
    inOrder = run(new DetectionEngine(), s.events);
  });

  it('names a brute-forcing address as brute force within minutes, while the attack goes on', () => {
    const ds = named(inOrder, 'brute_force', `ip:${ATTACK.bruteForceIp}`);
    expect(ds.length).toBeGreaterThan(0);
    const first = inOrder.firstNamed.get(`ip:${ATTACK.bruteForceIp}`)!;
    expect(first.kind).toBe('brute_force');
    expect(first.at - s.bruteForce[0]).toBeLessThanOrEqual(3 * MIN);
    expect(first.at).toBeLessThan(s.bruteForce[1]);
    const d = ds.find((x) => x.actors[0].id === ATTACK.bruteForceIp)!;
    expect(d.service).toBe('shop/api');
    expect(d.score).toBeGreaterThanOrEqual(60);
    expect(d.evidence.features.map((f) => f.feature)).toContain('refused_sign_ins');
    expect(d.evidence.examples.length).toBeGreaterThan(0);
    expect(d.evidence.examples.every((e) => e.status === 401 && e.path === '/login')).toBe(true);
    expect(d.start).toBeLessThanOrEqual(s.bruteForce[0] + MIN);
  });

  it('names a token walking 1,000 ids as scraping, with its user and its address', () => {
    const { token, user, ip } = ATTACK.scraper;
    const ds = named(inOrder, 'scraping', `token:${token}`);
    expect(ds.length).toBeGreaterThan(0);
    const actors = new Set(ds.flatMap((d) => d.actors.map((a) => `${a.type}:${a.id}`)));
    expect(actors).toContain(`user:${user}`);
    expect(actors).toContain(`ip:${ip}`);
    for (const a of [`token:${token}`, `user:${user}`, `ip:${ip}`]) {
      const first = inOrder.firstNamed.get(a)!;
      expect(first.at).toBeLessThan(s.scraping[1]);
      expect(first.at - s.scraping[0]).toBeLessThanOrEqual(10 * MIN);
    }
  });

  it('names an address answered 404 over many distinct paths as a crawler', () => {
    const ds = named(inOrder, 'crawler', `ip:${ATTACK.crawlerIp}`);
    expect(ds.length).toBeGreaterThan(0);
    const first = inOrder.firstNamed.get(`ip:${ATTACK.crawlerIp}`)!;
    expect(first.at).toBeLessThan(s.crawler[1]);
    expect(first.at - s.crawler[0]).toBeLessThanOrEqual(10 * MIN);
    const nf = ds[0].evidence.features.find((f) => f.feature === 'not_found')!;
    expect(nf.value).toBeGreaterThan(nf.baseline!);
  });

  it('names none of the background population while the attacks go on', () => {
    expect(benignNamed(inOrder, s)).toEqual([]);
  });

  it('events shuffled within 5 min give the same detections (kinds and actors) as in order', () => {
    const engine = new DetectionEngine();
    const late = run(engine, shuffled(s.events, 5 * MIN));
    expect(engine.stats.late).toBe(0);
    expect(kindsByActor(late.detections.values())).toEqual(kindsByActor(inOrder.detections.values()));
    expect(benignNamed(late, s)).toEqual([]);
  });
});

describe('DetectionEngine on credential stuffing', () => {
  it('names the addresses refused and never let in, not a regular client who mistyped and got in at the next try', () => {
    const start = Date.UTC(2025, 2, 5, 6);
    const background = benignTraffic({ start, minutes: 90, clients: 100, seed: 3 });
    const regular = benignClients(100).signedIn[7];
    const stuffers = Array.from({ length: 40 }, (_, i) => `203.0.113.${i + 1}`);
    const attack = stuffers.flatMap((ip, i) => Array.from({ length: 10 }, (_, k) =>
      request({ token: null, user: null, ip, ua: 'Mozilla/5.0' }, start + 60 * MIN + k * 90_000 + i * 1000, 'POST', '/login', 401)));
    // the regular client (seen since the first minutes) mistypes while the run goes on, and gets in ten seconds later, across a minute boundary
    const typo = start + 65 * MIN - 5_000;
    const mistype = [request(regular, typo, 'POST', '/login', 401), request(regular, typo + 10_000, 'POST', '/login', 200), request(regular, typo + 20_000, 'GET', '/products')];
    const r = run(new DetectionEngine(), [...background, ...attack, ...mistype].sort((a, b) => a.ts - b.ts));
    const kinds = kindsByActor(r.detections.values());
    const stuffing = stuffers.filter((ip) => kinds.get(`ip:${ip}`)?.has('credential_stuffing'));
    expect(stuffing.length).toBeGreaterThanOrEqual(36);
    for (const a of [`ip:${regular.ip}`, `token:${regular.token}`, `user:${regular.user}`]) expect(kinds.has(a), a).toBe(false);
  });
});

describe('DetectionEngine: the timeline of an attack found after it', () => {
  it('an actor first named once its burst is over brings the minutes of the burst', () => {
    const start = Date.UTC(2025, 2, 4, 6, 0, 10);
    const client = { token: 'tok-late', user: null, ip: '203.0.113.80', ua: 'python-requests/2.31.0' };
    const burst = [...Array.from({ length: 30 }, (_, i) => request(client, start + i * 1000, 'GET', '/orders/1')),
      ...Array.from({ length: 12 }, (_, i) => request(client, start + MIN + i * 1000, 'GET', '/orders/1', 403))];
    let due = false;
    // stands in for the sequence model: it names the token once the watermark passed the burst
    const late = { name: 'late', observe: () => {}, collect: (w: number) => (due || w < start + 5 * MIN ? [] : ((due = true), [{
      actor: { type: 'token' as const, id: 'tok-late' }, service: SERVICE, kind: 'anomalous_sequence' as const, strength: 0.8, start, end: start + MIN + 11_000,
      evidence: [{ feature: 'sequence_likelihood', window: null, value: 1, baseline: null, deviation: null, text: 'unusual' }],
    }])) };
    const engine = new DetectionEngine({ analyzers: [late] });
    engine.observe(burst);
    expect(engine.advance(start + 2 * MIN)).toEqual([]);
    engine.observe([request({ ...client, token: 'tok-other', ip: '203.0.113.81' }, start + 10 * MIN, 'GET', '/orders/2')]);
    const [d] = engine.advance(start + 6 * MIN).filter((x) => x.actors.some((a) => a.id === 'tok-late'));
    expect(d.evidence.timeline).toEqual([
      { t: Math.floor(start / MIN) * MIN, requests: 30, errors: 0 },
      { t: Math.floor(start / MIN) * MIN + MIN, requests: 12, errors: 12 },
    ]);
  });
});
