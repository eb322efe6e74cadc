import type { Load } from '../trace';
import { SEARCH_TERMS } from '../words';
import { botnet, rotatingUa } from './actors';
import type { AttackPlan, Scenario } from './types';

const TARGETS: Record<string, { request: string; backend: string }> = {
  search: { request: 'edge/web GET /search', backend: 'shop/search' },
  recommendations: { request: 'edge/gateway GET /api/v2/products/{productId}/similar', backend: 'shop/recommendations' },
  quote: { request: 'edge/gateway POST /api/v1/shipping/quote', backend: 'logistics/shipping' },
};

/** 0 → 1 over the first five minutes, back down over the last two. */
function ramp(plan: AttackPlan, ts: number): number {
  return Math.max(0, Math.min(1, (ts - plan.start) / 300_000, (plan.end - ts) / 120_000));
}

/**
 * A flood that no per-address limit sees: hundreds of hijacked home routers, each asking for an
 * expensive page every 10–60 s like a person browsing, with browser User-Agents and real search
 * terms. Together they are ten to thirty times the endpoint's usual traffic; the back end slows.
 */
export const distributedFlood: Scenario = {
  kind: 'distributed_flood',
  expected: ['dos', 'distributed_attack'],
  minutes: [20, 60],
  variants: ['search', 'recommendations', 'quote'],
  load(plan, service, ts): Load | null {
    if (service !== TARGETS[plan.variant!].backend) return null;
    const x = ramp(plan, ts);
    return { factor: 1 + 3 * x, shed: 0.08 * x };
  },
  generate({ world, plan, r, send }) {
    const target = TARGETS[plan.variant!];
    const { intensity, botnet: scale } = world.profile.attacks;
    const bots = botnet(r, Math.round((150 + r.int(350)) * scale), 'residential').map((ip) => ({ ip, ua: rotatingUa(r) }));
    // Aggregate requests/s grows with the shop (a flood is sized against the target); no bot asks more than every 10 s.
    const perSecond = Math.min(bots.length / 10, Math.max(3, 0.3 * world.options.rate * intensity));
    const gap = (bots.length / perSecond) * 1000;
    bots.forEach((bot) => {
      for (let t = plan.start + r.next() * gap; t < plan.end; t += gap * (0.5 + r.next())) {
        if (r.next() > ramp(plan, t) + 0.1) continue; // fewer bots join at the start and the end
        const actor = { tokenId: null, user: null, ip: bot.ip, ua: bot.ua };
        const query = target.request.includes('search') ? `q=${encodeURIComponent(r.pick(SEARCH_TERMS)).replaceAll('%20', '+')}&page=${1 + r.int(5)}` : undefined;
        send(target.request, t, actor, new Map(), { query });
      }
    });
    return {};
  },
};
