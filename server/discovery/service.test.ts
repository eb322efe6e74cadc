import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { endpoints } from '@/db/schema';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { getEndpoint } from './inventory';
import { reviewEndpoints } from './review';
import { DiscoveryService } from './service';

const NOW = Date.parse('2026-11-20T12:00:00Z');

function userTraffic(n: number, from = 0) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const id = 1000 + ((from + i) * 7919) % 5000;
    out.push(event(NOW - 60_000 + i, `u-${from + i}`, {
      path: `/api/users/${id}`, route: '/api/users/{id}', status: i % 10 === 0 ? 404 + 100 : 200, srcService: i % 3 ? 'shop/web' : 'external',
      sensitive: i % 5 === 0 ? [{ class: 'email', direction: 'response', count: 1, path: '$.email' }] : null,
      sample: i % 20 === 0 ? JSON.stringify({ id, email: 'j***@m***.example', address: { city: 'x' } }) : null,
    }));
  }
  for (let i = 0; i < Math.ceil(n / 4); i++) out.push(event(NOW - 50_000 + i, `me-${from + i}`, { path: '/api/users/me', route: '/api/users/me' }));
  return out;
}

describeEachEngine('api discovery in the console', (h) => {
  const stored = () => h.db.select().from(endpoints).orderBy(endpoints.template);

  it('learns templates from committed events, stores them with their evidence, and routes new events by them', async () => {
    const d = new DiscoveryService(h.db, { now: () => new Date(NOW) });
    d.observeEvents(userTraffic(80));
    await d.persist();
    const list = await stored();
    expect(list.map((e) => `${e.method} ${e.template}`)).toEqual(['GET /api/users/me', 'GET /api/users/{user_id}']);
    const users = list.find((e) => e.template === '/api/users/{user_id}')!;
    expect(users).toMatchObject({ state: 'learned', origin: 'learned', calls: 80, statusMix: { '2xx': 72, '5xx': 8 } });
    expect(users.callers).toEqual({ 'shop/web': 53, external: 27 });
    expect(users.params).toEqual([{ name: 'user_id', type: 'integer', examples: expect.arrayContaining([expect.stringMatching(/^\d\*+$/)]) }]);
    expect(users.sensitive).toEqual([{ class: 'email', direction: 'response', path: '$.email', count: 16 }]);
    expect(users.bodySchema).toMatchObject({ type: 'object', properties: { email: { type: 'string', 'x-meshward-sensitive': ['email'] }, address: { type: 'object' } } });
    expect(users.routes).toEqual(['/api/users/{user_id}', '/api/users/{id}']);
    expect(users.firstSeenAt?.getTime()).toBe(NOW - 60_000);

    const fresh = [event(NOW, 'n1', { path: '/api/users/77' }), event(NOW, 'n2', { path: '/api/users/me/' }), event(NOW, 'n3', { path: '/api/orders/1', route: '/api/orders/{id}' })];
    d.routeEvents(fresh);
    expect(fresh.map((e) => e.route)).toEqual(['/api/users/{user_id}', '/api/users/me', '/api/orders/{id}']);
  });

  it('adds only what is new on the next write, and review decisions survive new evidence', async () => {
    const d = new DiscoveryService(h.db, { now: () => new Date(NOW) });
    d.observeEvents(userTraffic(40));
    await d.persist();
    const [, users] = await stored();
    await reviewEndpoints(ctxFor(h.db, actor('analyst')), { ids: [users.id], decision: 'approve', reason: 'matches the spec' });
    d.observeEvents(userTraffic(40, 40));
    await d.persist();
    const [, again] = await stored();
    expect(again).toMatchObject({ id: users.id, state: 'approved', calls: 80, reviewedBy: 'analyst@example.test' });

    // a restarted console warms from the stored events without counting them again
    const next = new DiscoveryService(h.db, { now: () => new Date(NOW) });
    await ingest(h.db, [{ events: userTraffic(20, 200), principal }], NOW);
    expect(await next.warm(new Date(NOW + 1000))).toBe(25);
    await next.persist();
    const [, after] = await stored();
    expect(after).toMatchObject({ id: users.id, state: 'approved', calls: 80 });
  });

  it('shows an endpoint with its traffic over a range, from the rollups, under all its routes', async () => {
    const d = new DiscoveryService(h.db, { now: () => new Date(NOW) });
    d.observeEvents(userTraffic(30));
    await d.persist();
    const [, users] = await stored();
    // before learning the rollups filed these under the coarse route; after, under the template
    const early = [event(NOW - 120_000, 'e1', { path: '/api/users/5', route: '/api/users/{id}', status: 503 })];
    const late = [event(NOW - 30_000, 'l1', { path: '/api/users/6', srcService: 'shop/admin' }), event(NOW - 30_000, 'l2', { path: '/api/users/7' })];
    d.routeEvents(late);
    await ingest(h.db, [{ events: [...early, ...late], principal }], NOW);
    const detail = await getEndpoint(ctxFor(h.db, actor('viewer'), { now: () => new Date(NOW) }), { id: users.id, range: { preset: '15m' } });
    expect(detail.series.reduce((n, p) => n + p.requests, 0)).toBe(3);
    expect(detail.series.reduce((n, p) => n + p.errors, 0)).toBe(1);
    expect(detail.callers).toEqual([
      { service: 'shop/web', requests: 2, errors: 1, clientErrors: 0 },
      { service: 'shop/admin', requests: 1, errors: 0, clientErrors: 0 },
    ]);
    expect(detail.endpoint.sensitiveClasses).toEqual(['email']);
    expect(detail.siblings.map((s) => s.template)).toEqual(['/api/users/me']);
  });

  it('an unknown endpoint is a clear NOT_FOUND', async () => {
    await expect(getEndpoint(ctxFor(h.db, actor('viewer')), { id: 'ep_missing', range: { preset: '1h' } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [row] = await h.db.select().from(endpoints).where(eq(endpoints.id, 'ep_missing'));
    expect(row).toBeUndefined();
  });
});
