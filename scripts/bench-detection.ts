// `npm run bench:detection [-- --hours 24 --seeds 1,2,3 --heldout-seeds 1 --rate R]`: the
// detection engine against labelled traffic from both generators. For each simulator seed
// (`npm run simulate -- --out`, window ending at SIM_END) and each held-out seed (`npm run
// heldout`), the generator writes --hours of OTLP/HTTP JSON lines and their ground truth to a
// temporary directory (in a child process; deleted afterwards), then the `detect` CLI's runner
// (server/detection/cli-run.ts) runs the engine over the file in this process and
// server/detection/cli-score.ts scores it. The definitions are in cli-score.ts's header:
//
// - recall: an attacking actor (token, user or ip of an instance) is recalled when a detection
//   names it and overlaps [start, end + 10 min]; per instance recalled / actors, per scenario
//   the mean over instances, per generator (`sim/…`, `heldout/…`);
// - fp_rate: benign actors (tokens, users, client ips of the events fed that belong to no attack)
//   named by any detection / benign actors, pooled over files; per cohort the same on its actors;
// - ttd_p95_s: time to detect = event time of the newest event fed when a detection first named
//   one of the instance's actors (with the overlap above) − the instance's start, 95th percentile
//   over recalled instances of every file. Event time, not the watermark, so the 10 min lateness
//   is not counted twice; the engine is advanced at most once per second of event time;
// - events_per_s: events / seconds in the runner (reading, decoding and the engine; generation
//   excluded); peak_rss_mb: this process's resident memory sampled during the runs.
//
// stdout: a line per scenario, a line per benign cohort, then
// `bench:detection recall_min=… recall_mean=… fp_rate=… ttd_p95_s=… events_per_s=… peak_rss_mb=…`
// (recall over the scenarios of both generators; low-and-slow scenarios, whose target is 0.8
// rather than 0.95, are marked `low_and_slow=1`). Progress and per-file figures go to stderr.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDetectionOnFile } from '@/server/detection/cli-run';
import { addSeenActors, cohortLine, finalLine, readTruth, scenarioLine, scoreFile, summarize, type FileScore } from '@/server/detection/cli-score';

const ROOT = path.resolve(import.meta.dirname, '..');
/** The simulator's window ends here, so the same flags give the same traffic. */
const SIM_END = '2025-03-02T00:00:00Z';

const USAGE = `usage: npm run bench:detection -- [--hours N] [--seeds LIST] [--heldout-seeds LIST] [--rate R]
  --hours N              hours of traffic per seed (default 24)
  --seeds LIST           simulator seeds, comma-separated, or none (default 1,2,3)
  --heldout-seeds LIST   held-out generator seeds, or none (default 1)
  --rate R               passed to both generators' --rate (default: each generator's own)`;

class UsageError extends Error {}

interface Options {
  hours: number;
  seeds: number[];
  heldoutSeeds: number[];
  rate: number | null;
}

function seedList(flag: string, text: string): number[] {
  if (text === 'none' || text === '') return [];
  return text.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag}: "${s}" is not a positive integer seed`);
    return n;
  });
}

function parseArgs(argv: readonly string[]): Options {
  const v = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') throw new UsageError('');
    if (!['--hours', '--seeds', '--heldout-seeds', '--rate'].includes(flag)) throw new UsageError(`unknown argument "${argv[i]}"`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    v.set(flag, value);
  }
  const positive = (flag: string) => {
    if (!v.has(flag)) return null;
    const n = Number(v.get(flag));
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} "${v.get(flag)}" must be a positive number`);
    return n;
  };
  const o = {
    hours: positive('--hours') ?? 24,
    seeds: seedList('--seeds', v.get('--seeds') ?? '1,2,3'),
    heldoutSeeds: seedList('--heldout-seeds', v.get('--heldout-seeds') ?? '1'),
    rate: positive('--rate'),
  };
  if (!o.seeds.length && !o.heldoutSeeds.length) throw new UsageError('no seeds: give --seeds or --heldout-seeds');
  return o;
}

