import { hostingIp } from '../population';
import { rotatingUa } from './actors';
import type { Scenario } from './types';

/**
 * Brute force below every rate limit: one account, a guess every few minutes for hours,
 * rotating between a handful of addresses.
 */
export const lowAndSlow: Scenario = {
  kind: 'low_and_slow',
  expected: ['brute_force'],
  minutes: [180, 300],
  generate({ world, plan, r, send }) {
    const victim = world.population.pick(r.chance(0.5) ? 'app' : 'web', r);
    const ips = Array.from({ length: 2 + r.int(3) }, () => hostingIp(r));
    const ua = rotatingUa(r);
    const { intensity } = world.profile.attacks;
    for (let t = plan.start + r.int(60_000); t < plan.end; t += (120_000 + r.int(240_000)) / intensity) {
      send('identity/auth POST /v1/login', t, { tokenId: null, user: null, ip: r.pick(ips), ua }, new Map([['email', victim.email]]), { status: 401 });
    }
    return { targeted: [victim.username] };
  },
};
