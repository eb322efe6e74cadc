// `npm run bench:ingest -- [--events N] [--batch N] [--clients N] [--gzip] [--seed N] [--cpu-prof DIR]`
//
// Starts a real console (PGlite in a temp folder, or a fresh PostgreSQL database when
// DATABASE_URL is set), sends pre-encoded OTLP/HTTP protobuf batches from concurrent clients
// (one proxy each) to POST /v1/logs, then checks that the database holds exactly what was sent.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { parseOtlp } from '@/server/ingest/otlp';
import { encodeOtlpLogsRequest } from '@/server/ingest/otlp-proto';
import { createProxyToken, startConsole, type ConsoleProcess } from './lib/console-process';
import { keepAliveAgent, post } from '@/simulator/http-post';
import { MeshTraffic, otlpRequest } from './lib/mesh-traffic';
import { cpuMs } from './lib/proc-cpu';
import { createTempStore } from './lib/temp-store';

interface Options {
  events: number;
  batch: number;
  clients: number;
  gzip: boolean;
  seed: number;
  /** a folder for the console's V8 CPU profile (written when it exits) */
  cpuProf?: string;
}

function options(argv: string[], engine: 'pglite' | 'postgres'): Options {
  const o: Options = { events: engine === 'postgres' ? 200_000 : 50_000, batch: 500, clients: 4, gzip: false, seed: 42 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--gzip') {
      o.gzip = true;
      continue;
    }
    if (flag === '--cpu-prof') {
      o.cpuProf = path.resolve(inline ?? argv[++i]);
      continue;
    }
    const key = flag.replace(/^--/, '') as keyof Options;
    const value = Number(inline ?? argv[++i]);
    if (!['events', 'batch', 'clients', 'seed'].includes(key) || !Number.isInteger(value) || value < 1) {
      throw new Error(`bad argument ${argv[i]}: use --events N --batch N --clients N --seed N --gzip --cpu-prof DIR`);
    }
    (o as unknown as Record<string, number>)[key] = value;
  }
  return o;
}

interface Batch {
  client: number;
  events: number;
  protobuf: Uint8Array;
  /** what goes on the wire: the protobuf, or its gzip */
  body: Uint8Array;
}

/** Every batch encoded (and gzipped) up front, so the client's encoding cost is not measured. */
function buildBatches(o: Options): Batch[] {
  const traffic = new MeshTraffic(o.seed);
  const run = Date.now().toString(36);
  const batches: Batch[] = [];
  for (let b = 0, left = o.events; left > 0; b++, left -= o.batch) {
    const client = b % o.clients;
    const n = Math.min(o.batch, left);
    const records = Array.from({ length: n }, (_, i) => traffic.record(`${run}-${b}-${i}`));
    const protobuf = encodeOtlpLogsRequest(otlpRequest(traffic.proxy(client), records));
    batches.push({ client, events: n, protobuf, body: o.gzip ? gzipSync(protobuf, { level: 1 }) : protobuf });
  }
  return batches;
}

/** The server-side parse alone, in this process: the ceiling for the whole pipeline. */
function parseOnlyEventsPerSecond(batches: Batch[]): number {
  const defaults = { proxyId: 'bench', now: Date.now(), retentionDays: 90 };
  for (const b of batches.slice(0, 5)) parseOtlp(b.protobuf, 'protobuf', defaults); // warm up the JIT
  const sample = batches.slice(0, Math.max(1, Math.ceil(batches.length / 2)));
  let events = 0;
  const started = performance.now();
  for (const b of sample) events += parseOtlp(b.protobuf, 'protobuf', defaults).events.length;
  return events / ((performance.now() - started) / 1000);
}

interface SendStats {
  latenciesMs: number[];
  retries: number;
  wallMs: number;
}

