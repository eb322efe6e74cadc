import { hostingIp, residentialIp } from '../population';
import { shuffle } from '../random';
import { PRODUCT_BASE, PRODUCT_COUNT, setProduct } from '../values';
import { CATEGORIES, SHOP_APP_UAS } from '../words';
import { throwawayAccount, ticks } from './actors';
import type { Scenario } from './types';

/**
 * A scraper that never lets one identity grow old: every hour or so it signs in with another
 * sign-up account (a new token) from another address, then carries on walking the catalogue
 * where the last identity stopped, at an unhurried pace, with a User-Agent of the shop's app.
 */
export const tokenRotation: Scenario = {
  kind: 'token_rotation',
  expected: ['scraping'],
  minutes: [150, 300],
  generate({ world, plan, r, send }) {
    const ua = r.chance(0.6) ? r.pick(SHOP_APP_UAS) : 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const residentialProxies = r.chance(0.5);
    // A block of the catalogue, visited in a shuffled order of small runs (ids in order inside each run).
    const first = PRODUCT_BASE + r.int(PRODUCT_COUNT - 4000);
    const runs = shuffle(r, Array.from({ length: 200 }, (_, i) => first + i * 20));
    let run = 0;
    let offset = 0;
    const pace = (0.3 + r.next() * 0.5) * world.profile.attacks.intensity;
    for (let from = plan.start; from < plan.end; ) {
      const until = Math.min(plan.end, from + (50 + r.int(21)) * 60_000);
      const ip = residentialProxies ? residentialIp(r) : hostingIp(r);
      const account = throwawayAccount(r, `${plan.id}:${from}`, ip, ua);
      const anonymous = { ...account, tokenId: null, user: null };
      let t = send('identity/auth POST /oauth/token', from, anonymous, new Map([['email', `${account.user!.slice(0, 8)}@inbox.example`]]), { status: 200 }).end;
      for (t of ticks(r, t + 500, until, pace, 0.4)) {
        if (r.chance(0.08)) {
          send('edge/gateway GET /api/v1/categories/{categorySlug}/products', t, account, new Map([['categorySlug', r.pick(CATEGORIES)]]), { query: `page=${1 + r.int(30)}&limit=50` });
          continue;
        }
        const params = new Map<string, string>();
        setProduct(params, runs[run % runs.length] + offset);
        if (++offset === 20) [run, offset] = [run + 1, 0];
        send('edge/gateway GET /api/v2/products/{productId}', t, account, params);
      }
      from = until;
    }
    return {};
  },
};
