// `npm run bench:search -- [--engine postgres|pglite] [--events N] [--reuse] [--rounds N]
//   [--warmup N] [--ingest-rate N] [--explain] [--ingest-ceiling S]`
//
// Forensics search at scale (issue 11): loads `events` access events spread over the 7 days
// before now (PostgreSQL: 10 M into a dedicated `meshward_bench_search` database on the server
// of BENCH_DATABASE_URL or TEST_DATABASE_URL; PGlite: 1 M into a folder under the temp dir),
// then, while ingest keeps storing events through the real write path, times the searches of
// scripts/bench-search/queries.ts (each `--rounds` times after `--warmup`) and an export of every
// event of the last 24 h. `--reuse` keeps the loaded events when they are the same count (a
// load of 10 M takes minutes); `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of each search;
// `--ingest-ceiling S` instead stores events as fast as ingest can for S seconds (the indexes' cost).
// Prints a table of per-query timings, then
// `bench:search engine=… events=… p50_ms=… p95_ms=… histogram_p95_ms=… export_rows_per_s=… ingest_events_per_s=…`
// where p50/p95 are over every timing of the 24 h-bounded filtered result-page searches.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, rows, type Database, type Db, type Engine } from '@/db/client';
import { auditKeyring, installAuditKeyring } from '@/server/audit/keyring';
import type { Ctx } from '@/server/context';
import { exportEvents } from '@/server/search/export';
import { startIngest } from './bench-search/ingest';
import { populate } from './bench-search/populate';
import { benchQueries, explain, pickValues, type BenchQuery } from './bench-search/queries';

const DATABASE = 'meshward_bench_search';
const TARGETS = { p95Ms: 300, histogramP95Ms: 500, exportRowsPerS: 100_000 };

interface Options {
  engine: Engine;
  events: number;
  reuse: boolean;
  rounds: number;
  warmup: number;
  ingestRate: number;
  explain: boolean;
  /** measure the most ingest can store (nothing else running) for this many seconds, instead of the searches */
  ingestCeilingS: number;
}

function options(argv: string[]): Options {
  let engine: Engine = 'postgres';
  const numbers: Partial<Record<'events' | 'rounds' | 'warmup' | 'ingest-rate' | 'ingest-ceiling', number>> = {};
  let reuse = false;
  let explainPlans = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--reuse') { reuse = true; continue; }
    if (flag === '--explain') { explainPlans = true; continue; }
    const value = inline ?? argv[++i];
    if (flag === '--engine' && (value === 'postgres' || value === 'pglite')) { engine = value; continue; }
    const key = flag.replace(/^--/, '') as keyof typeof numbers;
    const n = Number(value);
    if (!['events', 'rounds', 'warmup', 'ingest-rate', 'ingest-ceiling'].includes(key) || !Number.isInteger(n) || n < (key === 'warmup' ? 0 : 1)) {
      throw new Error(`bad argument ${argv[i]}: use --engine postgres|pglite --events N --reuse --rounds N --warmup N --ingest-rate N --ingest-ceiling S --explain`);
    }
    numbers[key] = n;
  }
  const pglite = engine === 'pglite';
  return {
    engine,
    events: numbers.events ?? (pglite ? 1_000_000 : 10_000_000),
    reuse,
    rounds: numbers.rounds ?? 5,
    warmup: numbers.warmup ?? 1,
    ingestRate: numbers['ingest-rate'] ?? (pglite ? 500 : 3000),
    explain: explainPlans,
    ingestCeilingS: numbers['ingest-ceiling'] ?? 0,
  };
}

const log = (s: string) => process.stderr.write(`bench:search ${s}\n`);

