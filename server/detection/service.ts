// Detection inside the console process (issue 10 §8): the engine is fed the events this process
// commits (after discovery routed them, off the request's path), in event time: every interval
// the watermark moves to the newest event time less the allowed lateness, and the detections the
// engine reports up to it are screened (allow-list, suppressions, alert level) and written.
// At start it warms from the last day of stored events, in event-time order, before it takes
// live ones (held meanwhile), so baselines and incidents in progress carry over a restart.
import type { Db } from '@/db/client';
import type { AccessEventInput } from '@/server/ingest/event';
import { log } from '@/server/log';
import { DEFAULT_LATENESS_MS } from './engine';
import { readEvents, toEngineEvent } from './events';
import { defaultEngine, loadRules, type DetectionRunner, type EngineFactory, type StoredRules } from './rules';
import { screenDetection } from './screen';
import { upsertDetection, type UpsertOutcome } from './store';
import type { Detection, EngineEvent } from './types';

export interface DetectionServiceOptions {
  /** events waiting for the engine; beyond it new ones are dropped and counted */
  maxQueued?: number;
  /** how many stored events (the newest of the last day) warm the engine at start */
  warmEvents?: number;
  latenessMs?: number;
  /** rules are read again this often, for changes made on another console */
  reloadEveryMs?: number;
  now?: () => Date;
  engine?: EngineFactory;
  /** the bound on events a backtest on this console replays */
  backtestEvents?: number;
}

const DRAIN_CHUNK = 4000;
const MAX_PENDING = 10_000;
const DAY_MS = 24 * 3600_000;
/**
 * Ingest accepts events stamped up to a day ahead (clock skew); detection does not take ones
 * more than this ahead of the console's clock: one would move event time forward for every
 * proxy and make everyone else's events late.
 */
export const MAX_AHEAD_MS = 5 * 60_000;

export interface DetectionStats {
  observed: number;
  /** dropped because the engine lagged (queue full) */
  dropped: number;
  /** not given to the engine: stamped too far ahead of the clock */
  ahead: number;
  stored: Record<UpsertOutcome, number>;
  screened: number;
  failed: number;
  watermark: number | null;
}

export class DetectionService {
  private engine: DetectionRunner;
  private queue: EngineEvent[] = [];
  private draining = false;
  private warmed = false;
  private newest = Number.NEGATIVE_INFINITY;
  private lastArrival = 0;
  private watermark = Number.NEGATIVE_INFINITY;
  private rules: StoredRules | null = null;
  private rulesAt = 0;
  /** detections that could not be written, the latest version of each, tried again next tick */
  private pending = new Map<string, Detection>();
  private warmAttempted = false;
  private readonly latenessMs: number;
  private readonly now: () => Date;
  readonly stats: DetectionStats = { observed: 0, dropped: 0, ahead: 0, stored: { created: 0, updated: 0, unchanged: 0, reopened: 0 }, screened: 0, failed: 0, watermark: null };

  constructor(
    private readonly db: Db,
    private readonly opts: DetectionServiceOptions = {},
  ) {
    this.latenessMs = opts.latenessMs ?? DEFAULT_LATENESS_MS;
    this.now = opts.now ?? (() => new Date());
    this.engine = this.newEngine();
  }

  private newEngine(): DetectionRunner {
    return (this.opts.engine ?? defaultEngine)({ latenessMs: this.latenessMs });
  }

  /** Queues committed events for the engine; returns at once. */
  observeEvents(events: readonly AccessEventInput[]): void {
    if (this.queue.length + events.length > (this.opts.maxQueued ?? 200_000)) {
      this.stats.dropped += events.length;
      return;
    }
    const horizon = this.now().getTime() + MAX_AHEAD_MS;
    for (const e of events) {
      if (e.ts > horizon) {
        this.stats.ahead++;
        continue;
      }
      this.queue.push(toEngineEvent(e));
    }
    this.lastArrival = this.now().getTime();
    if (this.warmed && !this.draining && this.queue.length) {
      this.draining = true;
      setImmediate(() => this.drain());
    }
  }

  /** Feeds queued events in chunks, yielding between them so requests are served. */
  private drain(): void {
    this.feed(this.queue.length > DRAIN_CHUNK ? this.queue.splice(0, DRAIN_CHUNK) : this.queue.splice(0));
    if (this.queue.length > 0) setImmediate(() => this.drain());
    else this.draining = false;
  }

