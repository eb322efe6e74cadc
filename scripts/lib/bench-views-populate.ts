// Fills the bench:views database with the rollups of `hours` of simulated history ending
// now: generator threads aggregate the events into minute rows, this thread inserts them
// hour by hour and compacts each hour into the hour rollups as soon as it is complete.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { proxies, proxyTokens } from '@/db/schema';
import { compactRollups } from '@/server/rollups/compact';
import { relativeRate } from '@/simulator/rate-curve';
import { World } from '@/simulator/world';
import { dropSecondaryIndexes, rebuildIndexes } from './bench-views-indexes';
import { insertBatch, POPULATED_TABLES } from './bench-views-insert';
import { clearMarker, writeMarker, type History, type Populated } from './bench-views-marker';
import type { ChunkRows, WorkerJob } from './bench-views-worker';

// A worker started with `--import tsx` in execArgv does not get tsx's loader (Node 20), so it registers it itself.
const WORKER_BOOT = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./bench-views-worker.ts', import.meta.url).href)}); });`;
const MINUTE_MS = 60_000;
const HOUR_MS = 3600_000;
const BATCH_ROWS = 5000;

type Span = { from: number; to: number };

/** [start, end) cut at UTC hour boundaries: each piece fills exactly one hour rollup bucket. */
function hourSpans(start: number, end: number): Span[] {
  const spans: Span[] = [];
  for (let from = start; from < end; ) {
    const to = Math.min(end, Math.floor(from / HOUR_MS) * HOUR_MS + HOUR_MS);
    spans.push({ from, to });
    from = to;
  }
  return spans;
}

/** Consecutive runs of spans with about equal simulated traffic (the day curve), one per thread. */
function splitByLoad(spans: Span[], parts: number): Span[][] {
  const weight = (s: Span) => relativeRate((s.from + s.to) / 2) * (s.to - s.from);
  const total = spans.reduce((a, s) => a + weight(s), 0);
  const out: Span[][] = [[]];
  let acc = 0;
  for (const s of spans) {
    const w = weight(s);
    // a new run starts where this span's midpoint passes the next run's share
    if (out.length < parts && out[out.length - 1].length && acc + w / 2 > (total * out.length) / parts) out.push([]);
    out[out.length - 1].push(s);
    acc += w;
  }
  return out;
}

async function emptyTables(db: Db): Promise<void> {
  await clearMarker(db);
  await db.execute(sql.raw(`truncate ${POPULATED_TABLES.join(', ')}`));
  await dropSecondaryIndexes(db, POPULATED_TABLES);
}

/** The simulated fleet's proxies, reporting up to the end of the history (fleet health reads them). */
async function insertProxies(db: Db, world: World, start: number, end: number): Promise<void> {
  await db.insert(proxyTokens).values({ id: 'pt_bench', name: 'bench:views fleet', prefix: 'mwp_bench', tokenHash: 'bench-views-not-a-real-token' });
  await db.insert(proxies).values(world.topology.proxies.map((p) => ({
    id: p.id, tokenId: 'pt_bench', service: p.service.name, cluster: p.service.cluster, node: p.node, version: p.version,
    intervalS: p.heartbeatS, firstSeenAt: new Date(start), lastSeenAt: new Date(end), lastHeartbeatAt: new Date(end), lastEventAt: new Date(end),
  })));
}

const log = (msg: string) => process.stderr.write(`bench:views ${msg}\n`);

/** Generates, inserts and compacts the history; returns what the marker records. */
export async function populate(db: Db, history: History, threads: number): Promise<Populated> {
  const started = performance.now();
  const end = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  const start = end - history.hours * HOUR_MS;
  await emptyTables(db);
  const world = new World({ seed: history.seed, rate: history.rate });
  await insertProxies(db, world, start, end);

  const spans = hourSpans(start, end);
  const runs = splitByLoad(spans, Math.max(1, Math.min(threads, availableParallelism(), spans.length)));
  log(`populating ${history.hours} h at ${history.rate} events/s (seed ${history.seed}) with ${runs.length} generator threads`);
  let events = 0;
  let rows = 0;
  let done = 0;
  // One chunk is inserted at a time: the generator threads already keep the cores busy.
  let queue = Promise.resolve();
  const store = async (chunk: ChunkRows) => {
    const hour = new Date(chunk.hour);
    const t0 = performance.now();
    for (const t of chunk.tables) for (const json of t.batches) await insertBatch(db, t.table, json, hour);
    const t1 = performance.now();
    await compactRollups(db, end, { span: { from: hour, to: new Date(chunk.hour + HOUR_MS) } });
    const t2 = performance.now();
    events += chunk.events;
    rows += chunk.tables.reduce((a, t) => a + t.rows, 0);
    done += 1;
    const s = (performance.now() - started) / 1000;
    log(`hour ${done}/${spans.length} (${hour.toISOString().slice(0, 13)}h): ${fmt(events)} events, ${fmt(rows)} minute rows, ${s.toFixed(0)} s, ${fmt(events / s)} events/s `
      + `(this hour: generated in ${sec(chunk.generateMs)}, inserted in ${sec(t1 - t0)}, compacted in ${sec(t2 - t1)})`);
  };
  await Promise.all(runs.map((chunks) => new Promise<void>((resolve, reject) => {
    const job: WorkerJob = { seed: history.seed, rate: history.rate, chunks, batchRows: BATCH_ROWS };
    const worker = new Worker(WORKER_BOOT, {
      eval: true,
      workerData: job,
      // A larger young generation: the simulator allocates many short-lived objects (about 1.5× faster).
      resourceLimits: { maxYoungGenerationSizeMb: 192 },
    });
    worker.on('message', (chunk: ChunkRows) => {
      queue = queue.then(() => store(chunk)).then(() => worker.postMessage('ack'), (e: unknown) => {
        reject(e);
        void worker.terminate();
      });
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? queue.then(resolve, reject) : reject(new Error(`a generator thread exited with ${code}`))));
  })));
  const indexing = performance.now();
  await rebuildIndexes(db);
  log(`built the secondary indexes in ${sec(performance.now() - indexing)}`);
  await db.execute(sql.raw(`analyze ${POPULATED_TABLES.join(', ')}`));
  const populated: Populated = { ...history, endsAt: new Date(end), events, populateMs: Math.round(performance.now() - started) };
  await writeMarker(db, populated);
  log(`populated ${fmt(events)} events as ${fmt(rows)} minute rows in ${(populated.populateMs / 1000).toFixed(0)} s`);
  return populated;
}

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
