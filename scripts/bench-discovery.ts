// `npm run bench:discovery [-- --generator apidisc|apidisc2|both --specs N --seed N --stream N]`:
// generates benchmark traffic (outside the repository) with apidisc (`../shared/bench/apidisc`),
// with apidisc2 (Meshward's own, independent generator: scripts/apidisc2/) or with both (the
// default), learns endpoints with the same code as `discover`, and scores them with apidisc's
// scorer. For each generator it prints
//   bench:discovery generator=<name> specs=N seed=N <the scorer's summary line>
//   bench:discovery generator=<name> hard_cases <scripts/apidisc2/hard-cases.ts's line>
// Then it measures the learner on a long stream: the traffic of apidisc (of apidisc2 when only it
// runs) replayed until N requests (default 10,000,000), numeric ids shifted on every pass so that
// positions keep seeing new values, and prints `bench:discovery paths_per_s=… peak_rss_mb=…`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DiscoveryLearner } from '@/server/discovery/learner';
import { formatHardCases, hardCases } from './apidisc2/hard-cases';
import { readTraffic, readTruth } from './apidisc2/scorer';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

/** Pass `pass` of the replay: every all-digit path segment moved to a fresh range. */
function shifted(line: string, pass: number): string {
  if (pass === 0) return line;
  return line.replace(/\/(\d+)(?=[/?"])/g, (_, d: string) => `/${Number(d) + pass * 1_000_003}`);
}

const bench = path.resolve(import.meta.dirname, '../../shared/bench/apidisc');
const specs = arg('specs', '300');
const seed = arg('seed', '1');
const stream = Number(arg('stream', '10000000'));
const choice = arg('generator', 'both');
if (!['apidisc', 'apidisc2', 'both'].includes(choice)) {
  console.error(`--generator must be apidisc, apidisc2 or both, not ${choice}`);
  process.exit(2);
}
const generators = choice === 'both' ? ['apidisc', 'apidisc2'] : [choice];

/**
 * Writes `traffic.ndjson` and `truth.json` of one generator into `dir`, in a child process (so
 * that the generator's memory does not count in this process's peak).
 */
function generate(generator: string, dir: string): void {
  const args = ['--out', dir, '--specs', specs, '--seed', seed];
  const cmd = generator === 'apidisc' ? [path.join(bench, 'generate.mjs'), ...args] : ['--import', 'tsx', path.join(import.meta.dirname, 'apidisc2', 'generate.ts'), ...args];
  execFileSync(process.execPath, cmd, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Throughput and memory: a long stream through one learner, then one clustering pass. The time
 * spent making the shifted lines is measured apart and subtracted.
 */
function throughput(lines: string[], of: string): string {
  const cpu0 = process.cpuUsage();
  let t = process.hrtime.bigint();
  let made = 0;
  for (let n = 0; n < stream; n++) made += shifted(lines[n % lines.length], Math.floor(n / lines.length)).length;
  const makeNs = process.hrtime.bigint() - t;
  const makeCpu = process.cpuUsage(cpu0);
  const long = new DiscoveryLearner();
  const cpu1 = process.cpuUsage();
  t = process.hrtime.bigint();
  for (let n = 0; n < stream; n++) long.observeLine(shifted(lines[n % lines.length], Math.floor(n / lines.length)));
  const learned = long.endpoints().length;
  const seconds = Number(process.hrtime.bigint() - t - makeNs) / 1e9;
  // CPU time as well: on a shared machine the wall clock also counts other processes' turns
  const learnCpu = process.cpuUsage(cpu1);
  const cpuSeconds = (learnCpu.user + learnCpu.system - makeCpu.user - makeCpu.system) / 1e6;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  if (made === 0) throw new Error('no traffic generated');
  const load = loadavg()[0].toFixed(2);
  return `bench:discovery paths_per_s=${Math.round(stream / seconds)} peak_rss_mb=${peakRssMb} stream=${stream} endpoints=${learned} cpu_paths_per_s=${Math.round(stream / cpuSeconds)} load=${load} stream_of=${of}`;
}

const dirs: string[] = [];
try {
  let throughputLine = '';
  for (const generator of generators) {
    const dir = mkdtempSync(path.join(tmpdir(), `${generator}-`));
    dirs.push(dir);
    generate(generator, dir);
    const lines = readFileSync(path.join(dir, 'traffic.ndjson'), 'utf8').split('\n').filter((l) => l.length > 0);

    // Accuracy: the generated traffic once, as `discover` would see it.
    const learner = new DiscoveryLearner();
    for (const line of lines) learner.observeLine(line);
    const endpoints = learner.endpoints().map((e) => ({ service: e.service, method: e.method, template: e.template }));
    const pred = path.join(dir, 'pred.json');
    writeFileSync(pred, JSON.stringify({ endpoints }));
    const out = execFileSync('node', [path.join(bench, 'score.mjs'), '--truth', path.join(dir, 'truth.json'), '--pred', pred], { encoding: 'utf8' });
    console.log(`bench:discovery generator=${generator} specs=${specs} seed=${seed} ${out.trim().split('\n').pop()}`);
    // measured on the first generator's stream, before anything else adds to this process's peak
    if (!throughputLine) throughputLine = throughput(lines, generator);
    const hard = hardCases(readTruth(path.join(dir, 'truth.json')), endpoints, readTraffic(path.join(dir, 'traffic.ndjson')));
    console.log(`bench:discovery generator=${generator} hard_cases ${formatHardCases(hard)}`);
  }
  console.log(throughputLine);
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