/** The bench database on the server of BENCH_DATABASE_URL / TEST_DATABASE_URL, created when absent. */
async function benchDatabaseUrl(): Promise<string> {
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (!found.rowCount) await client.query(`create database ${DATABASE}`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function open(o: Options): Promise<{ database: Database; where: string }> {
  if (o.engine === 'postgres') {
    const url = await benchDatabaseUrl();
    return { database: await openDatabase({ databaseUrl: url, poolSize: 6 }), where: `database ${DATABASE}` };
  }
  const dir = path.join(tmpdir(), 'meshward-bench-search-pglite');
  if (!o.reuse) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return { database: await openDatabase({ dataDir: dir }), where: dir };
}

// The bench's own marker of what was loaded, outside the app's migrations.
async function readMarker(db: Db): Promise<{ events: number; endsAt: number } | null> {
  await db.execute(sql`create table if not exists bench_search_population (
    id smallint primary key default 1 check (id = 1), events bigint not null, ends_at timestamptz not null, populate_ms int not null)`);
  const [r] = await rows<{ events: string; ends_at: string }>(db, sql`select events::text, ends_at::text from bench_search_population`);
  return r ? { events: Number(r.events), endsAt: new Date(r.ends_at).getTime() } : null;
}

interface Timing {
  query: BenchQuery;
  ms: number[];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Rounds of every query in turn (a round visits each once, so a slow moment is spread over all). */
async function measure(ctx: Ctx, queries: BenchQuery[], o: Options): Promise<Timing[]> {
  const timings = queries.map((query) => ({ query, ms: [] as number[] }));
  for (let round = -o.warmup; round < o.rounds; round++) {
    for (const t of timings) {
      const now = new Date();
      const started = performance.now();
      await t.query.run({ ...ctx, now: () => now }, now);
      if (round >= 0) t.ms.push(performance.now() - started);
    }
    log(round < 0 ? 'warm-up round done' : `round ${round + 1}/${o.rounds} done`);
  }
  return timings;
}

/** Every event of the last 24 h, exported as CSV through exportEvents (what GET /api/search/export streams). */
async function measureExport(ctx: Ctx): Promise<{ rows: number; bytes: number; ms: number }> {
  const now = new Date();
  const started = performance.now();
  let lines = 0;
  let bytes = 0;
  for await (const chunk of exportEvents({ ...ctx, now: () => now }, { q: '', from: new Date(now.getTime() - 86_400_000), to: now, format: 'csv' })) {
    bytes += chunk.length;
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines += 1;
  }
  // the bench's paths and user agents hold no line breaks: a line is a row, and the first is the header
  return { rows: Math.max(0, lines - 1), bytes, ms: performance.now() - started };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main() {
  const o = options(process.argv.slice(2));
  installAuditKeyring(auditKeyring(randomBytes(32)));
  const { database, where } = await open(o);
  const db = database.db;
  try {
    let marker = await readMarker(db);
    if (!o.reuse || !marker || marker.events !== o.events) {
      if (o.reuse) log(`--reuse: ${where} holds ${marker ? fmt(marker.events) : 'no'} loaded events, not ${fmt(o.events)}: loading`);
      await db.execute(sql`delete from bench_search_population`);
      const endsAt = Date.now();
      const started = performance.now();
      log(`loading ${fmt(o.events)} events over the 7 days before ${new Date(endsAt).toISOString()} into ${o.engine} (${where})`);
      await populate(database, o.events, endsAt, log);
      const populateMs = Math.round(performance.now() - started);
      await db.execute(sql`insert into bench_search_population (events, ends_at, populate_ms)
        values (${o.events}, ${new Date(endsAt).toISOString()}::timestamptz, ${populateMs})`);
      log(`loaded ${fmt(o.events)} events in ${(populateMs / 1000).toFixed(0)} s (${fmt(o.events / (populateMs / 1000))} events/s, indexes and vacuum included)`);
      marker = { events: o.events, endsAt };
    } else {
      log(`reusing the ${fmt(marker.events)} events loaded up to ${new Date(marker.endsAt).toISOString()} in ${where}`);
      // what earlier runs' ingest stored goes: each run measures the loaded events plus its own
      // ingest, as after a fresh load, not a newest day swollen by every run before
      const removed = await db.execute(sql`delete from access_events where ts > ${new Date(marker.endsAt).toISOString()}::timestamptz`);
      const n = (removed as unknown as { rowCount?: number; affectedRows?: number }).rowCount ?? (removed as unknown as { affectedRows?: number }).affectedRows ?? 0;
      if (n > 0) {
        log(`removed ${fmt(n)} events earlier runs' ingest stored`);
        await db.execute(sql`vacuum analyze access_events`);
      }
    }

    if (o.ingestCeilingS) {
      // as fast as the write queue takes events: the cost of the indexes on ingest, with no searches
      const ingest = await startIngest(db, database.engine === 'pglite' ? 1 : 2, 100_000);
      await new Promise((r) => setTimeout(r, o.ingestCeilingS * 1000));
      const done = await ingest.stop();
      console.log(`bench:search ingest_ceiling engine=${o.engine} events=${o.events} ingest_events_per_s=${Math.round(done.rate)}`);
      return;
    }
    const picks = await pickValues(db, marker.endsAt);
    log(`picked: ${JSON.stringify(picks)}`);
    const queries = benchQueries(picks);
    const ctx: Ctx = {
      db, now: () => new Date(), actor: { id: 'usr_bench_search', email: 'analyst@example.test', role: 'analyst' },
      requestId: 'bench-search', sourceIp: null,
    };

    const ingest = await startIngest(db, database.engine === 'pglite' ? 1 : 2, o.ingestRate);
    await new Promise((r) => setTimeout(r, 2000));
    if (o.explain) {
      for (const q of queries) {
        process.stdout.write(`\n--- ${q.name} (${q.range}) ${q.q || '(no query)'}\n${await explain(db, q, new Date())}\n`);
      }
    }
    const timings = await measure(ctx, queries, o);
    log('exporting every event of the last 24 h');
    const exported = await measureExport(ctx);
    const ingested = await ingest.stop();

    const filtered = timings.filter((t) => t.query.kind === 'events' && t.query.range === '24h' && t.query.q);
    const histograms = timings.filter((t) => t.query.kind === 'histogram');
    const all = (ts: Timing[]) => ts.flatMap((t) => t.ms);
    const p50 = percentile(all(filtered), 50);
    const p95 = percentile(all(filtered), 95);
    const histogramP95 = percentile(all(histograms), 95);
    const exportRate = exported.rows / (exported.ms / 1000);

    console.log(`\n${pad('query', 34)} ${pad('range', 5)} ${pad('p50 ms', 8)} ${pad('p95 ms', 8)} query`);
    for (const t of timings) {
      const q = t.query;
      const what = q.kind === 'values' ? `top ${q.field}${q.prefix ? ` prefix ${q.prefix}` : ''}${q.q ? ` where ${q.q}` : ''}` : q.q || '(none)';
      console.log(`${pad(q.name, 34)} ${pad(q.range, 5)} ${pad(String(Math.round(percentile(t.ms, 50))), 8)} ${pad(String(Math.round(percentile(t.ms, 95))), 8)} ${what}`);
    }
    console.log(`export (CSV, every event of the last 24 h): ${fmt(exported.rows)} rows, ${(exported.bytes / 1e6).toFixed(0)} MB in ${(exported.ms / 1000).toFixed(1)} s`);
    console.log(`ingest during the run: ${fmt(ingested.stored)} events stored, ${fmt(ingested.rate)} events/s (asked for ${fmt(o.ingestRate)}/s${ingested.refused ? `, ${fmt(ingested.refused)} refused as overload` : ''})`);
    const misses = [
      p95 > TARGETS.p95Ms && `p95 ${Math.round(p95)} ms > ${TARGETS.p95Ms}`,
      histogramP95 > TARGETS.histogramP95Ms && `histogram p95 ${Math.round(histogramP95)} ms > ${TARGETS.histogramP95Ms}`,
      exportRate < TARGETS.exportRowsPerS && `export ${fmt(exportRate)} rows/s < ${fmt(TARGETS.exportRowsPerS)}`,
    ].filter(Boolean);
    console.log(misses.length ? `targets missed (they are PostgreSQL's): ${misses.join('; ')}` : 'targets met');
    console.log(`bench:search engine=${o.engine} events=${o.events} p50_ms=${Math.round(p50)} p95_ms=${Math.round(p95)} ` +
      `histogram_p95_ms=${Math.round(histogramP95)} export_rows_per_s=${Math.round(exportRate)} ingest_events_per_s=${Math.round(ingested.rate)}`);
  } finally {
    await database.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:search failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
