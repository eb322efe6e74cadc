// API discovery inside the console process: the learner is fed the events this process
// commits (after the commit, off the request's path), warmed at start from the last day of
// stored events, and written to the endpoint table every few seconds per service that saw
// traffic. Ingest asks it which stored endpoint a request belongs to, so rollups group by
// learned template instead of the coarse route.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import type { SensitiveMatch } from '@/db/schema/access-events';
import { endpoints } from '@/db/schema/endpoints';
import type { AccessEventInput } from '@/server/ingest/event';
import { log } from '@/server/log';
import type { Observation } from './endpoint-stats';
import { EndpointRouter } from './endpoint-router';
import { DiscoveryLearner } from './learner';
import { persistService, statsKey } from './store';
import { StatsBaseline } from './stats-delta';

export interface DiscoveryOptions {
  /** observations waiting for the learner; beyond it new ones are dropped (learning is a sample anyway) */
  maxQueued?: number;
  /** how many stored events warm the learner at start */
  warmEvents?: number;
  now?: () => Date;
}

const DRAIN_CHUNK = 4000;

export class DiscoveryService {
  readonly learner = new DiscoveryLearner();
  private router = new EndpointRouter([]);
  private queue: Observation[] = [];
  private draining = false;
  private dirty = new Set<string>();
  private baseline = new StatsBaseline();
  private readonly maxQueued: number;
  private readonly now: () => Date;
  /** observations dropped because the learner lagged */
  dropped = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: DiscoveryOptions = {},
  ) {
    this.maxQueued = opts.maxQueued ?? 200_000;
    this.now = opts.now ?? (() => new Date());
  }

  /** Sets each event's route to its stored endpoint's template, where there is one. */
  routeEvents(events: AccessEventInput[]): void {
    if (this.router.size === 0) return;
    for (const e of events) {
      const hit = this.router.match(e.dstService, e.method, e.path);
      if (hit) e.route = hit.template;
    }
  }

  /** Queues committed events for the learner; returns at once. */
  observeEvents(events: AccessEventInput[]): void {
    if (this.queue.length + events.length > this.maxQueued) {
      this.dropped += events.length;
      return;
    }
    for (const e of events) this.queue.push(observationOf(e));
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => this.drain());
    }
  }

  /** Learns queued observations in chunks, yielding between them so requests are served. */
  private drain(): void {
    const chunk = this.queue.length > DRAIN_CHUNK ? this.queue.splice(0, DRAIN_CHUNK) : this.queue.splice(0);
    this.learnAll(chunk);
    if (this.queue.length > 0) setImmediate(() => this.drain());
    else this.draining = false;
  }

  /** Everything queued, learned now (tests, shutdown). */
  flush(): void {
    this.learnAll(this.queue.splice(0));
  }

  private learnAll(list: Observation[]): void {
    for (const o of list) {
      this.learner.observe(o);
      this.dirty.add(o.service);
    }
  }

  /**
   * Replays the newest stored events received before `before` (an earlier process learned
   * and counted them: their counters are not written again).
   */
  async warm(before: Date): Promise<number> {
    const limit = this.opts.warmEvents ?? 300_000;
    const since = new Date(before.getTime() - 24 * 3600_000);
    let cursor = before;
    let total = 0;
    while (total < limit) {
      const page = await rows<{ ts: Date | string; dst_service: string; src_service: string; method: string; path: string; query: string | null; status: number; sensitive: SensitiveMatch[] | null; sample: string | null }>(
        this.db,
        sql`select ts, dst_service, src_service, method, path, query, status, sensitive, sample from access_events
            where ts < ${cursor.toISOString()}::timestamptz and ts >= ${since.toISOString()}::timestamptz
              and received_at < ${before.toISOString()}::timestamptz
            order by ts desc limit ${Math.min(20_000, limit - total)}`,
      );
      if (page.length === 0) break;
      for (const r of page) {
        this.learner.observe({
          service: r.dst_service, method: r.method, path: r.query ? `${r.path}?${r.query}` : r.path, status: r.status,
          caller: r.src_service, ts: new Date(r.ts).getTime(), sensitive: r.sensitive, sample: r.sample,
        });
      }
      total += page.length;
      // (events sharing the page's last millisecond are skipped: warm-up is a sample)
      cursor = new Date(page[page.length - 1].ts);
      await new Promise((r) => setImmediate(r));
    }
    for (const service of this.learner.services()) {
      const list = this.learner.endpointsOf(service);
      this.baseline.commitAll(list.map((e) => [statsKey(service, e.method, e.template), e.stats]));
      this.dirty.add(service);
    }
    return total;
  }

  /** Writes the services that saw traffic since the last write, then reloads the router. */
  async persist(): Promise<{ services: number; created: number; removed: number; flagged: number; skipped: number }> {
    this.flush();
    const services = [...this.dirty];
    this.dirty.clear();
    let created = 0;
    let removed = 0;
    let flagged = 0;
    let skipped = 0;
    let failed: unknown = null;
    for (const service of services) {
      // one service that cannot be written must not keep the others from being written
      try {
        const r = await persistService(this.db, service, this.learner.endpointsOf(service), this.baseline, this.now());
        for (const [k, e] of r.written) this.baseline.commit(k, e.stats);
        created += r.created;
        removed += r.removed;
        flagged += r.flagged;
        skipped += r.skipped;
      } catch (e) {
        this.dirty.add(service);
        failed ??= e;
        log.error({ service, err: e }, 'discovery could not write a service; it is tried again next time');
      }
    }
    await this.reloadRouter();
    if (failed) throw failed;
    if (created || removed || flagged || skipped) log.info({ services: services.length, created, removed, flagged, skipped }, 'discovery updated the endpoint inventory');
    return { services: services.length, created, removed, flagged, skipped };
  }

  /** Rebuilds the ingest router from the endpoint table (every console, after any change). */
  async reloadRouter(): Promise<void> {
    const list = await this.db
      .select({ id: endpoints.id, service: endpoints.service, method: endpoints.method, template: endpoints.template })
      .from(endpoints);
    this.router = new EndpointRouter(list);
  }

  /** For tests and the review code: the endpoint a request reaches now. */
  match(service: string, method: string, path: string) {
    return this.router.match(service, method, path);
  }
}

function observationOf(e: AccessEventInput): Observation {
  return {
    service: e.dstService, method: e.method, path: e.query ? `${e.path}?${e.query}` : e.path, status: e.status,
    caller: e.srcService, ts: e.ts, sensitive: e.sensitive, sample: e.sample,
  };
}
