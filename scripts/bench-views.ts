// `npm run bench:views -- [--url URL] [--hours N] [--rate N] [--seed N] [--repopulate]
//   [--rounds N] [--warmup N] [--threads N]`
//
// Latency of the queries behind the traffic views (`/`, `/graph`, `/data`) over the rollups
// of 24 h of simulated fleet history at 500 events/s in PostgreSQL. The history is populated
// once into a dedicated database (kept between runs, reused while hours, rate and seed stay
// the same) and measured with the clock at its end. Prints per-query and per-page p50/p95
// and finally `bench:views p95_ms=<N>`, the p95 over every individual query timing.
import { availableParallelism } from 'node:os';
import pg from 'pg';
import { openDatabase } from '@/db/client';
import type { Ctx } from '@/server/context';
import { PRESETS, type Preset } from '@/server/traffic/time-range';
import { readMarker, sameHistory, type History } from './lib/bench-views-marker';
import { measure, report } from './lib/bench-views-measure';
import { populate } from './lib/bench-views-populate';
import { FLEET_HEALTH, pickSelection, queriesFor } from './lib/bench-views-queries';

const TARGET_P95_MS = 250;
const RANGES: Preset[] = (['1h', '6h', '24h', '7d'] as Preset[]).filter((p) => p in PRESETS);

interface Options extends History {
  url: string;
  repopulate: boolean;
  rounds: number;
  warmup: number;
  threads: number;
}

function options(argv: string[]): Options {
  const o: Options = {
    url: 'postgres://postgres@127.0.0.1:5432/meshward_bench_views',
    hours: 24, rate: 500, seed: 20261123, repopulate: false, rounds: 20, warmup: 2, threads: availableParallelism(),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--repopulate') {
      o.repopulate = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (flag === '--url' && value) {
      o.url = value;
      continue;
    }
    const key = flag.replace(/^--/, '') as 'hours' | 'rate' | 'seed' | 'rounds' | 'warmup' | 'threads';
    const n = Number(value);
    const ok = ['hours', 'rate', 'seed', 'rounds', 'warmup', 'threads'].includes(key)
      && Number.isInteger(n) && (n >= 1 || (key === 'warmup' && n === 0));
    if (!ok) {
      throw new Error(`bad argument ${argv[i]}: use --url URL --hours N --rate N --seed N --rounds N --warmup N --threads N --repopulate`);
    }
    o[key] = n;
  }
  return o;
}

/** Creates the database named in `url` when it does not exist (connecting to the server's `postgres`). */
async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!found.rowCount) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

async function main() {
  const o = options(process.argv.slice(2));
  await ensureDatabase(o.url);
  const database = await openDatabase({ databaseUrl: o.url, poolSize: 4 });
  try {
    let populated = await readMarker(database.db);
    if (o.repopulate || !populated || !sameHistory(populated, o)) {
      populated = await populate(database.db, o, o.threads);
    } else {
      process.stderr.write(`bench:views reusing the populated history (${o.hours} h at ${o.rate} events/s, seed ${o.seed}; --repopulate to redo)\n`);
    }
    console.log(`history: ${o.hours} h at ${o.rate} events/s (seed ${o.seed}): ${populated.events.toLocaleString('en-US')} events, `
      + `ending ${populated.endsAt.toISOString()}; populating took ${(populated.populateMs / 1000).toFixed(0)} s`);

    const selection = await pickSelection(database.db);
    console.log(`selections: node ${selection.node}, edge ${selection.edge.src} → ${selection.edge.dst}, token ${selection.token}`);
    const endsAt = populated.endsAt;
    const ctx: Ctx = {
      db: database.db, now: () => endsAt, actor: { id: 'usr_bench', email: 'viewer@example.test', role: 'viewer' },
      requestId: 'bench-views', sourceIp: null,
    };
    const queries = [...RANGES.flatMap((r) => queriesFor(r, selection)), FLEET_HEALTH];
    console.log(`measuring ${queries.length} queries (ranges ${RANGES.join(', ')}), ${o.warmup} warm-up + ${o.rounds} rounds`);
    const timings = await measure(ctx, queries, o.warmup, o.rounds, (round) => {
      process.stderr.write(`bench:views ${round < 0 ? 'warm-up' : `round ${round + 1}/${o.rounds}`} done\n`);
    });
    report(timings, TARGET_P95_MS);
  } finally {
    await database.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
