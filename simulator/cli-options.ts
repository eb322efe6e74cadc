import { SCENARIO_KINDS, type ScenarioKind } from './scenarios/types';

/** What `npm run simulate` was asked to do. */
export interface SimulateOptions {
  /** how far back the backfill starts, ms; 0: none */
  backfillMs: number;
  rate: number;
  seed: number;
  target: string;
  /** the proxy token itself, or a file holding it */
  token: string | null;
  tokenFile: string | null;
  scenarios: ScenarioKind[];
  groundTruth: string;
  live: boolean;
  dryRun: boolean;
  /** write OTLP/JSON lines to this file (`-`: stdout) instead of sending */
  out: string | null;
  /** the window ends here, epoch ms (default: now) */
  end: number | null;
}

export class UsageError extends Error {}

export const SIMULATE_USAGE = `usage: npm run simulate -- [--backfill DURATION] [--live] [options]
       npm run simulate -- --out FILE --backfill DURATION [--end TIME] [--seed N] [--rate EV_PER_S]
  --backfill DURATION   send the events of the last DURATION (90m, 24h, 2d), as fast as the console takes them
  --live                then keep sending in real time (Ctrl-C stops)
  --out FILE            write the window to FILE (- for stdout) as OTLP/HTTP JSON lines, one proxy batch per
                        line in arrival order, instead of sending; the ground truth goes next to it
  --end TIME            the window ends at TIME (ISO 8601 or epoch ms; default now): the same seed, rate
                        and window give the same bytes
  --rate EV_PER_S       average benign events per second over a day (default 20; attacks come on top)
  --seed N              the same seed gives the same events (default 1)
  --target URL          the console (default http://localhost:3000)
  --token T             a proxy token (Fleet → Create token), used by every cluster's proxies
  --token-file FILE     read the proxy token from FILE instead
  --scenarios LIST      attack scenarios, comma-separated, or none (default all: ${SCENARIO_KINDS.join(',')})
  --ground-truth FILE   where attacks and benign cohorts are recorded (default ./simulator-ground-truth.jsonl,
                        appended; with --out: FILE.truth.jsonl next to the output, rewritten)
  --dry-run             generate and encode only, send nothing; prints the generation speed`;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90m`, `24h`, `1h30m`, `2d` → milliseconds. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) {
    throw new UsageError(`--backfill "${text}" is not a duration: use a number and a unit, like 90m, 24h or 2d`);
  }
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit], 0);
  if (ms <= 0) throw new UsageError('--backfill must be longer than zero');
  return Math.round(ms);
}

function parseScenarios(text: string): ScenarioKind[] {
  if (text === 'none') return [];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SCENARIO_KINDS as readonly string[]).includes(n));
  if (unknown.length || !names.length) {
    throw new UsageError(`--scenarios: unknown scenario ${unknown.map((u) => `"${u}"`).join(', ') || '(empty)'}; choose from ${SCENARIO_KINDS.join(', ')} or none`);
  }
  return names as ScenarioKind[];
}

function positive(flag: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} "${text}" must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return n;
}

const VALUE_FLAGS = ['--backfill', '--rate', '--seed', '--target', '--token', '--token-file', '--scenarios', '--ground-truth', '--out', '--end'];
const SWITCHES = ['--live', '--dry-run'];

/** `2025-03-01T00:00:00Z` or epoch milliseconds. */
function parseTime(text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`--end "${text}" is not a time: use ISO 8601 (2025-03-01T00:00:00Z) or epoch milliseconds`);
  return ms;
}

/** Where the ground truth of `--out FILE` goes when not given: `run.jsonl` → `run.truth.jsonl`. */
export function truthFileFor(out: string): string {
  // not the appended default file: an --out run rewrites its truth file
  if (out === '-') return './simulator-out.truth.jsonl';
  return out.endsWith('.jsonl') ? `${out.slice(0, -'.jsonl'.length)}.truth.jsonl` : `${out}.truth.jsonl`;
}

function checkOut(o: SimulateOptions, values: Map<string, string>): SimulateOptions {
  if (!o.out) throw new UsageError('--out needs a file name (or - for stdout)');
  if (!o.backfillMs) throw new UsageError('--out needs --backfill DURATION: the window to write');
  if (o.live || o.dryRun) throw new UsageError('--out writes a window to a file; it cannot be combined with --live or --dry-run');
  for (const flag of ['--token', '--token-file', '--target']) if (values.has(flag)) throw new UsageError(`--out sends nothing: drop ${flag}`);
  const groundTruth = values.get('--ground-truth') ?? truthFileFor(o.out);
  if (groundTruth === o.out) throw new UsageError('--ground-truth must be another file than --out');
  return { ...o, groundTruth };
}

/** Reads the command line (`--flag value` or `--flag=value`); throws UsageError saying what is wrong. */
export function parseSimulateArgs(argv: readonly string[]): SimulateOptions {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (SWITCHES.includes(flag) && eq < 0) switches.add(flag);
    else if (VALUE_FLAGS.includes(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      values.set(flag, value);
    } else throw new UsageError(`unknown argument "${arg}"`);
  }
  const o: SimulateOptions = {
    backfillMs: values.has('--backfill') ? parseDuration(values.get('--backfill')!) : 0,
    rate: values.has('--rate') ? positive('--rate', values.get('--rate')!, false) : 20,
    seed: values.has('--seed') ? positive('--seed', values.get('--seed')!, true) : 1,
    target: (values.get('--target') ?? 'http://localhost:3000').replace(/\/+$/, ''),
    token: values.get('--token') ?? null,
    tokenFile: values.get('--token-file') ?? null,
    scenarios: values.has('--scenarios') ? parseScenarios(values.get('--scenarios')!) : [...SCENARIO_KINDS],
    groundTruth: values.get('--ground-truth') ?? './simulator-ground-truth.jsonl',
    live: switches.has('--live'),
    dryRun: switches.has('--dry-run'),
    out: values.get('--out') ?? null,
    end: values.has('--end') ? parseTime(values.get('--end')!) : null,
  };
  if (o.out !== null) return checkOut(o, values);
  if (!/^https?:\/\/[^/]+/.test(o.target)) throw new UsageError(`--target "${o.target}" must be an http(s) URL such as http://localhost:3000`);
  if (!o.backfillMs && !o.live) throw new UsageError('nothing to do: give --backfill DURATION, --live, or both');
  if (o.dryRun && o.live) throw new UsageError('--dry-run generates a backfill window only; it cannot be combined with --live');
  if (o.dryRun && !o.backfillMs) throw new UsageError('--dry-run needs --backfill DURATION');
  if (!o.dryRun && !o.token && !o.tokenFile) throw new UsageError('give a proxy token with --token or --token-file (create one in Fleet → Create token)');
  if (o.token && o.tokenFile) throw new UsageError('give --token or --token-file, not both');
  return o;
}
