// Scraping beyond ids in the path: grid points walked through a query string, an anonymous
// address polling the same pages, and a guessing tool that goes on against a locked account.
import { describe, expect, it } from 'vitest';
import { DetectionEngine } from './engine';
import { benignTraffic, kindsByActor, MIN, request, run, SCRIPT_UA, type Client } from './engine-test-support';

const START = Date.UTC(2025, 2, 4, 6);

function withBackground(attack: ReturnType<typeof request>[], seed = 11) {
  const background = benignTraffic({ start: START, minutes: 90, clients: 300, seed });
  return run(new DetectionEngine(), [...background, ...attack].sort((a, b) => a.ts - b.ts));
}

describe('scraping', () => {
  it('names a token walking a grid through the query string of one path', () => {
    const c: Client = { token: 'tok-grid', user: null, ip: '198.51.100.20', ua: SCRIPT_UA };
    const grid = Array.from({ length: 1_000 }, (_, i) => request(c, START + 50 * MIN + i * 1_200, 'GET', '/stores', 200,
      { template: '/stores', query: `lat=${(38 + 0.25 * Math.floor(i / 40)).toFixed(2)}&lng=${(-80 + 0.25 * (i % 40)).toFixed(2)}&radius=25` }));
    const kinds = kindsByActor(withBackground(grid).detections.values());
    expect(kinds.get('token:tok-grid')).toContain('scraping');
  });

  it('does not take a cache buster for a walk: an app polling with ?_=<time> is one resource', () => {
    const c: Client = { token: 'tok-poll', user: null, ip: '198.51.100.21', ua: SCRIPT_UA };
    const polling = Array.from({ length: 600 }, (_, i) => request(c, START + 40 * MIN + i * 2_000, 'GET', '/stores', 200,
      { template: '/stores', query: `_=${START + i * 2_000}&region=east` }));
    const kinds = kindsByActor(withBackground(polling).detections.values());
    expect(kinds.get('token:tok-poll')?.has('scraping') ?? false).toBe(false);
  });

  it('names an anonymous address reading the same pages again and again, not one reading each page once', () => {
    const scraper: Client = { token: null, user: null, ip: '198.51.100.30', ua: SCRIPT_UA };
    const indexer: Client = { token: null, user: null, ip: '198.51.100.31', ua: 'Mozilla/5.0 (compatible; ExampleBot/1.0)' };
    const polls = Array.from({ length: 1_500 }, (_, i) => request(scraper, START + 40 * MIN + i * 1_200, 'GET', `/products/${900 + (i % 25)}`));
    // in the sitemap's order, not the ids' (an id walk in order is the sequence model's to name)
    const index = Array.from({ length: 250 }, (_, i) => request(indexer, START + 40 * MIN + i * 1_500, 'GET', `/products/${5_000 + ((i * 37) % 250) * 7}`));
    const r = withBackground([...polls, ...index]);
    const kinds = kindsByActor(r.detections.values());
    expect(kinds.get('ip:198.51.100.30')).toContain('scraping');
    expect(kinds.has('ip:198.51.100.31')).toBe(false);
    const d = [...r.detections.values()].find((x) => x.actors.some((a) => a.id === '198.51.100.30'))!;
    expect(d.evidence.features.map((f) => f.feature)).toContain('repeat_reads');
  });
});

describe('brute force against a locked account', () => {
  it('counts the locked answers (423) after the first misses as refused sign-ins', () => {
    const c: Client = { token: null, user: null, ip: '198.51.100.40', ua: SCRIPT_UA };
    // ten misses, then the account locks and the tool keeps going for two minutes
    const attempts = Array.from({ length: 200 }, (_, i) => request(c, START + 50 * MIN + i * 600, 'POST', '/login', i < 10 ? 401 : 423));
    const kinds = kindsByActor(withBackground(attempts).detections.values());
    expect(kinds.get('ip:198.51.100.40')).toContain('brute_force');
  });
});

describe('an account taken over by brute force', () => {
  const guesser: Client = { token: null, user: null, ip: '198.51.100.41', ua: SCRIPT_UA };
  const guesses = (ip: string) => Array.from({ length: 300 }, (_, i) => request({ ...guesser, ip }, START + 50 * MIN + i * 1_500, 'POST', '/login', 401));
  // the victim's own sessions before, from home
  const victimHome: Client = { token: 'tok-victim-own', user: 'user-victim', ip: '10.99.0.7', ua: 'Mozilla/5.0' };
  const own = Array.from({ length: 20 }, (_, i) => request(victimHome, START + 5 * MIN + i * 30_000, 'GET', `/orders/${40 + i}`));
  // the guess that worked, then the stolen session at work from the same address
  const stolen = (ip: string, user: string, token: string) => {
    const c: Client = { token, user, ip, ua: SCRIPT_UA };
    return [
      request({ ...guesser, ip }, START + 57 * MIN + 1_000, 'POST', '/login', 200),
      ...['/users/me', '/users/me/addresses', '/users/me/payment-methods', '/orders'].map((p, i) => request(c, START + 57 * MIN + 5_000 + i * 4_000, 'GET', p)),
    ];
  };

  it('names the account the address got into, with the address', () => {
    const r = withBackground([...guesses(guesser.ip), ...own, ...stolen(guesser.ip, 'user-victim', 'tok-stolen')]);
    const d = [...r.detections.values()].find((x) => x.kind === 'brute_force' && x.actors.some((a) => a.id === guesser.ip))!;
    expect(d).toBeDefined();
    const named = d.actors.map((a) => `${a.type}:${a.id}`);
    expect(named).toEqual(expect.arrayContaining(['user:user-victim', 'token:tok-stolen']));
    // the victim's own session, from elsewhere, is not the attacker's
    expect(named).not.toContain('token:tok-victim-own');
  });

  it('names no one on an address where many users sign in meanwhile (a shared address)', () => {
    const ip = '198.51.100.42';
    const others = Array.from({ length: 6 }, (_, k) => stolen(ip, `user-office-${k}`, `tok-office-${k}`).map((e) => ({ ...e, ts: e.ts + k * 20_000 }))).flat();
    const r = withBackground([...guesses(ip), ...others].sort((a, b) => a.ts - b.ts));
    const d = [...r.detections.values()].find((x) => x.kind === 'brute_force' && x.actors.some((a) => a.id === ip))!;
    expect(d).toBeDefined();
    expect(d.actors.filter((a) => a.type === 'user' || a.type === 'token')).toEqual([]);
  });
});
