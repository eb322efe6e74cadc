// Ingest that keeps running while bench:search measures: OTLP protobuf batches of "now"
// parsed by the real parser and stored through the real write queue (IngestWriter →
// insertEvents: the events, the minute rollups and the proxies' last-seen in one statement),
// at a steady rate, in this process.
import type { Db } from '@/db/client';
import { parseOtlp } from '@/server/ingest/otlp';
import { encodeOtlpLogsRequest } from '@/server/ingest/otlp-proto';
import { IngestWriter, WriteRefused } from '@/server/ingest/writer';
import { PartitionManager } from '@/server/maintenance/partitions';
import { MeshTraffic, otlpRequest } from '../lib/mesh-traffic';

const TICK_MS = 50;
const PROXIES = 8;

export interface SteadyIngest {
  /** events stored since start() */
  stored(): number;
  /** events stored per second since start() */
  rate(): number;
  /** stops sending and waits for what was sent to be stored */
  stop(): Promise<{ stored: number; rate: number; refused: number }>;
}

export async function startIngest(db: Db, lanes: number, eventsPerS: number): Promise<SteadyIngest> {
  const partitions = new PartitionManager(db);
  await partitions.createAhead(Date.now(), 1);
  const writer = new IngestWriter({ db, partitions, lanes, maxQueuedEvents: 50_000, maxGroupEvents: 5000 });
  const principal = { tokenId: 'pt_bench_search' };
  const run = Date.now().toString(36);
  const started = performance.now();
  let due = 0;
  let sent = 0;
  let stored = 0;
  let refused = 0;
  let batch = 0;
  let failure: unknown = null;
  const inflight = new Set<Promise<unknown>>();

  const tick = () => {
    due = Math.floor(((performance.now() - started) / 1000) * eventsPerS);
    // do not pile up behind a writer that cannot keep up: the rate it reaches is the figure
    if (writer.queuedEvents > Math.min(eventsPerS, 10_000)) return;
    const n = Math.min(due - sent, 2000);
    if (n <= 0) return;
    const proxy = batch % PROXIES;
    const traffic = new MeshTraffic(batch, Date.now(), 1000);
    const records = Array.from({ length: n }, (_, i) => traffic.record(`bsi-${run}-${batch}-${i}`));
    const body = encodeOtlpLogsRequest(otlpRequest(traffic.proxy(proxy), records));
    const parsed = parseOtlp(body, 'protobuf', { proxyId: `bench-${proxy}`, now: Date.now(), retentionDays: 90 });
    batch += 1;
    sent += n;
    const p = writer.submit(parsed.events, principal).then(
      (o) => { stored += o.stored; },
      (e: unknown) => { refused += n; if (!(e instanceof WriteRefused)) failure ??= e; },
    ).finally(() => inflight.delete(p));
    inflight.add(p);
  };
  const timer = setInterval(tick, TICK_MS);
  const elapsedS = () => (performance.now() - started) / 1000;
  return {
    stored: () => stored,
    rate: () => stored / elapsedS(),
    async stop() {
      clearInterval(timer);
      await Promise.all(inflight);
      await writer.close();
      if (failure) throw failure;
      return { stored, rate: stored / elapsedS(), refused };
    },
  };
}
