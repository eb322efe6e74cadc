import { eq, sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { rows, type Database, type Db } from '@/db/client';
import { detections } from '@/db/schema/detections';
import { createProxyToken } from '@/server/fleet/tokens';
import type { AccessEventInput } from '@/server/ingest/event';
import { handleIngest } from '@/server/ingest/http';
import { event, ingest, principal } from '@/server/rollups/test-events';
import type { Runtime } from '@/server/runtime';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { FailureCountingEngine } from '@/server/testing/detections';
import { testRuntime } from '@/server/testing/runtime';
import { falsePositiveInput } from './schemas';
import { MAX_AHEAD_MS, DetectionService } from './service';
import { markFalsePositive } from './triage';

const LATE = 10 * 60_000;

describeEachEngine('detection in the console', (h) => {
  let clock = Date.now();
  const engines: FailureCountingEngine[] = [];
  /** each engine run names its incidents with its own prefix, as a real restart would */
  const service = (db: Db = h.db, run = engines.length) => new DetectionService(db, {
    latenessMs: LATE, now: () => new Date(clock),
    engine: (o) => {
      const e = new FailureCountingEngine(o);
      const advance = e.advance.bind(e);
      e.advance = (w) => advance(w).map((d) => ({ ...d, id: `run${run}-${d.id}` }));
      engines.push(e);
      return e;
    },
  });
  const refusals = (ip: string, at: number, n: number, tag = 'a'): AccessEventInput[] =>
    Array.from({ length: n }, (_, i) => event(at + i * 1000, `${tag}-${ip}-${i}`, { dstService: 'shop/login', method: 'POST', path: '/login', route: '/login', status: 401, clientIp: ip }));
  const stored = () => h.db.select().from(detections);
  let rt: Runtime | null = null;
  afterEach(async () => {
    engines.length = 0;
    await rt?.shutdown();
    rt = null;
  });

  it('holds live events until it has warmed from the stored day in event-time order, then follows event time less the lateness', async () => {
    clock = Date.now();
    const start = new Date(clock);
    // stored before start, out of order on purpose; one is older than a day
    await ingest(h.db, [{ events: [...refusals('203.0.113.1', clock - 30 * 60_000, 70, 'late'), ...refusals('203.0.113.1', clock - 50 * 60_000, 5, 'early'), ...refusals('203.0.113.9', clock - 26 * 3600_000, 90)], principal }], clock - 60_000);
    const svc = service();
    const live = refusals('198.51.100.7', clock - 60_000, 3, 'live');
    svc.observeEvents(live);
    await svc.tick();
    expect(engines[0].observed).toHaveLength(0);

    expect(await svc.warm(start)).toBe(75);
    const e = engines[0];
    expect(e.outOfOrder).toBe(0);
    // during the warm-up event time follows the replay: the last ten minutes of it wait for the live events
    expect(e.watermarks.at(-1)).toBe(clock - 30 * 60_000 + 69_000 - LATE);
    expect(await stored()).toEqual([]);
    // then the held live events
    expect(e.observed.slice(-3).map((x) => x.requestId)).toEqual(live.map((x) => x.requestId));
    expect(e.observed[0].endpoint).toBe('POST /login');

    clock += 1000;
    await svc.tick();
    const newest = Math.max(...live.map((x) => x.ts));
    expect(e.watermarks.at(-1)).toBe(newest - LATE);
    // 75 refusals of the stored day, scored 75 ≥ the default alert level; the live three are too few
    expect(await stored()).toEqual([expect.objectContaining({ kind: 'brute_force', service: 'shop/login', score: 75, topActors: [{ type: 'ip', id: '203.0.113.1' }] })]);
  });

  it('does not let an event stamped ahead of the clock move event time; when nothing arrives for a lateness, time moves on to now less it', async () => {
    clock = Date.now();
    const svc = service();
    await svc.warm(new Date(clock));
    svc.observeEvents([...refusals('203.0.113.5', clock - 5000, 2), event(clock + MAX_AHEAD_MS + 60_000, 'future', { clientIp: '203.0.113.6' })]);
    await svc.tick();
    expect(svc.stats.ahead).toBe(1);
    expect(engines[0].observed.map((x) => x.requestId)).not.toContain('future');
    const w1 = engines[0].watermarks.at(-1)!;
    expect(w1).toBe(clock - 4000 - LATE);
    clock += LATE + 1000;
    await svc.tick();
    expect(engines[0].watermarks.at(-1)).toBe(clock - LATE);
  });

  it('continues the stored incident after a restart instead of opening a second one, and drops what a suppression covers', async () => {
    clock = Date.now();
    await ingest(h.db, [{ events: refusals('203.0.113.1', clock - 40 * 60_000, 70), principal }], clock - 30 * 60_000);
    const first = service();
    await first.warm(new Date(clock));
    await first.tick();
    expect(await stored()).toHaveLength(1);
    // a new process: another engine run, other engine ids, the same attack going on
    const second = service();
    await second.warm(new Date(clock));
    await second.tick();
    second.observeEvents(refusals('203.0.113.1', clock - 60_000, 5, 'more'));
    clock += LATE + 60_000;
    await second.tick();
    const rows1 = await stored();
    expect(rows1).toHaveLength(1);
    expect(rows1[0].score).toBe(75);

    await markFalsePositive(ctxFor(h.db, actor('analyst')), falsePositiveInput.parse({ id: rows1[0].id, scope: 'rule', expiresAt: new Date(clock + 86_400_000), reason: 'pen test' }));
    await second.reload();
    second.observeEvents(refusals('198.51.100.2', clock - 30_000, 90, 'pentest'));
    clock += LATE + 60_000;
    await second.tick();
    expect(await stored()).toHaveLength(1);
    expect(second.stats.screened).toBeGreaterThanOrEqual(1);
  });

  it('keeps a detection it could not write and writes it on the next tick', async () => {
    clock = Date.now();
    let failNext = false;
    const flaky = new Proxy(h.db, {
      get(target, prop, receiver) {
        if (prop === 'transaction' && failNext) {
          failNext = false;
          return () => Promise.reject(new Error('connection lost'));
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as Db;
    const svc = service(flaky);
    await svc.warm(new Date(clock));
    svc.observeEvents(refusals('203.0.113.3', clock - 5000, 80));
    clock += LATE + 60_000;
    failNext = true;
    await svc.tick();
    expect(svc.stats.failed).toBe(1);
    expect(await stored()).toHaveLength(0);
    clock += 1000;
    await svc.tick();
    expect(await stored()).toHaveLength(1);
  });

  it('is fed by ingest after the commit, with the routed endpoint, and not again for a retried batch', async () => {
    clock = Date.now();
    rt = { ...testRuntime(h.database as Database), detection: null };
    const svc = service();
    await svc.warm(new Date(clock));
    rt = { ...rt, detection: svc };
    const token = (await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'edge', services: ['*'] })).token;
    const lines = Array.from({ length: 4 }, (_, i) => JSON.stringify({ start_time: new Date(clock - 1000).toISOString(), method: 'POST', path: `/api/accounts/${41139657 + i}/login`, response_code: 401, request_id: `r${i}`, authority: 'accounts.bank' }));
    const post = () => handleIngest(new Request('http://console/api/ingest/envoy', { method: 'POST', body: lines.join('\n'), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' } }), 'envoy', rt!);
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    const [{ n }] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from access_events`);
    expect(n).toBe(4);
    svc.flush();
    expect(engines[0].observed).toHaveLength(4);
    expect(new Set(engines[0].observed.map((e) => e.endpoint))).toEqual(new Set(['POST /api/accounts/{id}/login']));
    const [stored1] = await rows<{ route: string }>(h.db, sql`select route from access_events limit 1`);
    expect(engines[0].observed[0].endpoint).toBe(`POST ${stored1.route}`);
    void eq;
  });
});
