// The engine's settings end to end: allow-list, thresholds (global and per service), the bound
// on actors. The background population and attacks of engine.test.ts, a smaller and shorter one.
import { beforeAll, describe, expect, it } from 'vitest';
import { DetectionEngine } from './engine';
import { ATTACK, BROWSER_UA, bruteForce, crawler, kindsByActor, MIN, run, scenario, scraping, type RunResult, type Scenario } from './engine-test-support';
import { DEFAULT_THRESHOLDS, type EngineEvent, type Thresholds } from './types';

const namedActors = (r: RunResult) => new Set(kindsByActor(r.detections.values()).keys());
const withEvents = (s: Scenario, extra: EngineEvent[]) => [...s.events, ...extra].sort((a, b) => a.ts - b.ts);
/** two hours of 150 clients, the attacks from minute 70 */
const small = () => scenario({ clients: 150, minutes: 120, attackAt: 70 });

describe('DetectionEngine allow-list', () => {
  let s: Scenario;
  beforeAll(() => {
    s = small();
  });

  const monitor = { ip: '198.18.9.9', ua: 'Mozilla/5.0 (compatible; AcmeUptimeBot/2.1; +https://acme.example/bot)' };
  const partner = { token: 'tok-partner', user: 'user-partner', ip: '198.18.10.10', ua: 'PartnerSync/1.0' };
  const other = '198.18.11.11';

  it('suppresses the actors it covers (address, block, token, user, user agent in any case) and only them', () => {
    const extra = [
      ...crawler(monitor.ip, s.crawler[0], { ua: monitor.ua }),
      ...scraping(partner, s.scraping[0]),
      ...bruteForce(other, s.bruteForce[0]),
    ];
    const engine = new DetectionEngine();
    engine.setAllowList([
      { type: 'ip', value: ATTACK.bruteForceIp, note: 'pen test' },
      { type: 'cidr', value: '203.0.113.0/24', note: 'our scanner' },
      { type: 'token', value: ATTACK.scraper.token, note: 'search index' },
      { type: 'user', value: partner.user, note: 'partner' },
      { type: 'user_agent', value: 'acmeuptimebot', note: 'uptime monitor' },
    ]);
    const r = run(engine, withEvents(s, extra));
    const actors = namedActors(r);
    for (const a of [
      `ip:${ATTACK.bruteForceIp}`, `ip:${ATTACK.crawlerIp}`, 'ip_group:203.0.113.0/24',
      `token:${ATTACK.scraper.token}`, `user:${ATTACK.scraper.user}`, `ip:${ATTACK.scraper.ip}`,
      `ip:${monitor.ip}`, `token:${partner.token}`, `user:${partner.user}`, `ip:${partner.ip}`,
    ]) expect(actors.has(a), a).toBe(false);
    // an attacker the list does not cover is still found
    expect(kindsByActor(r.detections.values()).get(`ip:${other}`)).toContain('brute_force');
  });

  it('a change to the list applies to the events that follow', () => {
    const engine = new DetectionEngine({ allow: [{ type: 'ip', value: ATTACK.bruteForceIp, note: 'pen test' }] });
    const cut = s.bruteForce[0] + 4 * MIN;
    const before = run(engine, s.events.filter((e) => e.ts < cut));
    expect(namedActors(before).has(`ip:${ATTACK.bruteForceIp}`)).toBe(false);
    engine.setAllowList([]);
    const after = run(engine, s.events.filter((e) => e.ts >= cut && e.ts < s.bruteForce[1] + 5 * MIN));
    expect(kindsByActor(after.detections.values()).get(`ip:${ATTACK.bruteForceIp}`)).toContain('brute_force');
  });
});

describe('DetectionEngine thresholds', () => {
  let events: EngineEvent[];
  let defaults: RunResult;
  /** a smaller brute force: 15 refused sign-ins in 4 min, well past the default sensitivities but not thirty deviations out */
  const mild = '198.18.7.7';

  const runWith = (t: { global?: Partial<Thresholds>; services?: Record<string, Thresholds> }) => {
    const engine = new DetectionEngine();
    engine.setThresholds({ global: { ...DEFAULT_THRESHOLDS, ...t.global }, services: t.services ?? {} });
    return run(engine, events);
  };

  beforeAll(() => {
    const s = small();
    events = withEvents(s, bruteForce(mild, s.start + 60 * MIN, { attempts: 15, minutes: 4, ua: BROWSER_UA }));
    defaults = runWith({});
  });

  it('at the defaults the smaller attack and the strong ones are detected', () => {
    const kinds = kindsByActor(defaults.detections.values());
    expect(kinds.get(`ip:${mild}`)).toContain('brute_force');
    expect(kinds.get(`ip:${ATTACK.bruteForceIp}`)).toContain('brute_force');
    expect(kinds.get(`ip:${ATTACK.crawlerIp}`)).toContain('crawler');
  });

  it('higher window sensitivities detect less: the smaller attack goes, what is far out stays', () => {
    const r = runWith({ global: { windows: { '5m': 30, '30m': 30, '4h': 30, '24h': 30 } } });
    const actors = namedActors(r);
    expect(actors.has(`ip:${mild}`)).toBe(false);
    expect(actors.has(`ip:${ATTACK.bruteForceIp}`)).toBe(true);
    expect(actors.has(`ip:${ATTACK.crawlerIp}`)).toBe(true);
    for (const a of actors) expect(namedActors(defaults).has(a), a).toBe(true);
  });

  it('a higher alert score raises exactly the detections that score at or above it', () => {
    // scores only grow as findings come in, so an incident is raised under a higher alert iff its final score reaches it
    const alert = Math.min(...[...defaults.detections.values()].map((d) => d.score)) + 1;
    const r = runWith({ global: { alert } });
    const expected = [...defaults.detections.values()].filter((d) => d.score >= alert).map((d) => d.id).sort();
    expect(expected.length).toBeLessThan(defaults.detections.size);
    expect([...r.detections.keys()].sort()).toEqual(expected);
  });

  it("a service's own thresholds take precedence over the global ones", () => {
    const strict: Thresholds = { ...DEFAULT_THRESHOLDS, alert: 100 };
    expect(runWith({ services: { 'shop/api': strict } }).detections.size).toBe(0);
  });
});

describe('DetectionEngine memory bound', () => {
  it('holds no more than maxActors actors, and still finds the attack going on', () => {
    const s = small();
    const engine = new DetectionEngine({ maxActors: 250 });
    const r = run(engine, s.events.filter((e) => e.ts < s.bruteForce[1]));
    expect(s.benign.size).toBeGreaterThan(500);
    expect(r.peakActors).toBeLessThanOrEqual(250);
    expect(engine.stats.actors).toBeLessThanOrEqual(250);
    expect(kindsByActor(r.detections.values()).get(`ip:${ATTACK.bruteForceIp}`)).toContain('brute_force');
  });
});
