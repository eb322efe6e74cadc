import { expect, it } from 'vitest';
import type { AccessEventInput } from '@/server/ingest/event';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { FailureCountingEngine, seedDetection } from '@/server/testing/detections';
import { backtestThresholds } from './backtest';
import { markFalsePositive } from './triage';
import { falsePositiveInput } from './schemas';
import { setThresholds } from './thresholds';
import { DEFAULT_THRESHOLDS } from './types';

const HOUR = 3600_000;

describeEachEngine('threshold backtest', (h) => {
  const now = Math.floor(Date.now() / HOUR) * HOUR + 30 * 60_000;
  const ctx = () => ctxFor(h.db, actor('admin'), { now: () => new Date(now) });
  const engines: FailureCountingEngine[] = [];
  const factory = (o: ConstructorParameters<typeof FailureCountingEngine>[0]) => {
    const e = new FailureCountingEngine(o);
    engines.push(e);
    return e;
  };

  /** `n` refused logins from `ip`, `hoursAgo` hours before now, some sharing a millisecond (keyset ties). */
  function failures(ip: string, hoursAgo: number, n: number): AccessEventInput[] {
    const t = now - hoursAgo * HOUR;
    return Array.from({ length: n }, (_, i) => event(t + Math.floor(i / 3) * 1000, `${ip}-${hoursAgo}-${i}`, {
      dstService: 'shop/login', method: 'POST', path: '/login', route: '/login', status: 401, clientIp: ip,
    }));
  }
  const benign = (n: number) => Array.from({ length: n }, (_, i) => event(now - 20 * HOUR + i * 60_000, `ok-${i}`, { dstService: 'shop/login', status: 200, clientIp: '10.0.0.1' }));

  async function seedTraffic() {
    const events = [...benign(300), ...failures('203.0.113.1', 3, 80), ...failures('203.0.113.2', 10, 40), ...failures('203.0.113.3', 12, 10), ...failures('203.0.113.4', 30, 90)];
    await ingest(h.db, [{ events, principal }], now);
    return events.length;
  }

  it('replays the last day in event-time order through the current and the candidate thresholds, counting detections and actors per hour', async () => {
    const stored = await seedTraffic();
    engines.length = 0;
    const r = await backtestThresholds(ctx(), { service: '*', candidate: { ...DEFAULT_THRESHOLDS, alert: 30 }, hours: 24 }, { engine: factory, pageSize: 37 });
    // the event 30 h ago is outside the day
    expect(r.events).toBe(stored - 90);
    expect(r.truncated).toBeNull();
    expect(engines).toHaveLength(2);
    for (const e of engines) {
      expect(e.outOfOrder).toBe(0);
      expect(e.observed).toHaveLength(stored - 90);
      expect(e.watermarks.every((w, i) => i === 0 || w >= e.watermarks[i - 1])).toBe(true);
    }
    // each engine is configured with its own thresholds
    expect(engines[0].thresholds?.global.alert).toBe(DEFAULT_THRESHOLDS.alert);
    expect(engines[1].thresholds?.global.alert).toBe(30);
    expect(r.totals).toEqual({ current: { detections: 1, actors: 1 }, candidate: { detections: 2, actors: 2 } });
    // whole hours from the one 24 h ago to the current one (now is half past)
    expect(r.hours).toHaveLength(25);
    const hourOf = (hoursAgo: number) => r.hours.findIndex((x) => x.t <= now - hoursAgo * HOUR && now - hoursAgo * HOUR < x.t + HOUR);
    expect(r.hours[hourOf(3)]).toMatchObject({ current: { detections: 1, actors: 1 }, candidate: { detections: 1, actors: 1 } });
    expect(r.hours[hourOf(10)]).toMatchObject({ current: { detections: 0, actors: 0 }, candidate: { detections: 1, actors: 1 } });
    expect(r.hours.reduce((n, x) => n + x.candidate.detections, 0)).toBe(2);
    expect(r.candidate.alert).toBe(30);
    expect(r.current.alert).toBe(DEFAULT_THRESHOLDS.alert);
  });

  it('compares a service\'s own thresholds against what it has now, counting only that service', async () => {
    await seedTraffic();
    await setThresholds(ctx(), { service: 'shop/login', thresholds: { ...DEFAULT_THRESHOLDS, alert: 90, mitigate: 95 }, reason: 'quiet logins' });
    const r = await backtestThresholds(ctx(), { service: 'shop/login', candidate: { ...DEFAULT_THRESHOLDS, alert: 70 }, hours: 24 }, { engine: factory });
    expect(r.current.alert).toBe(90);
    expect(r.totals).toEqual({ current: { detections: 0, actors: 0 }, candidate: { detections: 1, actors: 1 } });
    const other = await backtestThresholds(ctx(), { service: 'shop/cart', candidate: { ...DEFAULT_THRESHOLDS, alert: 1 }, hours: 24 }, { engine: factory });
    expect(other.totals).toEqual({ current: { detections: 0, actors: 0 }, candidate: { detections: 0, actors: 0 } });
  });

  it('screens with the suppressions in force, as the live queue does', async () => {
    await seedTraffic();
    const { id } = await seedDetection(h.db, { service: 'shop/login' });
    await markFalsePositive(ctx(), falsePositiveInput.parse({ id, scope: 'rule', expiresAt: new Date(Date.now() + 86_400_000), reason: 'load test' }));
    const r = await backtestThresholds(ctx(), { service: '*', candidate: { ...DEFAULT_THRESHOLDS, alert: 30 }, hours: 168 }, { engine: factory });
    expect(r.totals.candidate.detections).toBe(0);
    expect(r.hours).toHaveLength(169);
  });

  it('replays only the newest events when there are more than the bound, and says so', async () => {
    const stored = await seedTraffic();
    const r = await backtestThresholds(ctx(), { service: '*', candidate: DEFAULT_THRESHOLDS, hours: 24 }, { engine: factory, maxEvents: 100, pageSize: 30 });
    expect(r.events).toBe(100);
    expect(r.truncated).toBe('events');
    // the newest 100: the 80 refusals of 3 h ago and the latest benign ones are all after the start
    expect(r.coveredFrom!.getTime()).toBeGreaterThan(r.from.getTime());
    expect(stored).toBeGreaterThan(100);
  });

  it('runs one backtest at a time per console', async () => {
    await seedTraffic();
    const input = { service: '*', candidate: DEFAULT_THRESHOLDS, hours: 24 as const };
    const results = await Promise.allSettled([backtestThresholds(ctx(), input, { engine: factory }), backtestThresholds(ctx(), input, { engine: factory })]);
    expect(results.map((x) => x.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((x) => x.status === 'rejected')).toMatchObject({ reason: { code: 'TOO_MANY_REQUESTS' } });
    // and the next one runs
    await expect(backtestThresholds(ctx(), input, { engine: factory })).resolves.toMatchObject({ truncated: null });
  });
});
