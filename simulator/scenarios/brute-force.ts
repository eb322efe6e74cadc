import { hostingIp } from '../population';
import type { Actor } from '../trace';
import { SCRIPT_UAS, ticks } from './actors';
import type { Scenario } from './types';

/**
 * Password guessing against one account from one address: a login a second or two, all 401,
 * and now and then the right password at the end, followed by a look around the account.
 */
export const bruteForce: Scenario = {
  kind: 'brute_force',
  expected: ['brute_force'],
  minutes: [5, 10],
  generate({ world, plan, r, send }) {
    const victim = world.population.pick('web', r);
    const actor: Actor = { tokenId: null, user: null, ip: hostingIp(r), ua: r.pick([...SCRIPT_UAS, 'Mozilla/4.0 (Hydra)']) };
    const params = () => new Map([['email', victim.email], ['username', victim.username]]);
    const login = r.chance(0.6) ? 'identity/auth POST /v1/login' : 'edge/web POST /login';
    const cracked = r.chance(0.35);
    const stopAt = cracked ? plan.start + (plan.end - plan.start) * 0.85 : plan.end;
    let last = plan.start;
    for (const t of ticks(r, plan.start, stopAt, (0.6 + r.next() * 1.4) * world.profile.attacks.intensity)) last = send(login, t, actor, params(), { status: 401 }).end;
    if (!cracked) return { targeted: [victim.username] };
    let t = send(login, last + 800, actor, params(), { status: 200 }).end + 2000;
    const owned: Actor = { ...actor, tokenId: world.population.tokenId(victim, t), user: victim.id };
    const look = ['edge/gateway GET /api/v1/users/me', 'edge/gateway GET /api/v1/users/me/addresses', 'edge/gateway GET /api/v1/users/me/payment-methods', 'edge/gateway GET /api/v1/orders'];
    for (const request of look) {
      if (t >= plan.end) break;
      t = send(request, t, owned, new Map([['userId', victim.id]])).end + 1500 + r.int(4000);
    }
    return { targeted: [victim.username], compromised: [victim.username] };
  },
};
