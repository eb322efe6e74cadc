import { residentialIp } from '../population';
import { uuid } from '../random';
import type { Actor } from '../trace';
import { SHOP_APP_UAS } from '../words';
import { SCRIPT_UAS, throwawayAccount } from './actors';
import type { AttackContext, Scenario } from './types';

/** Card testing: paying for checkouts that were never created, from carts that never existed. */
function checkoutWithoutCart({ world, plan, r, send }: AttackContext) {
  const ips = Array.from({ length: 3 }, () => residentialIp(r));
  const account = throwawayAccount(r, plan.id, ips[0], r.pick(SHOP_APP_UAS));
  for (let t = plan.start + r.int(5000); t < plan.end; t += (8000 + r.int(30_000)) / world.profile.attacks.intensity) {
    const roll = r.next();
    const status = roll < 0.6 ? 402 : roll < 0.85 ? 200 : 404;
    send('edge/gateway POST /api/v1/checkout/{checkoutId}/pay', t, { ...account, ip: r.pick(ips) }, new Map([['checkoutId', uuid(r)], ['userId', account.user!]]), { status });
  }
}

const ADMIN = [
  'ops/admin-api GET /admin/v1/customers', 'ops/admin-api GET /admin/v1/config', 'ops/admin-api GET /admin/v1/api-keys',
  'ops/admin-api GET /admin/v1/customers/{userId}', 'ops/admin-api GET /admin/v1/kyc/pending', 'ops/admin-api GET /admin/v1/audit',
];

/** A shop customer's token tried against the staff back office; most calls are refused, a few slip through. */
function adminFromShopToken({ world, plan, r, send }: AttackContext) {
  const customer = world.population.pick('app', r);
  const ip = residentialIp(r);
  const ua = r.chance(0.5) ? r.pick(SCRIPT_UAS) : customer.ua;
  for (let t = plan.start + r.int(5000); t < plan.end; t += (10_000 + r.int(50_000)) / world.profile.attacks.intensity) {
    const actor: Actor = { tokenId: world.population.tokenId(customer, t), user: customer.id, ip, ua };
    const other = world.population.users[r.int(world.population.users.length)];
    send(r.pick(ADMIN), t, actor, new Map([['userId', other.id]]), { status: r.chance(0.9) ? 403 : 200 });
  }
}

/** Requests in an order no benign workflow produces. */
export const outOfOrder: Scenario = {
  kind: 'out_of_order',
  expected: ['anomalous_sequence'],
  minutes: [10, 20],
  variants: ['checkout_without_cart', 'admin_from_shop_token'],
  generate(ctx) {
    if (ctx.plan.variant === 'checkout_without_cart') checkoutWithoutCart(ctx);
    else adminFromShopToken(ctx);
    return {};
  },
};
