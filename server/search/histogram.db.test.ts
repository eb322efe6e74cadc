import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { AccessEventInput } from '@/server/ingest/event';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { DomainError } from '@/server/errors';
import { bucketStarts, chooseInterval, searchHistogram } from './histogram';
import { rollupPlan } from './histogram-rollups';
import { parse } from './query';

const T = Date.UTC(2026, 0, 15, 12);
const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

/** What a query selects, written out in JS: the oracle the histogram must equal. */
const QUERIES: Record<string, (e: AccessEventInput) => boolean> = {
  '': () => true,
  'service:shop/orders': (e) => e.dstService === 'shop/orders',
  'caller:external': (e) => e.srcService === 'external',
  'service:shop/users caller:shop/web status>=500': (e) => e.dstService === 'shop/users' && e.srcService === 'shop/web' && e.status >= 500,
  'status:4xx': (e) => e.status >= 400 && e.status <= 499,
  'status<500': (e) => e.status < 500,
  'status>=400 service:shop/users': (e) => e.status >= 400 && e.dstService === 'shop/users',
  // not in the rollups: raw events throughout
  'method:POST': (e) => e.method === 'POST',
};

function expected(events: AccessEventInput[], match: (e: AccessEventInput) => boolean, from: number, to: number, intervalMs: number) {
  const buckets = bucketStarts(new Date(from), new Date(to), intervalMs).map((t) => ({ t, count: 0, errors: 0 }));
  for (const e of events) {
    if (e.ts < from || e.ts >= to || !match(e)) continue;
    const b = buckets[(Math.floor(e.ts / intervalMs) * intervalMs - buckets[0].t) / intervalMs];
    b.count += 1;
    if (e.status >= 500) b.errors += 1;
  }
  return { intervalMs, buckets, total: buckets.reduce((n, b) => n + b.count, 0) };
}

