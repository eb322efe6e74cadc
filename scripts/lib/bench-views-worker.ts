// A bench:views generator thread: simulates its run of hours minute by minute and hands the
// main thread each hour's minute rollup rows as JSON batches.
import { parentPort, workerData } from 'node:worker_threads';
import { SimStream } from '@/simulator/stream';
import { World } from '@/simulator/world';
import { MinuteRollups } from './bench-views-rollup';

export interface WorkerJob {
  seed: number;
  rate: number;
  /** consecutive [from, to) spans within one UTC hour each, epoch ms */
  chunks: { from: number; to: number }[];
  batchRows: number;
}

/** One span's rows: per table, JSON arrays of at most batchRows objects with `m` = minute within the hour. */
export interface ChunkRows {
  type: 'chunk';
  from: number;
  hour: number;
  events: number;
  /** time spent generating and aggregating the span */
  generateMs: number;
  tables: { table: string; rows: number; batches: string[] }[];
}

/** A worker stops generating while this many of its spans wait to be inserted: memory stays bounded. */
const MAX_UNACKED = 2;
const MINUTE_MS = 60_000;
const HOUR_MS = 3600_000;

function batches(rows: string[], size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < rows.length; i += size) out.push(`[${rows.slice(i, i + size).join(',')}]`);
  return out;
}

async function run(job: WorkerJob): Promise<void> {
  const port = parentPort!;
  let unacked = 0;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    unacked -= 1;
    wake?.();
  });
  const world = new World({ seed: job.seed, rate: job.rate });
  const formats = world.topology.proxies.map((p) => p.format);
  const proxyIds = world.topology.proxies.map((p) => p.id);
  // One stream for the whole run: a new stream re-generates the sessions of the 45 minutes before its start.
  const stream = new SimStream(world, job.chunks[0].from);
  const rollups = new MinuteRollups();
  for (const chunk of job.chunks) {
    const hour = Math.floor(chunk.from / HOUR_MS) * HOUR_MS;
    const out: Record<string, string[]> = { proxy_minute_stats: [] };
    let events = 0;
    const started = performance.now();
    // Advancing a minute at a time keeps records short-lived: whole hours in memory spend most time in GC.
    for (let t = chunk.from; t < chunk.to; t += MINUTE_MS) {
      const to = Math.min(t + MINUTE_MS, chunk.to);
      const perProxy = new Map<number, number>();
      for (const r of stream.advance(to)) {
        rollups.add(r, formats[r.proxy]);
        perProxy.set(r.proxy, (perProxy.get(r.proxy) ?? 0) + 1);
        events += 1;
      }
      const minute = Math.floor((t - hour) / MINUTE_MS);
      rollups.drain(minute, out);
      for (const [p, n] of perProxy) out.proxy_minute_stats.push(JSON.stringify({ m: minute, proxy_id: proxyIds[p], events: n }));
    }
    while (unacked >= MAX_UNACKED) await new Promise<void>((resolve) => (wake = resolve));
    const message: ChunkRows = {
      type: 'chunk', from: chunk.from, hour, events, generateMs: performance.now() - started,
      tables: Object.entries(out).map(([table, rows]) => ({ table, rows: rows.length, batches: batches(rows, job.batchRows) })),
    };
    unacked += 1;
    port.postMessage(message);
  }
  while (unacked > 0) await new Promise<void>((resolve) => (wake = resolve));
  port.close();
}

void run(workerData as WorkerJob);
