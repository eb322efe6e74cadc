// Floods the engine meets in a running mesh: a burst on an endpoint nobody called before.
import { describe, expect, it } from 'vitest';
import { DetectionEngine } from './engine';
import { benignTraffic, MIN, request, run, SCRIPT_UA } from './engine-test-support';

const START = Date.UTC(2025, 2, 4, 6);

describe('a flood of an endpoint never called before', () => {
  it('is judged at once against its silence, not after half an hour of its own history', () => {
    const background = benignTraffic({ start: START, minutes: 150, clients: 300, seed: 13 });
    const at = START + 120 * MIN;
    const bots = Array.from({ length: 60 }, (_, i) => `198.51.100.${i + 1}`);
    // three minutes: over before the endpoint would have had a baseline of its own
    const flood = bots.flatMap((ip, i) => Array.from({ length: 100 }, (_, k) =>
      request({ token: null, user: null, ip, ua: SCRIPT_UA }, at + k * 1_800 + i * 20, 'POST', '/quote')));
    const r = run(new DetectionEngine(), [...background, ...flood].sort((a, b) => a.ts - b.ts));
    const named = bots.filter((ip) => r.firstNamed.get(`ip:${ip}`)?.kind === 'dos');
    expect(named.length).toBeGreaterThanOrEqual(50);
    for (const ip of named) expect(r.firstNamed.get(`ip:${ip}`)!.at - at).toBeLessThanOrEqual(5 * MIN);
  });
});
