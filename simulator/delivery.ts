import { lognormal, rng, seedOf } from './random';
import type { Proxy } from './topology';

/** A proxy's exporter flushes every 2–5 s (its own interval and phase). */
const BATCH_MIN_MS = 2000;
const BATCH_SPREAD_MS = 3000;
/** Now and then a node's collector falls behind (a slow backend, retries) and holds its proxies' batches. */
const STALL_PERIOD_MS = 10 * 60_000;
const STALL_CHANCE = 0.08;
const STALL_MIN_MS = 20_000;
const STALL_MAX_MS = 180_000;
const RELEASE_JITTER_MS = 3000;
const NORMAL_DELAY_CAP_MS = 1500;

/**
 * The most a batch can arrive after the events in it started: a stall, its release jitter, the
 * batch interval and the usual network delay. Lines from different proxies are at most this far
 * out of order (a proxy's own lines stay in order).
 */
export const MAX_LATENESS_MS = STALL_MAX_MS + RELEASE_JITTER_MS + BATCH_MIN_MS + BATCH_SPREAD_MS + NORMAL_DELAY_CAP_MS;

export interface BatchClock {
  everyMs: number;
  phaseMs: number;
}

/** How proxies' batches reach the console: when each is flushed and when it arrives. */
export class Delivery {
  private readonly clocks = new Map<number, BatchClock>();
  private readonly lastArrival = new Map<number, number>();
  private readonly stalls = new Map<string, { start: number; end: number } | null>();

  constructor(private readonly seed: number) {}

  clock(proxy: Proxy): BatchClock {
    let c = this.clocks.get(proxy.index);
    if (!c) {
      const everyMs = BATCH_MIN_MS + (seedOf(this.seed, 'batch-every', proxy.id) % (BATCH_SPREAD_MS + 1));
      this.clocks.set(proxy.index, (c = { everyMs, phaseMs: seedOf(this.seed, 'batch-phase', proxy.id) % everyMs }));
    }
    return c;
  }

  /** The batch an event starting at `ts` goes into. */
  batchOf(proxy: Proxy, ts: number): number {
    const c = this.clock(proxy);
    return Math.floor((ts - c.phaseMs) / c.everyMs);
  }

  /** When batch `k` is flushed: the end of its window. */
  flushAt(proxy: Proxy, k: number): number {
    const c = this.clock(proxy);
    return (k + 1) * c.everyMs + c.phaseMs;
  }

  private stall(node: string, period: number): { start: number; end: number } | null {
    const key = `${node}|${period}`;
    let s = this.stalls.get(key);
    if (s === undefined) {
      if (this.stalls.size > 50_000) this.stalls.clear();
      const r = rng(this.seed, 'stall', node, period);
      s = null;
      if (r.chance(STALL_CHANCE)) {
        const start = period * STALL_PERIOD_MS + r.int(STALL_PERIOD_MS);
        s = { start, end: start + STALL_MIN_MS + r.int(STALL_MAX_MS - STALL_MIN_MS + 1) };
      }
      this.stalls.set(key, s);
    }
    return s;
  }

  /**
   * When batch `k` of `proxy` reaches the console: a little after its flush, or when its node's
   * collector catches up after a stall; never before the proxy's previous batch.
   */
  arrival(proxy: Proxy, k: number): number {
    const flush = this.flushAt(proxy, k);
    const r = rng(this.seed, 'deliver', proxy.index, k);
    let at = flush + Math.min(NORMAL_DELAY_CAP_MS, lognormal(r, 250, 0.8));
    const period = Math.floor(flush / STALL_PERIOD_MS);
    for (const p of [period - 1, period]) {
      const s = this.stall(proxy.node, p);
      if (s && flush >= s.start && flush < s.end) at = Math.max(at, s.end + r.int(RELEASE_JITTER_MS));
    }
    at = Math.max(at, (this.lastArrival.get(proxy.index) ?? -Infinity) + 1);
    this.lastArrival.set(proxy.index, at);
    return Math.round(at);
  }
}
