import { expect, it } from 'vitest';
import { proxies } from '@/db/schema';
import { histogramQuantile, latencyBucket, emptyHistogram } from '@/server/rollups/latency-histogram';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { fleetHealth } from './fleet-health';
import { overviewSeries, overviewStats, topTalkers, topTokens } from './overview';
import { insertRollups } from './rollup-fixture';

const NOW = new Date('2026-11-23T12:34:56Z');
const hour = { range: { preset: '1h' as const } };

describeEachEngine('overview', (h) => {
  const ctx = () => ctxFor(h.db, actor('viewer'), { now: () => NOW });

  it('is all zeros, with a point per minute, when nothing happened', async () => {
    const stats = await overviewStats(ctx(), hour);
    expect(stats).toMatchObject({ requests: 0, errors: 0, errorRate: 0, p95: null, sensitiveMatches: 0, sensitiveClasses: 0 });
    const series = await overviewSeries(ctx(), hour);
    expect(series.points).toHaveLength(61); // 11:34 … 12:34
    expect(series.points.every((p) => p.requests === 0 && p.p50 === null)).toBe(true);
    expect(await topTalkers(ctx(), { ...hour, limit: 5 })).toEqual({ edges: [], services: [] });
    expect(await topTokens(ctx(), { ...hour, limit: 5 })).toEqual([]);
  });

  it('counts requests, 5xx and 4xx of the range only, and reads latency from the merged histograms', async () => {
    await insertRollups(h.db, [
      { at: '2026-11-23T12:00:10Z', src: 'web/gateway', dst: 'shop/cart', n: 90, durationMs: 4 },
      { at: '2026-11-23T12:01:10Z', src: 'web/gateway', dst: 'shop/cart', n: 6, status: 503, durationMs: 400 },
      { at: '2026-11-23T12:02:10Z', src: 'shop/cart', dst: 'payments/cards', n: 4, status: 404, durationMs: 40,
        sensitive: [{ class: 'credit_card', direction: 'response', count: 2 }] },
      // outside the hour: 11:20 is before 11:34
      { at: '2026-11-23T11:20:00Z', src: 'web/gateway', dst: 'shop/cart', n: 1000, status: 500 },
    ]);
    const s = await overviewStats(ctx(), hour);
    expect(s).toMatchObject({ requests: 100, errors: 6, clientErrors: 4, sensitiveMatches: 8, sensitiveEvents: 4, sensitiveClasses: 1 });
    expect(s.errorRate).toBeCloseTo(0.06);
    const hist = emptyHistogram();
    hist[latencyBucket(4)] += 90;
    hist[latencyBucket(40)] += 4;
    hist[latencyBucket(400)] += 6;
    expect(s.p50).toBe(histogramQuantile(hist, 0.5));
    expect(s.p95).toBe(histogramQuantile(hist, 0.95));
    expect(s.p99).toBe(histogramQuantile(hist, 0.99));
    expect(s.p50).toBeLessThan(5);
    expect(s.p99).toBeGreaterThan(300);
    // 100 requests over the 60 min 56 s of the range that have passed (11:34:00 → now)
    expect(s.requestsPerS).toBeCloseTo(100 / (60 * 60 + 56), 5);
    expect(s.range).toMatchObject({ resolution: 'minute', stepS: 60 });
  });

  it('puts each minute in its step and fills the empty steps with zeros', async () => {
    await insertRollups(h.db, [
      { at: '2026-11-23T11:34:00Z', src: 'a', dst: 'b', n: 3, durationMs: 2 },
      { at: '2026-11-23T12:10:30Z', src: 'a', dst: 'b', n: 5, status: 500, durationMs: 100 },
      { at: '2026-11-23T12:10:59Z', src: 'c', dst: 'b', n: 2, status: 401, durationMs: 100 },
      { at: '2026-11-23T12:34:50Z', src: 'a', dst: 'b', n: 1 },
    ]);
    const { points, range } = await overviewSeries(ctx(), hour);
    expect(range.from.toISOString()).toBe('2026-11-23T11:34:00.000Z');
    expect(points.map((p) => p.t)).toEqual(Array.from({ length: 61 }, (_, i) => Date.parse('2026-11-23T11:34:00Z') + i * 60_000));
    const at = (iso: string) => points.find((p) => p.t === Date.parse(iso))!;
    expect(at('2026-11-23T11:34:00Z')).toMatchObject({ requests: 3, errors: 0 });
    expect(at('2026-11-23T12:10:00Z')).toMatchObject({ requests: 7, errors: 5, clientErrors: 2 });
    expect(at('2026-11-23T12:10:00Z').p50).toBeGreaterThan(75);
    expect(at('2026-11-23T12:34:00Z')).toMatchObject({ requests: 1 });
    expect(at('2026-11-23T12:00:00Z')).toEqual({ t: Date.parse('2026-11-23T12:00:00Z'), requests: 0, errors: 0, clientErrors: 0, p50: null, p95: null, p99: null });
    expect(points.reduce((s, p) => s + p.requests, 0)).toBe(11);
  });

  it('groups minutes into wider steps for longer absolute ranges', async () => {
    // 3 hours → 2-minute steps from 09:00
    await insertRollups(h.db, [
      { at: '2026-11-23T09:00:10Z', src: 'a', dst: 'b', n: 1 },
      { at: '2026-11-23T09:01:10Z', src: 'a', dst: 'b', n: 2 },
      { at: '2026-11-23T09:02:10Z', src: 'a', dst: 'b', n: 4 },
      { at: '2026-11-23T12:00:00Z', src: 'a', dst: 'b', n: 8 }, // the end is exclusive
    ]);
    const { points, range } = await overviewSeries(ctx(), { range: { from: new Date('2026-11-23T09:00:00Z'), to: new Date('2026-11-23T12:00:00Z') } });
    expect(range.stepS).toBe(120);
    expect(points).toHaveLength(90);
    expect(points.slice(0, 3).map((p) => p.requests)).toEqual([3, 4, 0]);
    expect(points.reduce((s, p) => s + p.requests, 0)).toBe(7);
  });

  it('reads the hour rollups beyond 12 hours and the minute ones below', async () => {
    await insertRollups(h.db, [{ at: '2026-11-23T03:15:00Z', src: 'a', dst: 'b', n: 7 }], ['hour']);
    await insertRollups(h.db, [{ at: '2026-11-23T12:15:00Z', src: 'a', dst: 'b', n: 5 }], ['minute']);
    const day = await overviewSeries(ctx(), { range: { preset: '24h' } });
    expect(day.range).toMatchObject({ resolution: 'hour', stepS: 3600 });
    expect(day.points).toHaveLength(25); // 12:00 yesterday … 12:00 today
    expect(day.points.find((p) => p.t === Date.parse('2026-11-23T03:00:00Z'))?.requests).toBe(7);
    expect(day.points.reduce((s, p) => s + p.requests, 0)).toBe(7);
    expect((await overviewStats(ctx(), hour)).requests).toBe(5);
    expect((await overviewStats(ctx(), { range: { preset: '7d' } })).requests).toBe(7);
  });

  it('ranks top talkers by requests, ties by name, with error rate and p95', async () => {
    await insertRollups(h.db, [
      { at: '2026-11-23T12:00:00Z', src: 'web/gateway', dst: 'shop/cart', n: 50, durationMs: 3 },
      { at: '2026-11-23T12:00:00Z', src: 'web/gateway', dst: 'shop/cart', n: 50, status: 500, durationMs: 3000 },
      { at: '2026-11-23T12:05:00Z', src: 'shop/cart', dst: 'payments/cards', n: 30 },
      { at: '2026-11-23T12:05:00Z', src: 'external', dst: 'web/gateway', n: 30 },
      { at: '2026-11-23T12:05:00Z', src: 'shop/cart', dst: 'catalog/pricing', n: 5 },
    ]);
    const top = await topTalkers(ctx(), { ...hour, limit: 3 });
    expect(top.edges.map((e) => `${e.src}>${e.dst}:${e.requests}`)).toEqual([
      'web/gateway>shop/cart:100', 'external>web/gateway:30', 'shop/cart>payments/cards:30',
    ]);
    expect(top.edges[0]).toMatchObject({ errors: 50, errorRate: 0.5, bytes: 100 * 1100 });
    expect(top.edges[0].p95).toBeGreaterThan(2000);
    expect(top.edges[1].p95).toBeLessThan(20);
    expect(top.services.map((s) => `${s.service}:${s.requests}`)).toEqual(['shop/cart:100', 'payments/cards:30', 'web/gateway:30']);
    expect(top.services[0].errorRate).toBe(0.5);
  });

  it('ranks tokens by sensitive matches, with their classes and request count', async () => {
    await insertRollups(h.db, [
      { at: '2026-11-23T12:00:00Z', src: 'external', dst: 'identity/users', tokenId: 'tok_a', n: 10,
        sensitive: [{ class: 'email', direction: 'response', count: 1 }] },
      { at: '2026-11-23T12:01:00Z', src: 'external', dst: 'payments/cards', tokenId: 'tok_b', n: 2,
        sensitive: [{ class: 'credit_card', direction: 'response', count: 20 }, { class: 'iban', direction: 'request', count: 1 }] },
      { at: '2026-11-23T12:01:00Z', src: 'external', dst: 'payments/cards', tokenId: 'tok_b', n: 40 },
      { at: '2026-11-23T12:02:00Z', src: 'external', dst: 'shop/cart', tokenId: 'tok_quiet', n: 100 },
      { at: '2026-11-23T10:00:00Z', src: 'external', dst: 'payments/cards', tokenId: 'tok_old', n: 1,
        sensitive: [{ class: 'ssn', direction: 'response', count: 999 }] },
    ]);
    const top = await topTokens(ctx(), { ...hour, limit: 10 });
    expect(top).toEqual([
      { tokenId: 'tok_b', matches: 42, events: 4, classes: ['credit_card', 'iban'], requests: 42 },
      { tokenId: 'tok_a', matches: 10, events: 10, classes: ['email'], requests: 10 },
    ]);
    expect(await topTokens(ctx(), { ...hour, limit: 1 })).toHaveLength(1);
  });

  it('reports fleet health: silent proxies longest-silent first, versions by count', async () => {
    const at = (s: number) => new Date(NOW.getTime() - s * 1000);
    await h.db.insert(proxies).values([
      { id: 'p-ok', tokenId: 'pt_1', version: '1.4.2', intervalS: 30, firstSeenAt: at(3600), lastSeenAt: at(10) },
      { id: 'p-ok2', tokenId: 'pt_1', version: '1.4.2', intervalS: 30, firstSeenAt: at(3600), lastSeenAt: at(50) },
      { id: 'p-late', tokenId: 'pt_1', version: '1.3.9', service: 'shop/cart', intervalS: 30, firstSeenAt: at(3600), lastSeenAt: at(61) },
      { id: 'p-gone', tokenId: 'pt_1', intervalS: 10, firstSeenAt: at(7200), lastSeenAt: at(3000) },
    ]);
    const f = await fleetHealth(ctx());
    expect(f).toMatchObject({ total: 4, reporting: 2, silent: 2 });
    expect(f.silentProxies.map((p) => p.id)).toEqual(['p-gone', 'p-late']);
    expect(f.versions).toEqual([{ version: '1.4.2', proxies: 2 }, { version: '1.3.9', proxies: 1 }, { version: null, proxies: 1 }]);
  });
});
