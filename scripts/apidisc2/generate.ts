// `npx tsx scripts/apidisc2/generate.ts --out DIR [--specs N] [--seed S] [--synthetic N]`:
// writes apidisc2's traffic.ndjson and truth.json (apidisc's file formats, so its score.mjs
// scores them unchanged) and prints a summary line. The same flags give the same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateBenchmark } from './benchmark';

export function parseGenerateArgs(argv: readonly string[]): { out: string; specs: number; seed: string; synthetic?: number } {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const out = get('out');
  if (!out || out.startsWith('--')) throw new Error('usage: generate.ts --out DIR [--specs N] [--seed S] [--synthetic N]');
  const specs = Number(get('specs') ?? 300);
  const synthetic = get('synthetic') === undefined ? undefined : Number(get('synthetic'));
  if (!Number.isInteger(specs) || specs < 0) throw new Error(`--specs must be a whole number, not ${get('specs')}`);
  if (synthetic !== undefined && (!Number.isInteger(synthetic) || synthetic < 0)) throw new Error(`--synthetic must be a whole number, not ${get('synthetic')}`);
  return { out, specs, seed: get('seed') ?? '1', synthetic };
}

/** The two files' text: lines in the benchmark's order, truth with one template per line. */
export function renderBenchmark(b: ReturnType<typeof generateBenchmark>): { traffic: string; truth: string } {
  const traffic = b.lines.map((l) => JSON.stringify({ service: l.service, method: l.method, path: l.path, status: l.status })).join('\n') + '\n';
  return { traffic, truth: JSON.stringify(b.truth, null, 1) + '\n' };
}

function main() {
  let args;
  try {
    args = parseGenerateArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const t0 = Date.now();
  const b = generateBenchmark(args);
  const { traffic, truth } = renderBenchmark(b);
  mkdirSync(args.out, { recursive: true });
  writeFileSync(path.join(args.out, 'traffic.ndjson'), traffic);
  writeFileSync(path.join(args.out, 'truth.json'), truth);
  const stats = Object.entries(b.stats).map(([k, v]) => `${k}=${v}`).join(' ');
  console.log(`apidisc2 ${stats} seed=${args.seed} seconds=${((Date.now() - t0) / 1000).toFixed(1)} out=${args.out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) main();
