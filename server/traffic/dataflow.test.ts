import { beforeEach, describe, expect, it } from 'vitest';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { sensitiveClasses, sensitiveFlows, sensitiveMatrix } from './dataflow';
import { insertRollups, type FixtureRequest } from './rollup-fixture';

const NOW = new Date('2026-11-23T12:34:56Z');
const hour = { range: { preset: '1h' as const } };
const cc = (count: number, direction: 'request' | 'response' = 'response') => ({ class: 'credit_card', direction, count });
const email = (count: number, direction: 'request' | 'response' = 'response') => ({ class: 'email', direction, count });
const ssn = (count: number) => ({ class: 'ssn', direction: 'response' as const, count });

/** Three services and four tokens moving cards, emails and SSNs in the last hour, and old traffic outside it. */
const TRAFFIC: FixtureRequest[] = [
  { at: '2026-11-23T12:00:00Z', src: 'web/bff', dst: 'payments/cards', tokenId: 'tok_1', n: 10, sensitive: [cc(3)] },
  { at: '2026-11-23T12:01:00Z', src: 'web/bff', dst: 'payments/cards', tokenId: 'tok_1', n: 2, sensitive: [cc(1, 'request'), email(1)] },
  { at: '2026-11-23T12:02:00Z', src: 'external', dst: 'identity/users', tokenId: 'tok_2', n: 50, sensitive: [email(1)] },
  { at: '2026-11-23T12:03:00Z', src: 'web/bff', dst: 'identity/users', tokenId: 'tok_3', n: 5, sensitive: [ssn(2), email(1)] },
  { at: '2026-11-23T12:04:00Z', src: 'shop/checkout', dst: 'payments/cards', tokenId: 'tok_4', n: 1, sensitive: [cc(1)] },
  { at: '2026-11-23T12:05:00Z', src: 'shop/checkout', dst: 'shop/orders', n: 7, sensitive: [email(1)] },
  { at: '2026-11-23T09:00:00Z', src: 'external', dst: 'payments/cards', tokenId: 'tok_old', n: 1, sensitive: [ssn(500)] },
];

