import type { Db } from '@/db/client';
import { upsertDetection } from '@/server/detection/store';
import type { EngineOptions } from '@/server/detection/engine';
import type { ActorRef, AllowEntry, Detection, EngineEvent, ThresholdSet } from '@/server/detection/types';

let seq = 0;

/**
 * A detection as the engine reports one, built directly (the tests of the console side do not
 * depend on what the engine finds): a brute force on `shop/login` by one address unless told.
 */
export function fakeDetection(over: Partial<Detection> = {}): Detection {
  seq++;
  const start = over.start ?? Date.now() - 20 * 60_000;
  const actors: ActorRef[] = over.actors ?? [{ type: 'ip', id: '203.0.113.7' }];
  return {
    id: `eng-${seq}-${Math.random().toString(36).slice(2, 8)}`,
    kind: 'brute_force',
    service: 'shop/login',
    actors,
    start,
    end: start + 10 * 60_000,
    score: 80,
    severity: 'high',
    evidence: {
      features: [{ feature: 'error_ratio_401', window: '5m', value: 0.94, baseline: 0.02, deviation: 31, text: '94% of logins refused in 5 min, usually 2%' }],
      transitions: [{ from: 'POST /login', to: 'POST /login', probability: 0.01, count: 140 }],
      windows: ['5m', '30m'],
      examples: actors.slice(0, 3).map((a, i) => ({ requestId: `req-${seq}-${i}`, ts: start + i * 1000, method: 'POST', path: '/login', status: 401, actor: a })),
      timeline: Array.from({ length: 10 }, (_, i) => ({ t: start + i * 60_000, requests: 40 + i, errors: 38 + i })),
    },
    ...over,
  };
}

/** Stores `d` as the live service would, and returns the stored detection's id. */
export async function seedDetection(db: Db, over: Partial<Detection> = {}): Promise<{ id: string; detection: Detection }> {
  const detection = fakeDetection(over);
  await upsertDetection(db, detection, new Date());
  const { detectionEngineIds } = await import('@/db/schema/detections');
  const { eq } = await import('drizzle-orm');
  const [row] = await db.select({ id: detectionEngineIds.detectionId }).from(detectionEngineIds).where(eq(detectionEngineIds.engineId, detection.id));
  return { id: row.id, detection };
}

/**
 * A stand-in engine for the console's tests: it reports, per client address, a brute force on
 * the destination service scored by how many 401s the address got up to the watermark (one
 * point each, at most 100), and records what it was given so tests can check event-time order,
 * watermarks and configuration. The real engine's findings are its own tests' business.
 */
export class FailureCountingEngine {
  readonly observed: EngineEvent[] = [];
  readonly watermarks: number[] = [];
  thresholds: ThresholdSet | null = null;
  allow: AllowEntry[] = [];
  /** events seen out of event-time order (the backtest and warm-up must give none) */
  outOfOrder = 0;
  private reported = new Map<string, number>();

  constructor(readonly options: EngineOptions = {}) {
    this.thresholds = options.thresholds ?? null;
    this.allow = options.allow ?? [];
  }

  observe(events: readonly EngineEvent[]): void {
    for (const e of events) {
      const last = this.observed.at(-1);
      if (last && e.ts < last.ts) this.outOfOrder++;
      this.observed.push(e);
    }
  }

  setThresholds(t: ThresholdSet): void {
    this.thresholds = t;
  }

  setAllowList(a: AllowEntry[]): void {
    this.allow = a;
  }

  advance(watermark = Number.POSITIVE_INFINITY): Detection[] {
    this.watermarks.push(watermark);
    const per = new Map<string, { service: string; first: number; last: number; n: number }>();
    for (const e of this.observed) {
      if (e.ts > watermark || e.status !== 401 || !e.clientIp) continue;
      const p = per.get(e.clientIp) ?? { service: e.dstService, first: e.ts, last: e.ts, n: 0 };
      p.first = Math.min(p.first, e.ts);
      p.last = Math.max(p.last, e.ts);
      p.n++;
      per.set(e.clientIp, p);
    }
    const out: Detection[] = [];
    for (const [ip, p] of per) {
      if (this.reported.get(ip) === p.n) continue;
      this.reported.set(ip, p.n);
      out.push(fakeDetection({
        id: `fake-${ip}`, service: p.service, actors: [{ type: 'ip', id: ip }], start: p.first, end: p.last,
        score: Math.min(100, p.n), severity: p.n >= 85 ? 'critical' : p.n >= 60 ? 'high' : 'medium',
      }));
    }
    return out;
  }
}
