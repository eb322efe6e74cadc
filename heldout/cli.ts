// `npm run heldout -- --out FILE --truth FILE --hours N --seed S [--rate R] [--start TIME] [--scenarios LIST]`:
// a held-out day of a different business (a retail bank) as OTLP/HTTP JSON lines, and its ground
// truth. heldout/README.md describes it.
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SCENARIO_NAMES } from './attacks';
import { generateHeldout } from './run';
import type { TruthRecord } from './truth';

export const USAGE = `usage: npm run heldout -- --out FILE --truth FILE [--hours N] [--seed S] [--rate R] [--start TIME] [--scenarios LIST]
  --out FILE        the OTLP/HTTP JSON lines (one ExportLogsServiceRequest per line, arrival order); - for stdout
  --truth FILE      the ground truth (JSONL: attack and benign_cohort lines)
  --hours N         length of the window (default 24)
  --seed S          positive integer (default 1): the same flags give the same bytes
  --rate R          customers', visitors' and bots' events/s on an average weekday (default 15; partners, tellers,
                    monitors and jobs come on top)
  --start TIME      start of the window, ISO 8601 (default: a Monday or later in May 2025 chosen by the seed)
  --scenarios LIST  attack scenarios, comma-separated, or none (default all: ${SCENARIO_NAMES.join(',')})`;

export class UsageError extends Error {}

export interface HeldoutArgs {
  out: string;
  truth: string;
  hours: number;
  seed: number;
  rate: number;
  start: number;
  scenarios: string[];
}

export function parseHeldoutArgs(argv: readonly string[]): HeldoutArgs {
  const v = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!['--out', '--truth', '--hours', '--seed', '--rate', '--start', '--scenarios'].includes(flag)) throw new UsageError(`unknown argument "${argv[i]}"`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    v.set(flag, value);
  }
  const num = (flag: string, def: number, integer: boolean) => {
    if (!v.has(flag)) return def;
    const n = Number(v.get(flag));
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${flag} "${v.get(flag)}" must be a positive ${integer ? 'integer' : 'number'}`);
    return n;
  };
  if (!v.get('--out')) throw new UsageError('give --out FILE (or - for stdout)');
  if (!v.get('--truth')) throw new UsageError('give --truth FILE for the ground truth');
  if (v.get('--truth') === v.get('--out')) throw new UsageError('--truth must be another file than --out');
  const seed = num('--seed', 1, true);
  // default: 00:00 UTC of a day in May 2025 picked by the seed, so seeds also differ in weekday
  const start = v.has('--start') ? Date.parse(v.get('--start')!) : Date.UTC(2025, 4, 5) + (seed % 21) * 86_400_000;
  if (!Number.isFinite(start)) throw new UsageError(`--start "${v.get('--start')}" is not a time: use ISO 8601 (2025-05-05T00:00:00Z)`);
  const list = v.get('--scenarios');
  const scenarios = list === undefined ? [...SCENARIO_NAMES] : list === 'none' ? [] : list.split(',').map((x) => x.trim());
  const unknown = scenarios.filter((x) => !SCENARIO_NAMES.includes(x));
  if (unknown.length) throw new UsageError(`--scenarios: unknown scenario ${unknown.map((x) => `"${x}"`).join(', ')}; choose from ${SCENARIO_NAMES.join(', ')} or none`);
  return { out: v.get('--out')!, truth: v.get('--truth')!, hours: num('--hours', 24, false), seed, rate: num('--rate', 15, false), start, scenarios };
}

async function main() {
  const a = parseHeldoutArgs(process.argv.slice(2));
  const started = performance.now();
  const say = (line: string) => process.stderr.write(`heldout: ${line}\n`);
  const toStdout = a.out === '-';
  for (const f of toStdout ? [a.truth] : [a.out, a.truth]) mkdirSync(dirname(f), { recursive: true });
  const out = toStdout ? process.stdout : createWriteStream(a.out);
  const truth = createWriteStream(a.truth);
  let failure: Error | null = null;
  out.on('error', (e: Error) => (failure = e));
  truth.on('error', (e: Error) => (failure = e));
  say(`seed=${a.seed} rate=${a.rate}/s window=${new Date(a.start).toISOString()} +${a.hours}h out=${a.out} truth=${a.truth}`);
  let nextReport = a.start + 3_600_000;
  const result = await generateHeldout({ seed: a.seed, rate: a.rate, start: a.start, hours: a.hours, scenarios: a.scenarios }, {
    async write(chunk) {
      if (failure) throw failure;
      if (!out.write(chunk)) await once(out, 'drain');
    },
    truth(records: TruthRecord[]) {
      truth.write(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    },
    progress(p) {
      if (p.at < nextReport) return;
      nextReport += 3_600_000;
      say(`up to ${new Date(p.at).toISOString()} events=${p.events} lines=${p.lines}`);
    },
  });
  const closing = [truth, ...(toStdout ? [] : [out])].map((s) => new Promise<void>((resolve, reject) => (s as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve()))));
  await Promise.all(closing);
  if (failure) throw failure;
  const seconds = (performance.now() - started) / 1000;
  (toStdout ? process.stderr : process.stdout).write(
    `heldout: events=${result.events} lines=${result.lines} elapsed_s=${Math.round(seconds * 10) / 10} events_per_s=${Math.round(result.events / seconds)} ` +
      `max_out_of_order_s=${Math.round(result.maxOutOfOrderMs / 100) / 10} attacks=${result.attacks} cohort_days=${result.cohortDays} out=${a.out} truth=${a.truth}\n`,
  );
}

if (process.argv[1] && /heldout[\\/]cli\.ts$/.test(process.argv[1])) {
  main().catch((e: Error) => {
    process.stderr.write(`heldout: ${e instanceof UsageError ? `${e.message}\n${USAGE}` : e.message}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  });
}
