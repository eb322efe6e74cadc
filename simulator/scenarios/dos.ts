import type { Load } from '../trace';
import { SEARCH_TERMS } from '../words';
import { botnet, rotatingUa, ticks } from './actors';
import type { AttackPlan, Scenario } from './types';

const TARGETS: Record<string, { request: string; backend: string }> = {
  search: { request: 'edge/gateway GET /api/v2/search', backend: 'shop/search' },
  quote: { request: 'edge/gateway POST /api/v1/shipping/quote', backend: 'logistics/shipping' },
};

/** 0 → 1 over the first 30 s, back to 0 over the last 20 s. */
function ramp(plan: AttackPlan, ts: number): number {
  return Math.max(0, Math.min(1, (ts - plan.start) / 30_000, (plan.end - ts) / 20_000));
}

/**
 * A flood of expensive requests (full-text searches that miss every cache, shipping quotes)
 * from a botnet. The back end slows down and starts shedding load: benign requests to it
 * suffer too, which is how the damage shows.
 */
export const dos: Scenario = {
  kind: 'dos',
  expected: ['dos', 'distributed_attack'],
  minutes: [2, 4],
  variants: ['search', 'quote'],
  load(plan, service, ts): Load | null {
    if (service !== TARGETS[plan.variant!].backend) return null;
    const x = ramp(plan, ts);
    return { factor: 1 + 8 * x, shed: 0.55 * x };
  },
  generate({ world, plan, r, send }) {
    const target = TARGETS[plan.variant!];
    const { intensity, botnet: scale } = world.profile.attacks;
    const ips = botnet(r, Math.round((150 + r.int(150)) * scale), 'mixed');
    const perSecond = Math.min(300, Math.max(15, 2 * world.options.rate * intensity));
    for (const t of ticks(r, plan.start, plan.end, perSecond, 1)) {
      const q = `${r.pick(SEARCH_TERMS)} ${r.int(1e6)}`.replaceAll(' ', '+');
      const query = target.request.includes('search') ? `q=${q}&page=${1 + r.int(50)}&sort=price_desc` : null;
      send(target.request, t, { tokenId: null, user: null, ip: r.pick(ips), ua: rotatingUa(r) }, new Map(), { query });
    }
    return {};
  },
};