/** /metrics needs a bearer token (README "Operating it"): this run's own. */
const METRICS_TOKEN = randomBytes(24).toString('base64url');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(server: ConsoleProcess, token: string, batches: Batch[], o: Options): Promise<SendStats> {
  const agent = keepAliveAgent(o.clients);
  const url = `${server.url}/v1/logs`;
  const headers: Record<string, string> = {
    'content-type': 'application/x-protobuf',
    authorization: `Bearer ${token}`,
    ...(o.gzip ? { 'content-encoding': 'gzip' } : {}),
  };
  // Loads the route before timing starts: an empty request stores nothing and answers 200.
  const warm = await post(url, encodeOtlpLogsRequest({ resourceLogs: [] }), { ...headers, 'content-encoding': 'identity' }, agent);
  if (warm.status !== 200) throw new Error(`warm-up request answered ${warm.status}: ${warm.body.toString()}`);

  const stats: SendStats = { latenciesMs: [], retries: 0, wallMs: 0 };
  const client = async (c: number) => {
    for (const batch of batches.filter((b) => b.client === c)) {
      const started = performance.now();
      for (;;) {
        const res = await post(url, batch.body, headers, agent);
        if (res.status === 200) break;
        if (res.status !== 429 && res.status !== 503) {
          throw new Error(`batch answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
        }
        stats.retries += 1;
        await sleep(1000 * Number(res.headers['retry-after'] ?? 1));
      }
      stats.latenciesMs.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: o.clients }, (_, c) => client(c)));
  stats.wallMs = performance.now() - started;
  agent.destroy();
  return stats;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Events stored according to the server's own counter (PGlite: the database is the server's alone). */
async function storedByMetrics(server: ConsoleProcess): Promise<{ stored: number; duplicates: number }> {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
  const text = await res.text();
  const sum = (result: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith('meshward_ingest_events_total{') && l.includes(`result="${result}"`))
      .reduce((s, l) => s + Number(l.split(' ').pop()), 0);
  return { stored: sum('stored'), duplicates: sum('duplicate') };
}

/** The PostgreSQL backends serving this database (the console's pool). */
async function backendPids(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return rows.map((r) => Number(r.pid));
  } finally {
    await client.end();
  }
}

/** Exactly `expected` events stored, none twice: counted in PostgreSQL, or by the console's counters for PGlite. */
async function holdsExactly(server: ConsoleProcess, databaseUrl: string | undefined, expected: number, log: (s: string) => void) {
  if (!databaseUrl) {
    const { stored, duplicates } = await storedByMetrics(server);
    log(`server stored ${stored} events (${duplicates} duplicates), expected ${expected}`);
    if (stored === expected && duplicates === 0) return true;
  } else {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client
      .query('select count(*)::int as stored, count(distinct (proxy_id, request_id))::int as distinct from access_events')
      .finally(() => client.end());
    log(`database holds ${rows[0].stored} events (${rows[0].distinct} distinct), expected ${expected}`);
    if (rows[0].stored === expected && rows[0].distinct === expected) return true;
  }
  log('FAIL: events are missing or duplicated');
  return false;
}

async function main() {
  const engine = process.env.DATABASE_URL ? ('postgres' as const) : ('pglite' as const);
  const o = options(process.argv.slice(2), engine);
  const log = (s: string) => process.stderr.write(`${s}\n`);

  let started = performance.now();
  const batches = buildBatches(o);
  const protobufBytes = batches.reduce((s, b) => s + b.protobuf.byteLength, 0);
  const wireBytes = batches.reduce((s, b) => s + b.body.byteLength, 0);
  log(`built ${batches.length} batches of ≤${o.batch} events in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
    `${(protobufBytes / 1e6).toFixed(1)} MB protobuf (${Math.round(protobufBytes / o.events)} B/event)` +
    (o.gzip ? `, ${(wireBytes / 1e6).toFixed(1)} MB gzipped` : ''));
  const parseOnly = parseOnlyEventsPerSecond(batches);
  log(`parse only (in process, no HTTP, no database): ${Math.round(parseOnly)} events/s`);

  const { store, remove } = await createTempStore(engine, 'meshward_bench', process.env.DATABASE_URL);
  let server: ConsoleProcess | undefined;
  let failed = false;
  try {
    const token = await createProxyToken(store, 'bench');
    started = performance.now();
    server = await startConsole({ store, env: { MESHWARD_METRICS_TOKEN: METRICS_TOKEN }, nodeArgs: o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProf}`] : [] });
    log(`console (${engine}) ready in ${((performance.now() - started) / 1000).toFixed(1)} s at ${server.url}`);

    const consolePid = server.child.pid!;
    const cpuBefore = cpuMs([consolePid]);
    const stats = await send(server, token, batches, o);
    const consoleCpuMs = cpuMs([consolePid]) - cpuBefore;
    const eventsPerS = o.events / (stats.wallMs / 1000);
    const sorted = stats.latenciesMs.sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    log(`sent ${o.events} events in ${batches.length} batches from ${o.clients} clients${o.gzip ? ' (gzip)' : ''}: ` +
      `${(stats.wallMs / 1000).toFixed(2)} s, ${Math.round(eventsPerS)} events/s, ` +
      `batch latency p50 ${Math.round(p50)} ms p99 ${Math.round(p99)} ms, ${stats.retries} retries`);
    // Where the CPU went (robust on a shared machine, where wall time is not).
    const perEvent = (ms: number) => ((ms * 1000) / o.events).toFixed(1);
    const dbCpu = store.databaseUrl ? ` + PostgreSQL backends ${perEvent(cpuMs(await backendPids(store.databaseUrl)))} µs` : '';
    log(`CPU per event: console ${perEvent(consoleCpuMs)} µs${dbCpu} (parse alone ${(1e6 / parseOnly).toFixed(1)} µs); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

    failed = !(await holdsExactly(server, store.databaseUrl, o.events, log));
    const stop = await server.stop();
    if (stop.code !== 0) {
      log(`FAIL: the console exited with ${stop.code ?? stop.signal} on SIGTERM`);
      failed = true;
    }
    console.log(
      `bench:ingest engine=${engine} events=${o.events} events_per_s=${Math.round(eventsPerS)} ` +
        `p99_batch_ms=${Math.round(p99)} parse_only_events_per_s=${Math.round(parseOnly)}`,
    );
  } finally {
    if (server?.running) await server.kill();
    await remove();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  process.stderr.write(`bench:ingest failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