describeEachEngine('search histogram', (h) => {
  it('counts matches and 5xx per round interval, every bucket present, only events in range', async () => {
    await ingest(h.db, [{ principal, events: [
      event(T + 22 * S, 'before-from'), // in the first bucket's interval, but before `from`
      event(T + 26 * S, 'a'),
      event(T + 29 * S, 'b', { status: 503 }),
      event(T + 31 * S, 'c', { status: 404 }),
      event(T + 300 * S, 'd', { status: 500 }),
      event(T + 624 * S, 'e'),
      event(T + 625 * S, 'at-to'), // `to` is exclusive
    ] }], T + 3_600_000);
    // 10 min from 12:00:25: 10 s buckets would be 61 (12:00:20 … 12:10:20), so 30 s it is
    const r = await searchHistogram(ctxFor(h.db, actor('viewer')), { q: '', from: new Date(T + 25 * S), to: new Date(T + 625 * S), buckets: 60 });
    expect(r.intervalMs).toBe(30 * S);
    expect(r.buckets).toHaveLength(21);
    expect(r.buckets.map((b) => b.t)).toEqual(Array.from({ length: 21 }, (_, i) => T + i * 30 * S));
    const nonZero = r.buckets.filter((b) => b.count > 0).map((b) => [new Date(b.t).toISOString().slice(11, 19), b.count, b.errors]);
    expect(nonZero).toEqual([['12:00:00', 2, 1], ['12:00:30', 1, 0], ['12:05:00', 1, 1], ['12:10:00', 1, 0]]);
    expect(r.total).toBe(5);

    const errors = await searchHistogram(ctxFor(h.db, actor('viewer')), { q: 'status>=500', from: new Date(T), to: new Date(T + 3_600_000) });
    expect(errors.intervalMs).toBe(60 * S);
    expect(errors.buckets).toHaveLength(60);
    expect(errors.total).toBe(2);
    expect(errors.buckets.filter((b) => b.count > 0).map((b) => b.t)).toEqual([T, T + 300 * S]);
  });

  it('gives zeros for a range with no events, and refuses a bad query with its column', async () => {
    const r = await searchHistogram(ctxFor(h.db, actor('viewer')), { q: 'service:nothing', from: new Date(T), to: new Date(T + 10 * S), buckets: 10 });
    expect(r).toEqual({ intervalMs: S, total: 0, buckets: Array.from({ length: 10 }, (_, i) => ({ t: T + i * S, count: 0, errors: 0 })) });
    const e = await searchHistogram(ctxFor(h.db, actor('viewer')), { q: 'status:>', from: new Date(T), to: new Date(T + 10 * S) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code: 'BAD_REQUEST', column: expect.any(Number) });
  });

  it('answers whole minutes from the rollups and the minutes cut by the range with their events, equal to the events throughout', async () => {
    // every 7.3 s over three hours, varied; and events on and around every edge the ranges below have
    const SERVICES = ['shop/users', 'shop/orders'];
    const CALLERS = ['shop/web', 'external', 'shop/cart'];
    const STATUSES = [200, 201, 302, 404, 499, 500, 503, 200, 400, 200, 204];
    const at = (ts: number, i: number) => event(ts, `r${i}`, {
      dstService: SERVICES[i % 2], srcService: CALLERS[i % 3], status: STATUSES[i % STATUSES.length], method: i % 4 === 0 ? 'POST' : 'GET',
    });
    const times: number[] = [];
    for (let ts = T; ts < T + 3 * H; ts += 7300) times.push(ts);
    const edges = [
      T + 7 * MIN + 30_500, T + 2 * H + 41 * MIN + 12_250, T + 59_999, T + 61 * MIN + 1, T + 7 * MIN + 10_000, T + 2 * H + 41 * MIN + 50_000,
      T + 500, T + 60 * MIN + 59_500, T + 7 * MIN, T + 8 * MIN, T + 2 * H + 41 * MIN, T + 2 * H + 42 * MIN,
    ];
    for (const e of edges) times.push(e - 1, e, e + 1);
    const events = times.map((ts, i) => at(ts, i));
    await ingest(h.db, [{ principal, events }], T + 3 * H);

    const ctx = ctxFor(h.db, actor('viewer'), { now: () => new Date(T + 3 * H) });
    const ranges = [
      { from: edges[0], to: edges[1], buckets: 60 }, // 5 min, cut minutes at both ends counted from their events in range
      { from: edges[4], to: edges[5], buckets: 60 }, // … and as their rollup rows less their events outside the range
      { from: T, to: T + 3 * H, buckets: 10 }, // 1 h, aligned
      { from: edges[2], to: edges[3], buckets: 62 }, // 1 min: the edge buckets are the cut minutes
      { from: edges[6], to: edges[7], buckets: 61 }, // … taken as rollup rows less the rest
      { from: T + 7 * MIN, to: T + 17 * MIN, buckets: 60 }, // 10 s: raw events only
    ];
    for (const r of ranges) {
      const intervalMs = chooseInterval(new Date(r.from), new Date(r.to), r.buckets);
      for (const [q, match] of Object.entries(QUERIES)) {
        const got = await searchHistogram(ctx, { q, from: new Date(r.from), to: new Date(r.to), buckets: r.buckets });
        expect(got, `${q} over ${new Date(r.from).toISOString()}–${new Date(r.to).toISOString()}`).toEqual(expected(events, match, r.from, r.to, intervalMs));
        const plan = rollupPlan(parse(q), new Date(r.from), new Date(r.to), intervalMs, { now: ctx.now() });
        expect(plan !== null, `${q} at ${intervalMs} ms from the rollups`).toBe(intervalMs >= MIN && q !== 'method:POST');
      }
    }
  });

  it('reads the rollups for whole minutes only, and raw events where minutes may be gone', async () => {
    await ingest(h.db, [{ principal, events: [event(T + 10 * S, 'a'), event(T + 40 * S, 'b', { status: 503 }), event(T + 10 * MIN + 5 * S, 'c')] }], T + H);
    // rollup rows that disagree with the events show which path answered each bucket
    await h.db.execute(sql`update service_minute set requests = requests + 1000, errors = errors + 100
      where bucket in (${new Date(T).toISOString()}::timestamptz, ${new Date(T + 10 * MIN).toISOString()}::timestamptz)`);
    const input = { q: '', from: new Date(T + 30 * S), to: new Date(T + 20 * MIN + 30 * S), buckets: 21 };
    const recent = await searchHistogram(ctxFor(h.db, actor('viewer'), { now: () => new Date(T + H) }), input);
    expect(recent.intervalMs).toBe(MIN);
    // 12:00 is cut by `from` in its middle: its events in range; 12:10 is whole: its rollup row
    expect(recent.buckets.filter((b) => b.count > 0).map((b) => [b.t, b.count, b.errors])).toEqual([[T, 1, 1], [T + 10 * MIN, 1001, 100]]);
    // cut after 5 s: the rollup row less the events before `from`
    const late = await searchHistogram(ctxFor(h.db, actor('viewer'), { now: () => new Date(T + H) }), { ...input, from: new Date(T + 5 * S) });
    expect(late.buckets.filter((b) => b.count > 0).map((b) => [b.t, b.count, b.errors])).toEqual([[T, 1002, 101], [T + 10 * MIN, 1001, 100]]);
    // a week later the minutes may have been moved into hours: events only
    const later = await searchHistogram(ctxFor(h.db, actor('viewer'), { now: () => new Date(T + 7 * 86_400_000) }), input);
    expect(later.buckets.filter((b) => b.count > 0).map((b) => [b.t, b.count, b.errors])).toEqual([[T, 1, 1], [T + 10 * MIN, 1, 0]]);
  });
});
