import { Delivery } from './delivery';
import { otlpRequest } from './encode';
import type { GroundTruthRecord } from './ground-truth';
import type { SimRecord } from './record';
import { SimStream } from './stream';
import type { World } from './world';

/** One line waiting for its arrival time. */
interface Line {
  arrival: number;
  proxy: number;
  batch: number;
  text: string;
  /** first and last event start in it, for the caller's lateness check */
  first: number;
  last: number;
  events: number;
}

const before = (a: Line, b: Line) => a.arrival - b.arrival || a.proxy - b.proxy || a.batch - b.batch;

/** A binary min-heap of lines by arrival (then proxy, then batch: a total order, so the output is deterministic). */
class LineHeap {
  private items: Line[] = [];

  get size(): number {
    return this.items.length;
  }

  push(line: Line) {
    const a = this.items;
    a.push(line);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (before(a[parent], a[i]) <= 0) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  peek(): Line | undefined {
    return this.items[0];
  }

  pop(): Line {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m]) < 0) m = l;
        if (r < a.length && before(a[r], a[m]) < 0) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

export interface OtlpFileOptions {
  world: World;
  from: number;
  to: number;
  /** takes a chunk of lines (each ending in a newline); awaited, so a slow sink holds generation back */
  write(chunk: string): void | Promise<void>;
  /** ground-truth entries as attacks and cohort days end, and the rest at the end */
  onTruth?(entries: GroundTruthRecord[]): void;
  /** generation step, ms (default one minute) */
  stepMs?: number;
  onProgress?(p: { to: number; events: number; lines: number }): void;
}

export interface OtlpFileResult {
  events: number;
  lines: number;
  /** the largest amount by which a line's first event is older than an earlier line's last one */
  maxOutOfOrderMs: number;
}

const CHUNK_CHARS = 1 << 20;

/**
 * The window as a fleet's proxies would POST it to /v1/logs: one OTLP/HTTP JSON
 * ExportLogsServiceRequest per line, one proxy's batch of a few seconds each, in the order the
 * batches arrive (delivery.ts): proxies' lines interleave, up to a few minutes out of order.
 * Streams: it holds one step of events and the lines still in flight, never the whole window.
 */
export async function writeOtlpLines(o: OtlpFileOptions): Promise<OtlpFileResult> {
  const { world } = o;
  const topology = world.topology;
  const stream = new SimStream(world, o.from);
  const delivery = new Delivery(world.options.seed);
  const open = new Map<number, { batch: number; records: SimRecord[] }>();
  const heap = new LineHeap();
  const result: OtlpFileResult = { events: 0, lines: 0, maxOutOfOrderMs: 0 };
  let newestWritten = -Infinity;
  let buffer = '';

  const close = (proxyIndex: number) => {
    const b = open.get(proxyIndex)!;
    open.delete(proxyIndex);
    const proxy = topology.proxies[proxyIndex];
    heap.push({
      arrival: delivery.arrival(proxy, b.batch),
      proxy: proxyIndex,
      batch: b.batch,
      text: JSON.stringify(otlpRequest(topology, b.records, false)),
      first: b.records[0].ts,
      last: b.records[b.records.length - 1].ts,
      events: b.records.length,
    });
  };
  const drain = async (until: number) => {
    while (heap.size > 0 && heap.peek()!.arrival < until) {
      const line = heap.pop();
      result.maxOutOfOrderMs = Math.max(result.maxOutOfOrderMs, newestWritten - line.first);
      newestWritten = Math.max(newestWritten, line.last);
      buffer += `${line.text}\n`;
      result.lines += 1;
      if (buffer.length >= CHUNK_CHARS) {
        await o.write(buffer);
        buffer = '';
      }
    }
  };

  const step = o.stepMs ?? 60_000;
  while (stream.position < o.to) {
    const to = Math.min(o.to, stream.position + step);
    const records = stream.advance(to);
    result.events += records.length;
    for (const rec of records) {
      const proxy = topology.proxies[rec.proxy];
      const batch = delivery.batchOf(proxy, rec.ts);
      const current = open.get(rec.proxy);
      if (current && current.batch !== batch) close(rec.proxy);
      const b = open.get(rec.proxy);
      if (b) b.records.push(rec);
      else open.set(rec.proxy, { batch, records: [rec] });
    }
    // Batches whose window is over are flushed; every batch still open flushes at `to` or later.
    for (const [index, b] of [...open]) if (delivery.flushAt(topology.proxies[index], b.batch) <= to) close(index);
    await drain(to);
    const truth = stream.finishedTruth();
    if (truth.length) o.onTruth?.(truth);
    o.onProgress?.({ to, events: result.events, lines: result.lines });
  }
  for (const index of [...open.keys()]) close(index);
  await drain(Infinity);
  if (buffer) await o.write(buffer);
  const rest = stream.truth.rest();
  if (rest.length) o.onTruth?.(rest);
  return result;
}
