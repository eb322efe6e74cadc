import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '@/db/client';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { overviewStats, topTalkers, topTokens } from './overview';
import { insertRollups, type FixtureRequest } from './rollup-fixture';
import { inRange, num, rangeRows, rollupPair, type RollupFamily } from './rollup-query';
import { resolveRange, timeRangeInput } from './time-range';
import { tokenActivity } from './token-activity';

const NOW = new Date('2026-11-23T12:34:56Z');
// 09:47 → 12:23: a partial hour at each end (09:47–10:00, 12:00–12:23) around two whole ones.
const PARTIAL_BOTH_ENDS = { from: '2026-11-23T09:47:00Z', to: '2026-11-23T12:23:00Z' };

const at = (hhmm: string, n: number, extra: Partial<FixtureRequest> = {}): FixtureRequest => ({
  at: `2026-11-23T${hhmm}:10Z`, src: 'web/gateway', dst: 'shop/cart', tokenId: 'tok_a', n,
  sensitive: [{ class: 'email', direction: 'response', count: 1 }], ...extra,
});

// Inside the range at both partial ends and in the whole hours, and just outside it in the
// hours the partial ends cut (so reading those hours whole would count them).
const REQUESTS: FixtureRequest[] = [
  at('09:30', 1000), at('09:46', 500),
  at('09:47', 3), at('09:59', 4),
  at('10:00', 5), at('11:30', 6, { dst: 'shop/pricing', tokenId: 'tok_b', durationMs: 300 }),
  at('12:00', 7), at('12:22', 8, { status: 503 }),
  at('12:23', 2000), at('12:34', 4000),
];
const INSIDE = 3 + 4 + 5 + 6 + 7 + 8;

describeEachEngine('rollup range rows', (h) => {
  const ctx = () => ctxFor(h.db, actor('viewer'), { now: () => NOW });
  const range = (input: unknown) => resolveRange(timeRangeInput.parse(input), NOW);

  async function totals(family: RollupFamily, column: string, r: ReturnType<typeof range>) {
    const [viaRange] = await rows<{ n: unknown }>(h.db, sql`select sum(${sql.identifier(column)}) as n from ${rangeRows(family, r)}`);
    const [viaMinutes] = await rows<{ n: unknown }>(
      h.db,
      sql`select sum(${sql.identifier(column)}) as n from ${rollupPair(family).minute} where ${inRange(r)}`,
    );
    return { viaRange: num(viaRange?.n), viaMinutes: num(viaMinutes?.n) };
  }

  it('reads whole hours from the hour rows and the partial hours at both ends from the minutes, to the same totals', async () => {
    await insertRollups(h.db, REQUESTS);
    const r = range(PARTIAL_BOTH_ENDS);
    expect(r.resolution).toBe('minute');
    const requests = [
      await totals('service', 'requests', r), await totals('edge', 'requests', r), await totals('edgeRoute', 'requests', r),
      await totals('token', 'requests', r),
    ];
    expect(requests).toEqual(new Array(4).fill({ viaRange: INSIDE, viaMinutes: INSIDE }));
    expect(await totals('sensitiveEdge', 'matches', r)).toEqual({ viaRange: INSIDE, viaMinutes: INSIDE });
    expect(await totals('sensitiveToken', 'events', r)).toEqual({ viaRange: INSIDE, viaMinutes: INSIDE });
  });

  it('reads only minutes when the range holds no whole hour, and only hours at hour resolution', async () => {
    await insertRollups(h.db, REQUESTS);
    const short = range({ from: '2026-11-23T11:50:00Z', to: '2026-11-23T12:10:00Z' });
    expect(await totals('service', 'requests', short)).toEqual({ viaRange: 7, viaMinutes: 7 });
    const aligned = range({ from: '2026-11-23T10:00:00Z', to: '2026-11-23T12:00:00Z' });
    expect(await totals('service', 'requests', aligned)).toEqual({ viaRange: 11, viaMinutes: 11 });
    const day = range({ preset: '24h' });
    expect(day.resolution).toBe('hour');
    const [hours] = await rows<{ n: unknown }>(h.db, sql`select sum(requests) as n from ${rangeRows('service', day)}`);
    expect(num(hours?.n)).toBe(REQUESTS.reduce((s, q) => s + (q.n ?? 1), 0));
  });

  it('gives the views the same figures over partial hours as the minutes hold', async () => {
    await insertRollups(h.db, REQUESTS);
    const input = { range: PARTIAL_BOTH_ENDS };
    const stats = await overviewStats(ctx(), timeRangeInputOf(input));
    expect(stats).toMatchObject({ requests: INSIDE, errors: 8, sensitiveMatches: INSIDE, sensitiveEvents: INSIDE, sensitiveClasses: 1 });
    const talkers = await topTalkers(ctx(), { ...timeRangeInputOf(input), limit: 5 });
    expect(talkers.services.map((s) => [s.service, s.requests])).toEqual([['shop/cart', INSIDE - 6], ['shop/pricing', 6]]);
    expect(talkers.services[1].p95).toBeGreaterThan(100);
    const tokens = await topTokens(ctx(), { ...timeRangeInputOf(input), limit: 5 });
    expect(tokens).toEqual([
      { tokenId: 'tok_a', matches: INSIDE - 6, events: INSIDE - 6, classes: ['email'], requests: INSIDE - 6 },
      { tokenId: 'tok_b', matches: 6, events: 6, classes: ['email'], requests: 6 },
    ]);
    const a = await tokenActivity(ctx(), { ...timeRangeInputOf(input), tokenId: 'tok_a' });
    expect(a.totals).toMatchObject({ requests: INSIDE - 6, errors: 8, matches: INSIDE - 6 });
    expect(a.edges).toEqual([{ src: 'web/gateway', dst: 'shop/cart', requests: INSIDE - 6, errors: 8, clientErrors: 0, routes: 1 }]);
  });
});

function timeRangeInputOf(input: { range: { from: string; to: string } }) {
  return { range: timeRangeInput.parse(input.range) };
}