const say = (line: string) => process.stderr.write(`bench:detection ${line}\n`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs a generator script under tsx; resolves with its last output line, rejects with its tail. */
function generate(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = tail.trim().split('\n').pop() ?? '';
      if (code === 0) resolve(last);
      else reject(new Error(`${args[0]} ${code === null ? `was killed (${signal})` : `exited with ${code}`}:\n${tail.trim()}`));
    });
  });
}

interface Job {
  generator: 'sim' | 'heldout';
  seed: number;
}

let current: string | null = null;
process.once('SIGINT', () => {
  if (current) rmSync(current, { recursive: true, force: true });
  process.exit(130);
});

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const jobs: Job[] = [...o.seeds.map((seed) => ({ generator: 'sim' as const, seed })), ...o.heldoutSeeds.map((seed) => ({ generator: 'heldout' as const, seed }))];
  const rate = o.rate === null ? [] : ['--rate', String(o.rate)];
  const files: FileScore[] = [];
  let events = 0;
  let runSeconds = 0;
  let genSeconds = 0;
  let peak = 0;
  for (const job of jobs) {
    const dir = mkdtempSync(path.join(tmpdir(), 'meshward-bench-detection-'));
    current = dir;
    try {
      const out = path.join(dir, 'traffic.jsonl');
      const truthFile = path.join(dir, 'truth.jsonl');
      const args = job.generator === 'sim'
        ? ['scripts/simulate.ts', '--out', out, '--ground-truth', truthFile, '--backfill', `${o.hours}h`, '--end', SIM_END, '--seed', String(job.seed), ...rate]
        : ['heldout/cli.ts', '--out', out, '--truth', truthFile, '--hours', String(o.hours), '--seed', String(job.seed), ...rate];
      say(`generating ${job.generator} seed=${job.seed} hours=${o.hours}`);
      const genStarted = performance.now();
      const summary = await generate(args);
      const gen = (performance.now() - genStarted) / 1000;
      genSeconds += gen;
      say(`  ${summary}`);

      const seen = new Set<string>();
      const r = await runDetectionOnFile(out, { onEvents: (batch) => addSeenActors(seen, batch) });
      const score = scoreFile(job.generator, readTruth(truthFile), r.detections, seen);
      files.push(score);
      events += r.stats.events;
      runSeconds += r.seconds;
      peak = Math.max(peak, r.peakRssBytes);
      say(`file gen=${job.generator} seed=${job.seed} hours=${o.hours} events=${r.stats.events} lines=${r.stats.lines} skipped=${r.stats.skippedRecords} ` +
        `bad_lines=${r.stats.badLines} detections=${r.detections.length} instances=${score.instances.length} benign_actors=${score.benignActors} ` +
        `gen_s=${round(gen)} gen_s_per_hour=${round(gen / o.hours)} run_s=${round(r.seconds)} events_per_s=${Math.round(r.stats.events / Math.max(r.seconds, 1e-9))}`);
      for (const m of r.stats.messages) say(`  skipped ${m}`);
      if (score.unseenAttackActors) say(`  warning: ${score.unseenAttackActors} attack actors of the truth are on no event fed (left out of recall)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      current = null;
    }
  }
  const s = summarize(files);
  for (const line of s.scenarios.map(scenarioLine)) process.stdout.write(`${line}\n`);
  for (const line of s.cohorts.map(cohortLine)) process.stdout.write(`${line}\n`);
  say(`generation_s=${round(genSeconds)} generation_s_per_hour=${round(genSeconds / (o.hours * jobs.length))} run_s=${round(runSeconds)} benign_actors=${s.benignActors} benign_flagged=${s.benignFlagged}`);
  process.stdout.write(`${finalLine(s, { eventsPerS: events / Math.max(runSeconds, 1e-9), peakRssMb: peak / 2 ** 20 })}\n`);
}

main().catch((e: Error) => {
  if (e instanceof UsageError) {
    process.stderr.write(e.message ? `bench:detection: ${e.message}\n${USAGE}\n` : `${USAGE}\n`);
    process.exit(e.message ? 2 : 0);
  }
  process.stderr.write(`bench:detection: ${e.message}\n`);
  process.exit(1);
});
