import { relativeRate } from './rate-curve';
import { backfill } from './backfill';
import type { GroundTruthRecord } from './ground-truth';
import { appendGroundTruth } from './ground-truth-file';
import { LiveLoop } from './live-loop';
import { TelemetrySender } from './sender';
import { SimStream } from './stream';
import { World } from './world';

/** A structured logger (the console passes its own): fields first, then the message. */
export interface SimulatorLog {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

/**
 * What the simulator needs from the console it feeds, and all it gets: proxy tokens for its
 * clusters, whether recent history exists, and a logger. Events go through the console's
 * public HTTP routes like any fleet's.
 */
export interface SimulatorHost {
  /** a fresh proxy token per cluster, as an admin would create them */
  issueTokens(clusters: readonly string[]): Promise<Map<string, string>>;
  /** whether the console holds access events since `from` (then no backfill is needed) */
  hasEventsSince(from: Date): Promise<boolean>;
  log: SimulatorLog;
}

export interface EmbeddedSimulatorOptions {
  host: SimulatorHost;
  /** the console's own base URL: events take the same HTTP routes as a real fleet's */
  target: string;
  rate: number;
  seed: number;
  /** null: keep no ground truth (an in-memory database) */
  groundTruthFile: string | null;
  /** history sent before going live when the database has none that recent, at most this long… */
  backfillMs: number;
  /** …and at most about this many benign events (what the database takes in the time allowed) */
  backfillEvents: number;
  now?: () => number;
}

export interface EmbeddedSimulator {
  /** settles when the first-start backfill is over (or was not needed) */
  readonly backfilled: Promise<void>;
  stop(): Promise<void>;
}

const BACKFILL_CHUNK_MS = 10 * 60_000;

/** How far back a backfill of about `budget` events at `rate` (scaled by the time of day) reaches, capped at `maxMs`. */
export function backfillSpan(rate: number, end: number, maxMs: number, budget: number): number {
  let events = 0;
  let span = 0;
  while (span < maxMs) {
    const minute = rate * relativeRate(end - span - 30_000) * 60;
    if (events + minute > budget) break;
    events += minute;
    span += 60_000;
  }
  return span;
}

/**
 * The demo fleet inside the console process (`npm start`): proxies with their own tokens
 * posting to the console's ingest routes. When the last `backfillMs` hold no events (a first
 * start) it sends that history first, newest chunks first so the default views fill soonest,
 * then keeps going in real time.
 */
export function startEmbeddedSimulator(o: EmbeddedSimulatorOptions): EmbeddedSimulator {
  const now = o.now ?? Date.now;
  const { host } = o;
  const log = host.log;
  const abort = new AbortController();
  const world = new World({ seed: o.seed, rate: o.rate });
  const onTruth = (entries: GroundTruthRecord[]) => {
    if (o.groundTruthFile) appendGroundTruth(o.groundTruthFile, entries);
  };
  let sender: TelemetrySender | null = null;
  let live: LiveLoop | null = null;
  let stream: SimStream | null = null;

  const run = async () => {
    const tokens = await host.issueTokens(world.topology.clusters);
    sender = new TelemetrySender({
      target: o.target,
      tokenFor: (cluster) => tokens.get(cluster)!,
      signal: abort.signal,
      maxNetworkRetries: 8,
      warn: (message) => log.warn({ message }, 'simulator: the console refused a request'),
    });
    const start = now();
    const from = start - backfillSpan(o.rate, start, o.backfillMs, o.backfillEvents);
    const first = from < start && !(await host.hasEventsSince(new Date(from)));
    stream = new SimStream(world, first ? from : start);
    log.info({ seed: o.seed, rate: o.rate, services: world.topology.services.length, proxies: world.topology.proxies.length, backfill_h: first ? Math.round((start - from) / 360_000) / 10 : 0 }, 'simulator starting');
    // Proxies announce themselves before they report anything, so the fleet page lists them at once.
    await Promise.all(world.topology.proxies.map((p) => sender!.heartbeat(p)));
    if (first) {
      const result = await backfill({
        stream, to: start, sender, order: 'newest-first', chunkMs: BACKFILL_CHUNK_MS, parallel: 2, signal: abort.signal, onTruth,
        onProgress: (p) => log.info({ chunk: p.chunk, chunks: p.chunks, events: p.eventsSent, elapsed_s: Math.round(p.elapsedMs / 100) / 10 }, 'simulator backfill'),
      });
      const seconds = result.elapsedMs / 1000;
      log.info({ events: result.generated, elapsed_s: Math.round(seconds * 10) / 10, events_per_s: Math.round(result.generated / seconds) }, 'simulator backfill done');
    }
  };

  const backfilled = run().then(
    () => {
      if (abort.signal.aborted || !stream || !sender) return;
      live = new LiveLoop({ stream, sender, onTruth, onError: (e) => log.error({ err: e.message }, 'simulator: sending failed') });
      live.start();
      log.info({ rate: o.rate }, 'simulator live');
    },
    (e: Error) => {
      if (!abort.signal.aborted) log.error({ err: e.message }, 'simulator stopped');
    },
  );

  return {
    backfilled,
    async stop() {
      // The loop is told first, so the aborted sends of its last tick do not count as failures.
      const looping = (live as LiveLoop | null)?.stop();
      abort.abort();
      await backfilled;
      await looping;
      // Attacks under way are recorded as far as they got.
      const s = stream as SimStream | null;
      if (s) onTruth(s.truth.rest());
      (sender as TelemetrySender | null)?.close();
    },
  };
}
