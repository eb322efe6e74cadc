import { expect, it } from 'vitest';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { DomainError } from '@/server/errors';
import { searchHistogram } from './histogram';

const T = Date.UTC(2026, 0, 15, 12);
const S = 1000;

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
});
