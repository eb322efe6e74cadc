import { encodeBatches } from './encode';
import type { GroundTruthRecord } from './ground-truth';
import { FatalSendError, type TelemetrySender } from './sender';
import type { SimStream } from './stream';

export interface LiveLoopOptions {
  stream: SimStream;
  sender: TelemetrySender;
  /** how often events are shipped (a collector's batch timeout) */
  tickMs?: number;
  parallel?: number;
  now?: () => number;
  onTruth?(entries: GroundTruthRecord[]): void;
  onError?(e: Error): void;
}

/**
 * Real time: every tick, the events whose time has come go out, and each proxy sends its
 * heartbeat when its interval is up. Ticks never overlap: a slow console delays the next one,
 * and the stream catches up on the next advance.
 */
export class LiveLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /** events taken from the stream so far */
  generated = 0;
  private readonly nextHeartbeat: number[];

  constructor(private readonly o: LiveLoopOptions) {
    const now = this.now();
    // Spread the first heartbeats over a few seconds, as proxies that started at different times would.
    this.nextHeartbeat = o.stream.world.topology.proxies.map((p) => now + ((p.index * 397) % 5000));
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  start() {
    this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then(
        () => this.schedule(this.o.tickMs ?? 2000),
        (e: Error) => {
          if (this.stopped) return;
          this.o.onError?.(e);
          if (!(e instanceof FatalSendError)) this.schedule(this.o.tickMs ?? 2000);
        },
      );
    }, delay);
  }

  private async tick() {
    const { stream, sender } = this.o;
    const now = this.now();
    const records = stream.advance(now);
    this.generated += records.length;
    const truth = stream.finishedTruth();
    if (truth.length) this.o.onTruth?.(truth);
    const proxies = stream.world.topology.proxies;
    const due = proxies.filter((p) => this.nextHeartbeat[p.index] <= now);
    for (const p of due) this.nextHeartbeat[p.index] = now + p.heartbeatS * 1000;
    await Promise.all([
      records.length ? sender.sendAll(encodeBatches(stream.world.topology, records), this.o.parallel ?? 2) : null,
      ...due.map((p) => sender.heartbeat(p)),
    ]);
  }

  /** Stops after the tick under way. */
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running.catch(() => undefined);
  }
}