describeEachEngine('sensitive-data flows', (h) => {
  const ctx = () => ctxFor(h.db, actor('viewer'), { now: () => NOW });

  it('answers empty when nothing sensitive moved', async () => {
    expect(await sensitiveClasses(ctx(), hour)).toEqual([]);
    expect(await sensitiveMatrix(ctx(), { ...hour, dimension: 'service', limit: 20 })).toEqual({ keys: [], totalKeys: 0, classes: [], cells: [] });
    expect(await sensitiveFlows(ctx(), { ...hour, sort: 'matches', dir: 'desc', page: 0, pageSize: 25 })).toEqual({ total: 0, rows: [] });
  });

  describe('with traffic', () => {
    beforeEach(() => insertRollups(h.db, TRAFFIC));

    it('sums each class over the range, split by direction, most matched first', async () => {
      expect(await sensitiveClasses(ctx(), hour)).toEqual([
        // 10×3 + 2×1 + 1
        { class: 'credit_card', matches: 33, requestMatches: 2, responseMatches: 31, events: 13, edges: 2 },
        // 2 + 50 + 5 + 7
        { class: 'email', matches: 64, requestMatches: 0, responseMatches: 64, events: 64, edges: 4 },
        { class: 'ssn', matches: 10, requestMatches: 0, responseMatches: 10, events: 5, edges: 1 },
      ].sort((a, b) => b.matches - a.matches));
      // the 6-hour range reaches the old SSN traffic
      expect((await sensitiveClasses(ctx(), { range: { preset: '6h' } }))[0]).toMatchObject({ class: 'ssn', matches: 510 });
    });

    it('builds class × service with the busiest services first and every class they carried', async () => {
      const m = await sensitiveMatrix(ctx(), { ...hour, dimension: 'service', limit: 2 });
      expect(m.totalKeys).toBe(3);
      expect(m.keys).toEqual([
        { key: 'identity/users', matches: 65, classMatches: 65 },
        { key: 'payments/cards', matches: 35, classMatches: 35 },
      ]);
      expect(m.classes).toEqual(['email', 'credit_card', 'ssn']);
      const cell = (key: string, cls: string) => m.cells.find((c) => c.key === key && c.class === cls);
      expect(cell('payments/cards', 'credit_card')).toEqual({ key: 'payments/cards', class: 'credit_card', matches: 33, events: 13 });
      expect(cell('identity/users', 'ssn')).toMatchObject({ matches: 10, events: 5 });
      expect(cell('shop/orders', 'email')).toBeUndefined(); // not among the top 2
    });

    it('picks the columns by the chosen class but still shows their other classes', async () => {
      const m = await sensitiveMatrix(ctx(), { ...hour, dimension: 'token', class: 'credit_card', limit: 20 });
      expect(m.totalKeys).toBe(2);
      expect(m.keys).toEqual([
        { key: 'tok_1', matches: 34, classMatches: 32 },
        { key: 'tok_4', matches: 1, classMatches: 1 },
      ]);
      expect(m.classes).toEqual(['credit_card', 'email']);
      expect(m.cells).toContainEqual({ key: 'tok_1', class: 'email', matches: 2, events: 2 });
      const none = await sensitiveMatrix(ctx(), { ...hour, dimension: 'token', class: 'private_key', limit: 20 });
      expect(none).toEqual({ keys: [], totalKeys: 0, classes: [], cells: [] });
    });

    it('lists flows by edge, class and direction, sorted every way and paginated without overlap', async () => {
      const base = { ...hour, sort: 'matches' as const, dir: 'desc' as const, page: 0, pageSize: 25 };
      const all = await sensitiveFlows(ctx(), base);
      expect(all.total).toBe(8);
      expect(all.rows[0]).toEqual({ src: 'external', dst: 'identity/users', class: 'email', direction: 'response', matches: 50, events: 50 });
      expect(all.rows.map((r) => r.matches)).toEqual([...all.rows.map((r) => r.matches)].sort((a, b) => b - a));
      const asc = await sensitiveFlows(ctx(), { ...base, dir: 'asc' });
      expect(asc.rows.map((r) => r.matches)).toEqual([...all.rows.map((r) => r.matches)].reverse());

      const byEdge = await sensitiveFlows(ctx(), { ...base, sort: 'edge', dir: 'asc' });
      expect(byEdge.rows.map((r) => `${r.src}>${r.dst}`)).toEqual([...byEdge.rows.map((r) => `${r.src}>${r.dst}`)].sort());
      const byClass = await sensitiveFlows(ctx(), { ...base, sort: 'class', dir: 'desc' });
      expect(byClass.rows[0].class).toBe('ssn');
      const byEvents = await sensitiveFlows(ctx(), { ...base, sort: 'events', dir: 'desc' });
      expect(byEvents.rows[0].events).toBe(50);

      const pages = [];
      for (let page = 0; page < 3; page++) pages.push(await sensitiveFlows(ctx(), { ...base, pageSize: 5, page, sort: 'class', dir: 'asc' }));
      expect(pages.map((p) => p.rows.length)).toEqual([5, 3, 0]);
      expect(pages.every((p) => p.total === 8)).toBe(true);
      const keys = pages.flatMap((p) => p.rows.map((r) => `${r.src}>${r.dst}/${r.class}/${r.direction}`));
      expect(new Set(keys).size).toBe(8);

      const cards = await sensitiveFlows(ctx(), { ...base, class: 'credit_card' });
      expect(cards.total).toBe(3);
      expect(cards.rows.map((r) => `${r.src}>${r.dst} ${r.direction} ${r.matches}`)).toEqual([
        'web/bff>payments/cards response 30',
        'web/bff>payments/cards request 2',
        'shop/checkout>payments/cards response 1',
      ]);
    });
  });
});
