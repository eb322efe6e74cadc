import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { encodeBatches, type WireBatch } from './encode';
import type { GroundTruthRecord } from './ground-truth';
import type { TelemetrySender } from './sender';
import type { SimStream } from './stream';

export interface BackfillProgress {
  /** chunks sent so far, of `chunks` */
  chunk: number;
  chunks: number;
  /** the chunk just sent, epoch ms */
  from: number;
  to: number;
  eventsSent: number;
  elapsedMs: number;
}

export interface BackfillOptions {
  stream: SimStream;
  /** the window ends here (it starts at the stream's position) */
  to: number;
  /** null: generate only (dry run) */
  sender: TelemetrySender | null;
  /**
   * `newest-first` generates the whole window (in time order, so the events are the same),
   * then sends the most recent chunk first so that "last hour" views fill first. It holds
   * the encoded window in memory: meant for a few hours. `oldest-first` streams.
   */
  order: 'oldest-first' | 'newest-first';
  chunkMs: number;
  /** requests in flight */
  parallel: number;
  signal?: AbortSignal;
  onProgress?(p: BackfillProgress): void;
  /** attacks (and cohort days) that ended inside the window, as soon as they are known */
  onTruth?(entries: GroundTruthRecord[]): void;
}

export interface BackfillResult {
  generated: number;
  elapsedMs: number;
}

interface Chunk {
  from: number;
  to: number;
  batches: WireBatch[];
}

/** Generates a window from the stream and sends it: the CLI's `--backfill`, the demo's first start. */
export async function backfill(o: BackfillOptions): Promise<BackfillResult> {
  const started = performance.now();
  const { stream } = o;
  const topology = stream.world.topology;
  const chunks = Math.max(1, Math.ceil((o.to - stream.position) / o.chunkMs));
  let generated = 0;
  let sent = 0;
  const report = (chunk: Chunk, i: number) =>
    o.onProgress?.({ chunk: i + 1, chunks, from: chunk.from, to: chunk.to, eventsSent: o.sender?.stats.events ?? generated, elapsedMs: performance.now() - started });
  const next = async (): Promise<Chunk> => {
    const from = stream.position;
    const to = Math.min(o.to, from + o.chunkMs);
    const records = stream.advance(to);
    generated += records.length;
    const truth = stream.finishedTruth();
    if (truth.length) o.onTruth?.(truth);
    const chunk = { from, to, batches: o.sender ? encodeBatches(topology, records) : [] };
    await yieldToLoop(); // generation is CPU work: let the process breathe between chunks
    return chunk;
  };

  if (o.order === 'newest-first') {
    const all: Chunk[] = [];
    while (stream.position < o.to) {
      o.signal?.throwIfAborted();
      all.push(await next());
    }
    for (const chunk of all.reverse()) {
      o.signal?.throwIfAborted();
      await o.sender?.sendAll(chunk.batches, o.parallel);
      chunk.batches = [];
      report(chunk, sent++);
    }
  } else {
    // Generate the next chunk while the console stores the last one.
    let inFlight: Promise<void> = Promise.resolve();
    let previous: Chunk | null = null;
    while (stream.position < o.to) {
      o.signal?.throwIfAborted();
      const chunk = await next();
      await inFlight;
      if (previous) report(previous, sent++);
      inFlight = o.sender ? o.sender.sendAll(chunk.batches, o.parallel) : Promise.resolve();
      previous = chunk;
    }
    await inFlight;
    if (previous) report(previous, sent++);
  }
  return { generated, elapsedMs: performance.now() - started };
}
