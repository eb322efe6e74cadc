import type { CohortName } from './cohorts';
import { hostingIp, type User } from './population';
import { between, rng, seedOf, shuffle, uuid } from './random';
import type { SimRecord } from './record';
import { runTrace, type Actor } from './trace';
import { PRODUCT_BASE, PRODUCT_COUNT, setProduct, type Params } from './values';
import { SLOT_MS } from './machines';
import type { World } from './world';

const AGGREGATOR: readonly CohortName[] = ['partner_aggregator'];
const CRON: readonly CohortName[] = ['cron_walker'];

/** The customers who linked their account to aggregator `index`: more of them in a busier shop. */
export function linkedCustomers(w: World, index: number): User[] {
  const agg = w.profile.aggregators[index];
  const eligible = w.population.users.filter((u) => u.persona === 'web' || u.persona === 'app');
  const wanted = Math.round((agg.linkedAt20 * w.options.rate) / 20);
  return shuffle(rng(w.options.seed, 'linked', agg.name), eligible).slice(0, Math.max(10, Math.min(eligible.length, wanted)));
}

/**
 * Aggregators due in this slot sweep every linked customer: the order list, then the tracking
 * of a recent order or two, each with that customer's delegated token, from the partner's few
 * servers, one account after the other at a machine's pace.
 */
export function runAggregators(w: World, out: SimRecord[], slot: number) {
  w.profile.aggregators.forEach((agg, index) => {
    if ((slot - agg.phaseMin) % agg.everyMin !== 0) return;
    const r = rng(w.options.seed, 'aggregator', agg.name, slot);
    const day = Math.floor((slot * SLOT_MS) / 86_400_000);
    const list = w.topology.endpoint('edge/gateway GET /api/v1/orders');
    const tracking = w.topology.endpoint('edge/gateway GET /api/v1/orders/{orderId}/tracking');
    let t = slot * SLOT_MS + r.int(20_000);
    w.linkedCustomers(index).forEach((user, k) => {
      const actor: Actor = {
        tokenId: w.population.hash(`delegated.${w.options.seed}.${agg.name}.${user.id}.${day}`),
        user: user.id,
        ip: agg.ips[k % agg.ips.length],
        ua: agg.ua,
        cohorts: AGGREGATOR,
      };
      const params: Params = new Map([['userId', user.id]]);
      t = runTrace(w, out, list, t, actor, params, r, { query: 'page=1&limit=50' }).end + between(r, 40, 300);
      for (let i = r.chance(0.35) ? between(r, 1, 2) : 0; i > 0; i--) {
        params.delete('orderId');
        t = runTrace(w, out, tracking, t, actor, params, r).end + between(r, 40, 300);
      }
    });
  });
}

const SELLER_UAS = ['python-requests/2.31.0', 'SellerSync/2.3 (+cron)', 'Go-http-client/1.1'];

/**
 * Marketplace sellers' inventory syncs: every minute a cron job reads the seller's next few
 * products by id, in order, from a fixed server with the seller's API key.
 */
export function runSellerSyncs(w: World, out: SimRecord[], slot: number) {
  const { count, perRunAt20, block } = w.profile.sellers;
  const perRun = Math.max(1, Math.round(perRunAt20 * Math.min(1, w.options.rate / 20)));
  const product = w.topology.endpoint('edge/gateway GET /api/v2/products/{productId}');
  for (let s = 0; s < count; s++) {
    const who = rng(w.options.seed, 'seller', s);
    const actor: Actor = {
      tokenId: w.population.hash(`seller-key.${w.options.seed}.${s}`),
      user: uuid(who),
      ip: hostingIp(who),
      ua: who.pick(SELLER_UAS),
      cohorts: CRON,
    };
    const first = PRODUCT_BASE + (seedOf(w.options.seed, 'seller-block', s) % (PRODUCT_COUNT - block));
    const r = rng(w.options.seed, 'seller-run', s, slot);
    let t = slot * SLOT_MS + who.int(30_000) + r.int(800); // cron fires at the same second each minute
    for (let i = 0; i < perRun; i++) {
      const params: Params = new Map();
      setProduct(params, first + ((slot * perRun + i) % block));
      t = runTrace(w, out, product, t, actor, params, r).end + between(r, 60, 250);
    }
  }
}
