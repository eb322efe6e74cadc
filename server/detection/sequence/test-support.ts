// Test support: simulator records as the engine sees them, delivered the way a fleet delivers
// them (per proxy batches, minutes apart), and the strongest signal per actor.
import { coarseRoute } from '@/server/rollups/route';
import type { SimRecord } from '@/simulator/record';
import type { ActorSignal, Analyzer, EngineEvent } from '../types';

export function engineEvent(r: SimRecord): EngineEvent {
  const endpoint = r.endpoint ? r.endpoint.slice(r.dstService.length + 1) : `${r.method} ${coarseRoute(r.path)}`;
  return {
    ts: r.ts, requestId: r.requestId, srcService: r.srcService, dstService: r.dstService, method: r.method, path: r.path, query: r.query,
    status: r.status, durationMs: r.durationMs, bytesIn: r.bytesIn, bytesOut: r.bytesOut, clientIp: r.clientIp || null,
    userAgent: r.userAgent || null, tokenId: r.tokenId, userId: r.user, sensitive: r.sensitive, endpoint,
  };
}

/** A small deterministic generator for shuffles and delays. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Feeds events as proxies send them: each proxy's events in 10-second batches that reach the
 * analyzer up to `maxDelayMs` late, so batches from different proxies interleave out of order;
 * after every arrival the watermark is the newest event time less the lateness.
 */
export function feedOutOfOrder(a: Analyzer, events: EngineEvent[], proxyOf: (e: EngineEvent, i: number) => number, o: { maxDelayMs: number; latenessMs: number; seed: number }): ActorSignal[] {
  const rand = lcg(o.seed);
  const batches = new Map<string, { arrive: number; events: EngineEvent[] }>();
  events.forEach((e, i) => {
    const key = `${proxyOf(e, i)}:${Math.floor(e.ts / 10_000)}`;
    let b = batches.get(key);
    if (!b) batches.set(key, (b = { arrive: (Math.floor(e.ts / 10_000) + 1) * 10_000 + rand() * o.maxDelayMs, events: [] }));
    b.events.push(e);
  });
  const order = [...batches.values()].sort((x, y) => x.arrive - y.arrive);
  const signals: ActorSignal[] = [];
  let newest = Number.NEGATIVE_INFINITY;
  for (const b of order) {
    for (const e of b.events) {
      a.observe(e);
      if (e.ts > newest) newest = e.ts;
    }
    signals.push(...a.collect(newest - o.latenessMs));
  }
  signals.push(...a.collect(Number.POSITIVE_INFINITY));
  return signals;
}

export const actorId = (s: ActorSignal) => `${s.actor.type}:${s.actor.id}`;

/** The strongest signal each actor got, per kind and overall. */
export function strongest(signals: ActorSignal[]): Map<string, ActorSignal> {
  const best = new Map<string, ActorSignal>();
  for (const s of signals) {
    const k = actorId(s);
    const b = best.get(k);
    if (!b || s.strength > b.strength) best.set(k, s);
  }
  return best;
}
