import { hostingIp } from '../population';
import { between, lognormal } from '../random';
import { runTrace, type Actor } from '../trace';
import { sessionActor } from '../sessions';
import type { Scenario } from './types';

const LOOK = [
  'edge/gateway GET /api/v1/users/me', 'edge/gateway GET /api/v1/users/me/addresses', 'edge/gateway GET /api/v1/users/me/payment-methods',
  'edge/gateway GET /api/v1/orders', 'edge/gateway GET /api/v1/orders/{orderId}', 'edge/gateway GET /api/v1/orders/{orderId}/invoice.pdf',
  'edge/gateway GET /api/v1/wishlist', 'edge/gateway GET /api/v1/cart',
];
const CHANGE = ['edge/gateway PATCH /api/v1/users/me', 'edge/gateway POST /api/v1/users/me/payment-methods', 'edge/gateway POST /api/v1/cart/items'];

/**
 * A customer's bearer token, stolen (malware, a leaked log), replayed from another address with
 * the owner's own User-Agent, at a person's pace: reading the profile, cards and orders, then
 * changing the phone number or adding a card. The owner keeps using the app meanwhile, so the
 * same token is live from two places at once.
 */
export const tokenReplay: Scenario = {
  kind: 'token_replay',
  expected: ['token_misuse'],
  minutes: [10, 40],
  generate({ world, plan, r, send, out }) {
    const victim = world.population.pick(r.chance(0.6) ? 'app' : 'web', r);
    const stolen = world.population.tokenId(victim, plan.start);
    const attacker: Actor = { tokenId: stolen, user: victim.id, ip: hostingIp(r), ua: victim.ua };
    const params = new Map([['userId', victim.id], ['email', victim.email]]);
    const gap = 1 / world.profile.attacks.intensity;
    for (let t = plan.start + r.int(20_000); t < plan.end; ) {
      const request = r.chance(0.15) ? r.pick(CHANGE) : r.pick(LOOK);
      params.delete('orderId');
      params.delete('productId');
      t = send(request, t, attacker, params).end + Math.max(1500, lognormal(r, 12_000 * gap, 0.7));
    }
    // The owner, unaware, checks the app now and then from where they always are: benign events, not the attack's.
    for (let t = plan.start + between(r, 60_000, 240_000); t < plan.end; t += between(r, 180_000, 600_000)) {
      const owner = { ...sessionActor(world, victim, t, r), tokenId: stolen };
      runTrace(world, out, world.topology.endpoint(r.pick(['edge/gateway GET /api/v1/orders', 'edge/gateway GET /api/v2/products/featured'])), t, owner, new Map([['userId', victim.id]]), r);
    }
    return { targeted: [victim.username], compromised: [victim.username] };
  },
};
