import { expect, it } from 'vitest';
import { endpoints } from '@/db/schema';
import { event } from '@/server/rollups/test-events';
import { describeEachEngine } from '@/server/testing/db';
import { DiscoveryService } from './service';

const NOW = Date.parse('2026-11-20T12:00:00Z');

/** The nginx e2e's traffic: an id parameter with a literal sibling, a collection, a rare method. */
function traffic() {
  const out = [];
  let n = 0;
  const s = 'demo/orders';
  for (let i = 0; i < 30; i++) out.push(event(NOW + n++, `a${n}`, { dstService: s, method: 'GET', path: `/api/orders/${1001 + i}`, srcService: 'shop/web' }));
  for (let i = 0; i < 25; i++) out.push(event(NOW + n++, `a${n}`, { dstService: s, method: 'GET', path: `/api/orders/recent`, query: `limit=${i}`, srcService: 'shop/web' }));
  for (let i = 0; i < 10; i++) out.push(event(NOW + n++, `a${n}`, { dstService: s, method: 'POST', path: `/api/orders`, srcService: 'shop/checkout' }));
  for (let i = 0; i < 5; i++) out.push(event(NOW + n++, `a${n}`, { dstService: s, method: 'DELETE', path: `/api/orders/${2001 + i}`, srcService: 'shop/admin' }));
  return out;
}

// A proxy ships its log in batches of whatever size, and the console writes what it learned
// between any two: the inventory in the end is the same.
describeEachEngine('api discovery written between batches', (h) => {
  for (const size of [1, 7, 70]) {
    it(`learns the same endpoints from batches of ${size}`, async () => {
      const d = new DiscoveryService(h.db, { now: () => new Date(NOW + 100) });
      const all = traffic();
      for (let i = 0; i < all.length; i += size) {
        const c = all.slice(i, i + size);
        d.routeEvents(c);
        d.observeEvents(c);
        await d.persist();
      }
      const list = await h.db.select().from(endpoints).orderBy(endpoints.template);
      expect(list.map((e) => `${e.method} ${e.template}`).sort()).toEqual(['DELETE /api/orders/{order_id}', 'GET /api/orders/recent', 'GET /api/orders/{order_id}', 'POST /api/orders']);
    });
  }
});
