// Requests a service turns down as they are (402, 400, 422): card testing from the first minutes
// of the engine's life, when nothing about the mesh has been learnt yet.
import { describe, expect, it } from 'vitest';
import { DetectionEngine } from './engine';
import { benignClients, benignTraffic, BROWSER_UA, kindsByActor, MIN, request, run, type Client } from './engine-test-support';
import { lcg } from './sequence/test-support';

const START = Date.UTC(2025, 2, 4, 0);

describe('requests turned down', () => {
  it('a throwaway account paying for checkout after checkout with declined cards is named within minutes of the start; customers declined once are not', () => {
    const rand = lcg(31);
    const background = benignTraffic({ start: START, minutes: 60, clients: 300, seed: 29 });
    // twenty customers whose card is declined once, who pay with another a minute later
    const customers = benignClients(300).signedIn.slice(1, 21);
    const declined = customers.flatMap((c, i) => {
      const t = START + (3 + i * 2) * MIN;
      return [request(c, t, 'POST', `/checkout/${900 + i}/pay`, 402), request(c, t + MIN, 'POST', `/checkout/${900 + i}/pay`, 200)];
    });
    const ips = ['198.51.100.61', '198.51.100.62', '198.51.100.63'];
    const tester: Client = { token: 'tok-tester', user: 'u-tester', ip: ips[0], ua: BROWSER_UA };
    const testing = Array.from({ length: 400 }, (_, k) => {
      const roll = rand();
      return request({ ...tester, ip: ips[k % 3] }, START + 5 * MIN + k * 2_000, 'POST', `/checkout/${100_000 + Math.floor(rand() * 900_000)}/pay`, roll < 0.6 ? 402 : roll < 0.85 ? 200 : 404);
    });
    const r = run(new DetectionEngine(), [...background, ...declined, ...testing].sort((a, b) => a.ts - b.ts));
    const kinds = kindsByActor(r.detections.values());
    expect(kinds.get('user:u-tester')).toContain('anomalous_sequence');
    expect(r.firstNamed.get('user:u-tester')!.at).toBeLessThanOrEqual(START + 10 * MIN);
    for (const c of customers) expect(kinds.get(`user:${c.user}`), c.user!).toBeUndefined();
  });
});
