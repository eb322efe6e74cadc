import { hostingIp } from '../population';
import { PRODUCT_BASE, PRODUCT_COUNT, setProduct } from '../values';
import { OUTDATED_BROWSER_UA, throwawayAccount, ticks } from './actors';
import type { Scenario } from './types';

/**
 * A competitor's bot walking the catalogue by sequential product id for prices and stock, at a
 * machine's steady pace, with a signed-up account, moving to a new address now and then.
 */
export const scraping: Scenario = {
  kind: 'scraping',
  expected: ['scraping'],
  minutes: [25, 40],
  generate({ world, plan, r, send }) {
    const ips = Array.from({ length: 1 + r.int(3) }, () => hostingIp(r));
    const ua = r.chance(0.5) ? OUTDATED_BROWSER_UA : 'Scrapy/2.11.2 (+https://scrapy.org)';
    const account = throwawayAccount(r, plan.id, ips[0], ua);
    let id = PRODUCT_BASE + r.int(PRODUCT_COUNT / 2);
    let page = 1;
    const rotateEvery = (plan.end - plan.start) / ips.length;
    for (const t of ticks(r, plan.start, plan.end, (0.6 + r.next() * 0.4) * world.profile.attacks.intensity, 0.1)) {
      const actor = { ...account, ip: ips[Math.min(ips.length - 1, Math.floor((t - plan.start) / rotateEvery))] };
      if (r.chance(0.1)) {
        send('edge/gateway GET /api/v2/products', t, actor, new Map(), { query: `page=${page++}&limit=100&sort=newest` });
        continue;
      }
      const params = new Map<string, string>();
      setProduct(params, id++);
      send('edge/gateway GET /api/v2/products/{productId}', t, actor, params);
    }
    return {};
  },
};
