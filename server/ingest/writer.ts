import type { Db } from '@/db/client';
import { log } from '@/server/log';
import { sqlState } from '@/server/ops/error-summary';
import type { PartitionManager } from '@/server/maintenance/partitions';
import type { Metrics } from '@/server/ops/metrics';
import type { AccessEventInput } from './event';
import { insertEvents, type InsertJob } from './insert';
import type { ProxyPrincipal } from '@/server/fleet/tokens';

export interface WriteOutcome {
  stored: number;
  duplicates: number;
}

/** Why a batch could not be written; the route handler turns `code` into an HTTP status. */
export class WriteRefused extends Error {
  constructor(
    readonly code: 'overloaded' | 'unavailable' | 'invalid',
    message: string,
    readonly retryAfterS = 1,
  ) {
    super(message);
  }
}

interface Pending extends InsertJob {
  resolve(o: WriteOutcome): void;
  reject(e: WriteRefused): void;
}

export interface WriterOptions {
  db: Db;
  partitions: PartitionManager;
  /** statements in flight at once (database connections in use); 1 for PGlite */
  lanes: number;
  /** the bound on events accepted but not yet committed: beyond it senders get 429 */
  maxQueuedEvents: number;
  /** batches waiting in a lane are merged into one statement up to this many events */
  maxGroupEvents: number;
  metrics?: Pick<Metrics, 'dbError'>;
  now?: () => Date;
}

// SQLSTATE classes 22 (data exception) and 23 (integrity): the data, not the database, is at fault.
const isDataError = (e: unknown) => /^2[23]/.test(sqlState(e) ?? '');

/**
 * The bounded write queue between ingest requests and the database. A request's promise
 * settles only after its events are committed, so a 200 always means "stored".
 *
 * One queue, at most `lanes` statements in flight: a statement that finishes takes every
 * batch that arrived meanwhile (up to maxGroupEvents) into the next. Bigger statements are
 * cheaper per event (one plan and commit, and the minute rollup rows their events share are
 * written once), and fewer statements in flight wait less on each other's rollup row locks:
 * on bench:ingest (4 senders, 2 cores) 2 lanes cost PostgreSQL about 77 µs per event where 4
 * per-proxy lanes cost 82. Statements lock rows in key order, so concurrent ones never deadlock.
 */
export class IngestWriter {
  private queue: Pending[] = [];
  private running = 0;
  private queued = 0;
  private idle: Array<() => void> = [];
  private closed = false;

  constructor(private readonly opts: WriterOptions) {}

  get queuedEvents(): number {
    return this.queued;
  }

  submit(events: AccessEventInput[], principal: Pick<ProxyPrincipal, 'tokenId'>): Promise<WriteOutcome> {
    if (!events.length) return Promise.resolve({ stored: 0, duplicates: 0 });
    if (this.closed) return Promise.reject(new WriteRefused('unavailable', 'the console is shutting down', 5));
    if (this.queued > 0 && this.queued + events.length > this.opts.maxQueuedEvents) {
      return Promise.reject(new WriteRefused('overloaded', 'ingest queue is full, retry later', 1));
    }
    this.queued += events.length;
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.queue.push({ events, principal, resolve, reject });
      this.start();
    });
  }

  /** Resolves when everything queued so far is committed (or refused). */
  drain(): Promise<void> {
    if (this.queued === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  /** Refuses new batches and waits for the queued ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  /** Starts statements for the waiting batches while lanes are free. */
  private start() {
    while (this.running < this.opts.lanes && this.queue.length) {
      const group: Pending[] = [];
      let n = 0;
      while (this.queue.length && (group.length === 0 || n + this.queue[0].events.length <= this.opts.maxGroupEvents)) {
        const job = this.queue.shift()!;
        group.push(job);
        n += job.events.length;
      }
      this.running += 1;
      void this.write(group).finally(() => {
        this.running -= 1;
        this.start();
      });
    }
  }

  /** Frees the group's room in the queue before its senders hear back. */
  private release(group: Pending[]) {
    for (const job of group) this.queued -= job.events.length;
    if (this.queued === 0) this.idle.splice(0).forEach((r) => r());
  }

  private async write(group: Pending[]): Promise<void> {
    try {
      await this.opts.partitions.ensureFor(group.flatMap((j) => j.events.map((e) => e.ts)));
      const stored = await insertEvents(this.opts.db, group, this.now());
      this.release(group);
      if (group.length === 1) {
        group[0].resolve({ stored, duplicates: group[0].events.length - stored });
        return;
      }
      // Merged batches share one count: attribute duplicates in proportion. Exact per batch
      // would need RETURNING request ids; the sum over the group is exact.
      const total = group.reduce((s, j) => s + j.events.length, 0);
      let left = stored;
      group.forEach((job, i) => {
        const share = i === group.length - 1 ? left : Math.min(left, Math.round((stored * job.events.length) / total));
        left -= share;
        job.resolve({ stored: share, duplicates: job.events.length - share });
      });
    } catch (e) {
      this.opts.metrics?.dbError('ingest_insert');
      if (isDataError(e) && group.length > 1) {
        // One bad batch must not sink the others merged with it.
        for (const job of group) await this.write([job]);
        return;
      }
      // The sender hears the SQLSTATE, never the database's message: that quotes values, and
      // the statement's parameters are other proxies' events.
      const refused = isDataError(e)
        ? new WriteRefused('invalid', `the database refused this batch (SQLSTATE ${sqlState(e)}); check its field values`)
        : new WriteRefused('unavailable', 'the database is unavailable, retry later', 5);
      log.error({ err: e, code: refused.code, batches: group.length }, 'ingest write failed');
      this.release(group);
      group.forEach((j) => j.reject(refused));
    }
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }
}