  private feed(list: EngineEvent[]): void {
    if (!list.length) return;
    for (const e of list) if (e.ts > this.newest) this.newest = e.ts;
    this.stats.observed += list.length;
    this.engine.observe(list);
  }

  /** Everything queued, given to the engine now (ticks, tests). */
  flush(): void {
    if (this.warmed) this.feed(this.queue.splice(0));
  }

  /** Reads the rules again now (after a change on this console). */
  async reload(): Promise<StoredRules> {
    const rules = await loadRules(this.db, this.now());
    this.engine.setThresholds(rules.thresholds);
    this.engine.setAllowList(rules.allowEntries);
    this.rules = rules;
    this.rulesAt = this.now().getTime();
    return rules;
  }

  /**
   * Replays the newest stored events of the day before `before` (received before it: later
   * ones come live) in event-time order; detections found are written like live ones, and
   * continue the incidents an earlier process stored instead of duplicating them.
   */
  async warm(before: Date): Promise<number> {
    // a warm-up that failed half-way left part of the day in the engine: start over clean
    if (this.warmAttempted) {
      this.engine = this.newEngine();
      this.newest = Number.NEGATIVE_INFINITY;
      this.watermark = Number.NEGATIVE_INFINITY;
    }
    this.warmAttempted = true;
    await this.reload();
    let total = 0;
    for await (const page of readEvents(this.db, { from: new Date(before.getTime() - DAY_MS), to: new Date(before.getTime() + MAX_AHEAD_MS), receivedBefore: before, limit: this.opts.warmEvents ?? 500_000 })) {
      this.feed(page.events);
      total += page.events.length;
      // advance as the replay goes, so the engine's state stays bounded by its windows
      await this.advanceTo(this.newest - this.latenessMs);
      await new Promise((r) => setImmediate(r));
    }
    this.warmed = true;
    this.flush();
    return total;
  }

  get backtestEvents(): number | undefined {
    return this.opts.backtestEvents;
  }

  get isWarm(): boolean {
    return this.warmed;
  }

  /**
   * Moves event time on: the newest event time less the lateness (an event stamped ahead of the
   * clock counts as now); when nothing has arrived for a whole lateness, nothing older than
   * now less the lateness is still on its way, so time moves on to that.
   */
  async tick(): Promise<DetectionStats> {
    if (!this.rules || this.now().getTime() - this.rulesAt >= (this.opts.reloadEveryMs ?? 15_000)) await this.reload();
    this.flush();
    if (!this.warmed) return this.stats;
    const now = this.now().getTime();
    let w = Math.min(this.newest, now) - this.latenessMs;
    if (Number.isFinite(this.newest) && now - this.lastArrival >= this.latenessMs) w = Math.max(w, now - this.latenessMs);
    await this.advanceTo(w);
    return this.stats;
  }

  private async advanceTo(w: number): Promise<void> {
    if (!Number.isFinite(w) || w <= this.watermark) {
      if (this.pending.size) await this.write([]);
      return;
    }
    this.watermark = w;
    this.stats.watermark = w;
    await this.write(this.engine.advance(w));
  }

  private async write(found: Detection[]): Promise<void> {
    for (const d of found) this.pending.set(d.id, d);
    if (!this.pending.size) return;
    const rules = this.rules ?? (await this.reload());
    const now = this.now();
    const batch = [...this.pending.values()];
    this.pending.clear();
    let failure: unknown = null;
    for (const d of batch) {
      const s = screenDetection(d, rules);
      if (!('kept' in s)) {
        this.stats.screened++;
        continue;
      }
      try {
        this.stats.stored[await upsertDetection(this.db, s.kept, now)]++;
      } catch (e) {
        // kept for the next tick unless a newer version of it arrives first (bounded: the
        // database may be away for long, and the engine reports a grown incident again anyway)
        if (!this.pending.has(d.id) && this.pending.size < MAX_PENDING) this.pending.set(d.id, d);
        this.stats.failed++;
        failure ??= e;
      }
    }
    if (failure) log.error({ err: failure, waiting: this.pending.size }, 'detection could not write some detections; they are tried again next time');
  }
}
