import { expect, it } from 'vitest';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { insertRollups } from './rollup-fixture';
import { tokenActivity } from './token-activity';

const NOW = new Date('2026-11-23T12:34:56Z');
const hour = { range: { preset: '1h' as const } };

describeEachEngine('token activity', (h) => {
  const ctx = () => ctxFor(h.db, actor('viewer'), { now: () => NOW });

  it('tells an unknown token apart: never seen, everything empty, a point per step', async () => {
    await insertRollups(h.db, [{ at: '2026-11-23T12:00:00Z', src: 'external', dst: 'shop/cart', tokenId: 'tok_other', n: 3 }]);
    const a = await tokenActivity(ctx(), { ...hour, tokenId: 'tok_nobody' });
    expect(a).toMatchObject({
      tokenId: 'tok_nobody', firstSeen: null, lastSeen: null, edges: [], routes: [], routesTotal: 0, classes: [],
      totals: { requests: 0, errors: 0, clientErrors: 0, bytesOut: 0, matches: 0, sensitiveEvents: 0 },
    });
    expect(a.series).toHaveLength(61);
    expect(a.series.every((p) => p.requests === 0 && p.matches === 0)).toBe(true);
  });

  it('shows edges, routes, classes by direction and volume over time for the range', async () => {
    await insertRollups(h.db, [
      { at: '2026-11-23T12:00:10Z', src: 'external', dst: 'web/gateway', method: 'GET', route: '/api/users/{id}', tokenId: 'tok_x', n: 20, bytesOut: 500,
        sensitive: [{ class: 'email', direction: 'response', count: 1 }] },
      { at: '2026-11-23T12:00:40Z', src: 'external', dst: 'web/gateway', method: 'POST', route: '/api/session', tokenId: 'tok_x', n: 4, status: 401 },
      { at: '2026-11-23T12:07:00Z', src: 'web/gateway', dst: 'payments/cards', method: 'GET', route: '/api/cards/{id}', tokenId: 'tok_x', n: 3, status: 500,
        sensitive: [{ class: 'credit_card', direction: 'response', count: 2 }, { class: 'credit_card', direction: 'request', count: 1 }] },
      // someone else on the same edge
      { at: '2026-11-23T12:07:00Z', src: 'web/gateway', dst: 'payments/cards', tokenId: 'tok_y', n: 100, sensitive: [{ class: 'ssn', direction: 'response', count: 1 }] },
    ]);
    const a = await tokenActivity(ctx(), { ...hour, tokenId: 'tok_x' });
    expect(a.totals).toEqual({ requests: 27, errors: 3, clientErrors: 4, bytesOut: 20 * 500 + 7 * 1000, matches: 29, sensitiveEvents: 26 });
    expect(a.edges).toEqual([
      { src: 'external', dst: 'web/gateway', requests: 24, errors: 0, clientErrors: 4, routes: 2 },
      { src: 'web/gateway', dst: 'payments/cards', requests: 3, errors: 3, clientErrors: 0, routes: 1 },
    ]);
    expect(a.routes.map((r) => `${r.method} ${r.route} ${r.requests}`)).toEqual(['GET /api/users/{id} 20', 'POST /api/session 4', 'GET /api/cards/{id} 3']);
    expect(a.routesTotal).toBe(3);
    expect(a.classes).toEqual([
      { class: 'email', direction: 'response', matches: 20, events: 20 },
      { class: 'credit_card', direction: 'response', matches: 6, events: 3 },
      { class: 'credit_card', direction: 'request', matches: 3, events: 3 },
    ]);
    const at = (iso: string) => a.series.find((p) => p.t === Date.parse(iso));
    expect(at('2026-11-23T12:00:00Z')).toEqual({ t: Date.parse('2026-11-23T12:00:00Z'), requests: 24, errors: 0, matches: 20 });
    expect(at('2026-11-23T12:07:00Z')).toMatchObject({ requests: 3, errors: 3, matches: 9 });
    expect(a.series.reduce((s, p) => s + p.requests, 0)).toBe(27);
    expect(a.firstSeen?.toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(a.lastSeen?.toISOString()).toBe('2026-11-23T12:07:00.000Z');
  });

  it('knows when a token was seen even when the range holds none of its traffic', async () => {
    // Three days ago, past the minute rollups' reach for this test: only the hour rollup has it.
    await insertRollups(h.db, [{ at: '2026-11-20T08:42:00Z', src: 'external', dst: 'shop/cart', tokenId: 'tok_old', n: 2 }], ['hour']);
    await insertRollups(h.db, [{ at: '2026-11-23T10:05:00Z', src: 'external', dst: 'shop/cart', tokenId: 'tok_old', n: 1 }]);
    const a = await tokenActivity(ctx(), { ...hour, tokenId: 'tok_old' });
    expect(a.totals.requests).toBe(0);
    expect(a.edges).toEqual([]);
    expect(a.firstSeen?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
    expect(a.lastSeen?.toISOString()).toBe('2026-11-23T10:05:00.000Z');
    const week = await tokenActivity(ctx(), { range: { preset: '7d' }, tokenId: 'tok_old' });
    expect(week.totals.requests).toBe(3);
    expect(week.range.resolution).toBe('hour');
  });

  it('prefers the precise minute for first seen when the hour rollup holds the same hour', async () => {
    await insertRollups(h.db, [{ at: '2026-11-23T12:20:30Z', src: 'external', dst: 'shop/cart', tokenId: 'tok_new', n: 1 }]);
    const a = await tokenActivity(ctx(), { ...hour, tokenId: 'tok_new' });
    expect(a.firstSeen?.toISOString()).toBe('2026-11-23T12:20:00.000Z');
    expect(a.lastSeen?.toISOString()).toBe('2026-11-23T12:20:00.000Z');
  });
});
