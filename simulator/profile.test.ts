import { describe, expect, it } from 'vitest';
import { SLOT_MS } from './benign';
import { drawProfile, MAX_DURATION_SCALE, type Profile } from './profile';
import { SCENARIOS } from './scenarios';
import { SCENARIO_KINDS } from './scenarios/types';
import { generateWindow } from './stream';
import { World } from './world';

const seeds = Array.from({ length: 40 }, (_, i) => i + 1);
const profiles = seeds.map(drawProfile);
const spread = (f: (p: Profile) => number) => {
  const xs = profiles.map(f);
  return { min: Math.min(...xs), max: Math.max(...xs), distinct: new Set(xs).size };
};
const extreme = (f: (p: Profile) => number) => {
  const sorted = [...seeds].sort((a, b) => f(drawProfile(a)) - f(drawProfile(b)));
  return [sorted[0], sorted[sorted.length - 1]];
};

describe('per-seed variation', () => {
  it('draws a profile from the seed alone', () => {
    expect(drawProfile(7)).toEqual(drawProfile(7));
    expect(drawProfile(7)).not.toEqual(drawProfile(8));
  });

  it('varies population, day shape, cohort sizes and attack force across seeds within realistic ranges', () => {
    const checks: [string, (p: Profile) => number, number, number][] = [
      ['users', (p) => p.users, 2500, 9000],
      ['staff', (p) => p.staff, 8, 30],
      ['trough', (p) => p.day.trough, 0.12, 0.3],
      ['peak hour', (p) => p.day.peakHour, 14, 19],
      ['carrier NAT share', (p) => p.cgnat.share, 0.25, 0.6],
      ['NAT addresses', (p) => p.cgnat.carriers.reduce((n, c) => n + c.ips.length, 0), 2, 18],
      ['VPN share', (p) => p.vpn.share, 0.02, 0.07],
      ['linked accounts', (p) => p.aggregators[0].linkedAt20, 80, 400],
      ['typo rate', (p) => p.typo, 0.03, 0.1],
      ['attack intensity', (p) => p.attacks.intensity, 0.6, 1.6],
      ['attack duration', (p) => p.attacks.duration, 0.75, MAX_DURATION_SCALE],
      ['botnet size', (p) => p.attacks.botnet, 0.75, 1.5],
    ];
    for (const [name, f, lo, hi] of checks) {
      const s = spread(f);
      expect(s.min, name).toBeGreaterThanOrEqual(lo);
      expect(s.max, name).toBeLessThanOrEqual(hi);
      // spread over most of the range, not stuck on one setting
      expect(s.max - s.min, name).toBeGreaterThan((hi - lo) * 0.5);
      expect(s.distinct, name).toBeGreaterThanOrEqual(4);
    }
  });

  it('builds the world from the profile: population size, NAT pools, attack durations', () => {
    const [short, long] = extreme((p) => p.attacks.duration);
    for (const seed of [short, long]) {
      const w = new World({ seed, rate: 1 });
      expect(w.population.users.length).toBe(w.profile.users);
      const scale = w.profile.attacks.duration;
      for (let k = 1000; k < 1000 + 2 * SCENARIO_KINDS.length; k++) {
        const plan = w.plan(k)!;
        const [lo, hi] = SCENARIOS[plan.kind].minutes;
        const minutes = (plan.end - plan.start) / 60_000;
        expect(minutes).toBeGreaterThanOrEqual(lo * scale - 0.01);
        expect(minutes).toBeLessThanOrEqual(hi * scale + 0.01);
      }
    }
  });

  it('keeps the asked-for rate whatever the mix', () => {
    for (const seed of extreme((p) => p.cgnat.share)) {
      const w = new World({ seed, rate: 3, users: 1500, scenarios: [] });
      const from = Date.UTC(2025, 1, 3, 10);
      const to = from + 2 * 3_600_000;
      const { records } = generateWindow(w, from, to);
      let expected = 0;
      const { shares } = w.profile;
      const rest = 3 - w.rates.scheduledEvents;
      for (let t = from; t < to; t += SLOT_MS) expected += (w.rates.scheduledEvents + rest * shares.crawls + rest * (1 - shares.crawls) * w.curve(t + SLOT_MS / 2)) * 60;
      expect(records.length / expected, `seed ${seed}`).toBeGreaterThan(0.8);
      expect(records.length / expected, `seed ${seed}`).toBeLessThan(1.2);
    }
  });

  it('gives bigger botnets to a world with a bigger botnet factor', () => {
    const [small, big] = extreme((p) => p.attacks.botnet);
    const meanIps = (seed: number) => {
      const w = new World({ seed, rate: 0.3, users: 300, scenarios: ['credential_stuffing'], attackEveryMin: 40 });
      const from = Date.UTC(2025, 1, 3, 10);
      const { truth } = generateWindow(w, from, from + 3 * 40 * 60_000);
      const whole = truth.filter((e) => Date.parse(e.start) > from + 60_000);
      expect(whole.length).toBeGreaterThanOrEqual(2);
      return whole.reduce((n, e) => n + e.actors.ips.length, 0) / whole.length;
    };
    expect(meanIps(big)).toBeGreaterThan(1.3 * meanIps(small));
  });
});
