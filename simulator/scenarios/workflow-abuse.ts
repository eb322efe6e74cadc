import type { User } from '../population';
import { between, lognormal } from '../random';
import type { Actor } from '../trace';
import type { AttackContext, Scenario } from './types';

/**
 * Return fraud: a customer files returns on one order after another without ever opening them
 * (the app always shows the order first), a request every few minutes: no rate limit trips.
 */
function refundWithoutOrder({ world, plan, r, send }: AttackContext, actor: (t: number) => Actor, userId: string) {
  let orderId = 4_100_000 + r.int(800_000);
  for (let t = plan.start + r.int(30_000); t < plan.end; t += lognormal(r, 150_000, 0.5) / world.profile.attacks.intensity) {
    orderId += between(r, 1, 40);
    const roll = r.next();
    const status = roll < 0.7 ? undefined : roll < 0.9 ? 409 : 403; // refused: already returned, or not theirs
    send('edge/gateway POST /api/v1/orders/{orderId}/returns', t, actor(t), new Map([['orderId', String(orderId)], ['userId', userId]]), { status });
  }
}

/**
 * Coupon abuse: promotion codes tried against a cart that never had an item added nor was looked
 * at, one code a minute or two, mostly refused (422), now and then one that works.
 */
function promoWithoutCart({ world, plan, r, send }: AttackContext, actor: (t: number) => Actor, userId: string) {
  for (let t = plan.start + r.int(30_000); t < plan.end; t += lognormal(r, 70_000, 0.5) / world.profile.attacks.intensity) {
    const code = `${r.pick(['SAVE', 'VIP', 'FREE', 'WELCOME', 'STAFF', 'XMAS'])}${between(r, 5, 90)}`;
    send('edge/gateway POST /api/v1/cart/promotions', t, actor(t), new Map([['code', code], ['userId', userId]]), { status: r.chance(0.9) ? 422 : 200 });
  }
}

/**
 * Abuse of a business flow that stays below any rate limit: the customer's own account, app and
 * address, steps repeated while the step the app always takes before them is skipped.
 */
export const workflowAbuse: Scenario = {
  kind: 'workflow_abuse',
  expected: ['anomalous_sequence'],
  minutes: [40, 120],
  variants: ['refund_without_order', 'promo_without_cart'],
  generate(ctx) {
    const { world, plan, r } = ctx;
    const customer: User = world.population.pick('app', r);
    // From home, not through a carrier's NAT: the address is the fraudster's own.
    const actor = (t: number): Actor => ({ tokenId: world.population.tokenId(customer, t), user: customer.id, ip: customer.homeIp, ua: customer.ua });
    if (plan.variant === 'refund_without_order') refundWithoutOrder(ctx, actor, customer.id);
    else promoWithoutCart(ctx, actor, customer.id);
    return {};
  },
};
