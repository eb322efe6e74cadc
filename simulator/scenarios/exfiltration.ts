import { hostingIp } from '../population';
import type { Actor } from '../trace';
import { ticks } from './actors';
import type { Scenario } from './types';

/**
 * A support agent's stolen token used from a server abroad to page through the back office:
 * customer lists 200 at a time (emails, phones), their cards, the KYC queue (SSNs). Few
 * requests, far more personal data per request than the agent ever reads.
 */
export const exfiltration: Scenario = {
  kind: 'exfiltration',
  expected: ['exfiltration'],
  minutes: [15, 25],
  generate({ world, plan, r, send }) {
    const staff = world.population.pick('staff', r);
    const ip = hostingIp(r);
    const ua = r.chance(0.5) ? 'python-requests/2.31.0' : staff.ua;
    let page = 1;
    for (const t of ticks(r, plan.start, plan.end, (0.25 + r.next() * 0.2) * world.profile.attacks.intensity)) {
      const actor: Actor = { tokenId: world.population.tokenId(staff, t), user: staff.id, ip, ua };
      const roll = r.next();
      if (roll < 0.6) {
        send('ops/admin-api GET /admin/v1/customers', t, actor, new Map(), { query: `page=${page++}&per_page=200`, items: 200 });
      } else if (roll < 0.9) {
        const customer = world.population.users[r.int(world.population.users.length)];
        send('ops/admin-api GET /admin/v1/customers/{userId}/payment-methods', t, actor, new Map([['userId', customer.id]]), { items: 1 + r.int(4) });
      } else {
        send('ops/admin-api GET /admin/v1/kyc/pending', t, actor, new Map(), { query: `page=${1 + r.int(20)}&per_page=100`, items: 100 });
      }
    }
    return {};
  },
};
