// The console with the real engine (not a fake), on the embedded database and on PostgreSQL:
// a brute force stored through ingest's writer becomes a detection in the table, with its actor,
// evidence a person can check and a timeline; and the backtest over the same stored events
// finds it with the thresholds in force and not with a candidate alert level nothing reaches.
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { detectionActors, detections } from '@/db/schema/detections';
import type { AccessEventInput } from '@/server/ingest/event';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { backtestThresholds } from './backtest';
import { DetectionService } from './service';
import { DEFAULT_THRESHOLDS } from './types';

const MIN = 60_000;
const ATTACKER = '198.51.100.23';

describeEachEngine('detection with the real engine', (h) => {
  const now = Math.floor(Date.now() / MIN) * MIN;

  /** an hour of ordinary sign-ins and browsing from 40 clients, then 5 minutes of guessing from one address */
  function traffic(): AccessEventInput[] {
    const out: AccessEventInput[] = [];
    const start = now - 70 * MIN;
    for (let m = 0; m < 65; m++) {
      for (let c = 0; c < 40; c++) {
        const at = start + m * MIN + c * 1000;
        const who = { clientIp: `10.20.${c}.7`, tokenId: `tok-${c}`, userId: `user-${c}`, srcService: 'external', userAgent: 'Mozilla/5.0' };
        out.push(event(at, `b-${m}-${c}`, { ...who, dstService: 'shop/web', method: 'GET', path: `/api/products/${(m * 7 + c) % 50}`, route: '/api/products/{id}' }));
        if ((m + c) % 20 === 0) out.push(event(at + 500, `l-${m}-${c}`, { ...who, tokenId: null, dstService: 'shop/login', method: 'POST', path: '/login', route: '/login', status: m % 3 === 0 ? 401 : 200 }));
      }
    }
    const attack = now - 8 * MIN;
    for (let i = 0; i < 300; i++) {
      out.push(event(attack + i * 1000, `bf-${i}`, { srcService: 'external', clientIp: ATTACKER, tokenId: null, userId: null, userAgent: 'python-requests/2.31', dstService: 'shop/login', method: 'POST', path: '/login', route: '/login', status: 401 }));
    }
    return out.sort((a, b) => a.ts - b.ts);
  }

  it('stores a brute force found by the engine in the live console, naming the address, with evidence and a timeline', async () => {
    const events = traffic();
    const svc = new DetectionService(h.db, { latenessMs: 30_000, now: () => new Date(now) });
    await svc.warm(new Date(now - 2 * 3600_000));
    svc.observeEvents(events);
    await svc.tick();
    const found = await h.db.select().from(detections).where(eq(detections.kind, 'brute_force'));
    expect(found).toHaveLength(1);
    const d = found[0];
    expect(d.service).toBe('shop/login');
    expect(d.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.alert);
    const actors = await h.db.select().from(detectionActors).where(eq(detectionActors.detectionId, d.id));
    expect(actors.map((a) => `${a.actorType}:${a.actorId}`)).toContain(`ip:${ATTACKER}`);
    // no ordinary client is named by any detection
    const everyone = await h.db.select().from(detectionActors);
    expect(everyone.filter((a) => a.actorId.startsWith('10.20.') || a.actorId.startsWith('tok-') || a.actorId.startsWith('user-'))).toEqual([]);
    const evidence = d.evidence as { features: { feature: string; text: string }[]; timeline: unknown[] };
    // the address's own refusals and the endpoint's, in one detection
    expect(evidence.features.map((f) => f.feature)).toEqual(expect.arrayContaining(['refused_sign_ins', 'endpoint_refusals']));
    expect(evidence.features.find((f) => f.feature === 'refused_sign_ins')!.text).toMatch(/refused requests \(401\)/);
    expect(evidence.timeline.length).toBeGreaterThan(0);
  });

  it('the backtest over the stored events finds the brute force with the thresholds in force, not with an alert level nothing reaches', async () => {
    await ingest(h.db, [{ events: traffic(), principal }], now);
    const ctx = ctxFor(h.db, actor('admin'), { now: () => new Date(now + 10 * MIN) });
    // scores stop at 99: an alert level of 100 raises nothing
    const dull = { alert: 100, mitigate: 100, windows: DEFAULT_THRESHOLDS.windows };
    const r = await backtestThresholds(ctx, { service: '*', candidate: dull, hours: 24 });
    expect(r.totals.current.detections).toBeGreaterThanOrEqual(1);
    expect(r.totals.candidate.detections).toBe(0);
    expect(r.totals.candidate.actors).toBeLessThan(r.totals.current.actors);
  });
});
