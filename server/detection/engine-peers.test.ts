// Exfiltration judged against an actor's peers: the others signed in through the same address.
import { describe, expect, it } from 'vitest';
import { DetectionEngine } from './engine';
import { benignTraffic, BROWSER_UA, kindsByActor, MIN, request, run, type Client } from './engine-test-support';

const START = Date.UTC(2025, 2, 4, 6);
const OFFICE = '203.0.113.200';
const staff: Client[] = Array.from({ length: 6 }, (_, i) => ({ token: `tok-staff-${i}`, user: `staff-${i}`, ip: OFFICE, ua: BROWSER_UA }));

/** support staff arriving at the office an hour in, each opening a customer record every ~20 s (about 20 sensitive values each) */
function officeDay(from: number, minutes: number) {
  return staff.flatMap((c, i) => Array.from({ length: minutes * 3 }, (_, k) =>
    request(c, from + k * 20_000 + i * 1_700, 'GET', `/customers/${50_000 + i * 1_000 + k}`, 200, { template: '/customers/{id}', sensitive: 20 })));
}

describe('exfiltration against peers', () => {
  it('support staff who all open customer records are named neither scrapers nor exfiltrators; one of them dumping thousands of records is', () => {
    const background = benignTraffic({ start: START, minutes: 150, clients: 300, seed: 17 });
    const office = officeDay(START + 60 * MIN, 90);
    const dumper = staff[2];
    const dump = Array.from({ length: 400 }, (_, k) =>
      request(dumper, START + 120 * MIN + k * 1_500, 'GET', '/reports/customers.csv', 200, { template: '/reports/{name}', sensitive: 50 }));
    const r = run(new DetectionEngine(), [...background, ...office, ...dump].sort((a, b) => a.ts - b.ts));
    const kinds = kindsByActor(r.detections.values());
    expect(kinds.get(`user:${dumper.user}`)).toContain('exfiltration');
    for (const c of staff) if (c !== dumper) expect([...(kinds.get(`user:${c.user}`) ?? [])], c.user!).toEqual([]);
    // before the dump, the dumper was one of the staff too
    expect(r.firstNamed.get(`user:${dumper.user}`)!.at).toBeGreaterThanOrEqual(START + 120 * MIN);
  });

  it('a staff member reading records in bursts, alone, is judged against their own earlier bursts: only a run far beyond them (their stolen token) is named', () => {
    const background = benignTraffic({ start: START, minutes: 600, clients: 300, seed: 23 });
    const agent: Client = { token: 'tok-agent', user: 'agent-1', ip: '198.51.100.40', ua: BROWSER_UA };
    // a burst of 10 minutes every 90: a record every 10 s, 30 sensitive values each (1,800 per burst)
    const bursts = [0, 1, 2, 3, 4, 5].flatMap((b) => Array.from({ length: 60 }, (_, k) =>
      request(agent, START + (30 + b * 90) * MIN + k * 10_000, 'GET', `/customers/${70_000 + b * 100 + k}`, 200, { template: '/customers/{id}', sensitive: 30 })));
    // then the agent's token from elsewhere, paging through the customer list 200 at a time
    const thief: Client = { ...agent, ip: '203.0.113.77', ua: 'python-requests/2.31.0' };
    const dump = Array.from({ length: 120 }, (_, k) =>
      request(thief, START + 570 * MIN + k * 5_000, 'GET', '/customers', 200, { template: '/customers', sensitive: 200, query: `page=${k + 1}` }));
    const r = run(new DetectionEngine(), [...background, ...bursts, ...dump].sort((a, b) => a.ts - b.ts));
    const exfil = [...r.detections.values()].filter((d) => d.kind === 'exfiltration' && d.actors.some((a) => a.type === 'user' && a.id === agent.user));
    // the first burst may stand out (nothing of the agent's is known yet), none after it does
    expect(exfil.filter((d) => d.end < START + 570 * MIN && d.start > START + 60 * MIN)).toEqual([]);
    expect(exfil.filter((d) => d.actors.some((a) => a.id === thief.ip)).length).toBe(1);
  });

  it('a scraper rotating guest tokens on one address is not its own peer group', () => {
    const background = benignTraffic({ start: START, minutes: 120, clients: 300, seed: 19 });
    const ip = '203.0.113.201';
    // a new guest token every 300 requests, each walking the next stretch of ids
    const walk = Array.from({ length: 1_500 }, (_, k) =>
      request({ token: `tok-guest-${Math.floor(k / 300)}`, user: null, ip, ua: BROWSER_UA }, START + 60 * MIN + k * 1_000, 'GET', `/stores/${7_000 + ((k * 7919) % 5_000)}`, 200, { template: '/stores/{id}' }));
    const r = run(new DetectionEngine(), [...background, ...walk].sort((a, b) => a.ts - b.ts));
    const kinds = kindsByActor(r.detections.values());
    const named = [0, 1, 2, 3, 4].filter((i) => kinds.get(`token:tok-guest-${i}`)?.has('scraping'));
    expect(named.length).toBeGreaterThanOrEqual(4);
  });
});
