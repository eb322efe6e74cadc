// `npm run bench:discovery [-- --specs N --seed N --stream N]`: generates apidisc traffic
// (outside the repository), learns endpoints with the same code as `discover`, scores them,
// then measures the learner on a long stream: the traffic replayed until N requests (default
// 10,000,000), numeric ids shifted on every pass so that positions keep seeing new values.
// Prints the scorer's summary line and `bench:discovery paths_per_s=… peak_rss_mb=…`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DiscoveryLearner } from '@/server/discovery/learner';

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
const dir = mkdtempSync(path.join(tmpdir(), 'apidisc-'));
try {
  execFileSync('node', [path.join(bench, 'generate.mjs'), '--out', dir, '--specs', specs, '--seed', seed], { stdio: ['ignore', 'ignore', 'inherit'] });
  const lines = readFileSync(path.join(dir, 'traffic.ndjson'), 'utf8').split('\n').filter((l) => l.length > 0);

  // Accuracy: the generated traffic once, as `discover` would see it.
  const learner = new DiscoveryLearner();
  for (const line of lines) learner.observeLine(line);
  const endpoints = learner.endpoints();
  const pred = path.join(dir, 'pred.json');
  writeFileSync(pred, JSON.stringify({ endpoints: endpoints.map((e) => ({ service: e.service, method: e.method, template: e.template })) }));
  const out = execFileSync('node', [path.join(bench, 'score.mjs'), '--truth', path.join(dir, 'truth.json'), '--pred', pred], { encoding: 'utf8' });

  // Throughput and memory: a long stream through one learner, then one clustering pass. The
  // time spent making the shifted lines is measured apart and subtracted.
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

  console.log(out.trim().split('\n').pop());
  if (made === 0) throw new Error('no traffic generated');
  const load = loadavg()[0].toFixed(2);
  console.log(`bench:discovery paths_per_s=${Math.round(stream / seconds)} peak_rss_mb=${peakRssMb} stream=${stream} endpoints=${learned} cpu_paths_per_s=${Math.round(stream / cpuSeconds)} load=${load}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
