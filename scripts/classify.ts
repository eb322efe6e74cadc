// `npm run --silent classify -- --input FILE`: the sensitive-data classifier engine offline. Each
// input line `{"id":"…","body":"…","content_type":"…"}` (optional "direction": "request" |
// "response"); each output line `{"id":"…","matches":[{"class":"credit_card","count":2,"path":"$.items[0].pan"}]}`,
// one entry per class × path. Reads standard input without --input. Bad lines are reported on
// stderr by line number and skipped; the exit code is 0 unless the input cannot be read.
import { readFileSync } from 'node:fs';
import { classifyStream, DEFAULT_CLI_MAX_LINE_BYTES, openInput } from '@/server/dataclass/cli-run';
import { compileCustomClasses } from '@/server/dataclass/custom';
import type { CompiledCustomClass, CustomClassDef } from '@/server/dataclass/types';

const USAGE = `usage: npm run --silent classify -- [--input FILE] [--classes FILE] [--max-line-bytes N]
  --input FILE         JSON lines {"id","body","content_type","direction"?}; standard input when absent (or -)
  --classes FILE       custom classes: a JSON list of {"name","pattern","validator"?,"jsonPathHints"?}
  --max-line-bytes N   longer lines are skipped and reported (default ${DEFAULT_CLI_MAX_LINE_BYTES})
Prints {"id","matches":[{"class","count","path"}]} per line; errors go to stderr with their line number.`;

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { input: string; classes: string | null; maxLineBytes: number } {
  let input = '-';
  let classes: string | null = null;
  let maxLineBytes = DEFAULT_CLI_MAX_LINE_BYTES;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') throw new UsageError('');
    if (flag !== '--input' && flag !== '--classes' && flag !== '--max-line-bytes') throw new UsageError(`unknown argument "${argv[i]}"`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    if (flag === '--input') input = value;
    else if (flag === '--classes') classes = value;
    else {
      maxLineBytes = Number(value);
      if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new UsageError('--max-line-bytes must be a positive integer');
    }
  }
  return { input, classes, maxLineBytes };
}

function loadClasses(file: string): CompiledCustomClass[] {
  let defs: unknown;
  try {
    defs = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the custom classes in ${file}: ${(e as NodeJS.ErrnoException).code ?? 'not valid JSON'}`);
  }
  return compileCustomClasses(defs as CustomClassDef[]);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const custom = args.classes === null ? [] : loadClasses(args.classes);
  const out: string[] = [];
  const flush = () => {
    if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  };
  await classifyStream(openInput(args.input), (line) => {
    out.push(line);
    if (out.length >= 256) flush();
  }, (message) => {
    flush();
    process.stderr.write(`classify: ${message}\n`);
  }, { custom, maxLineBytes: args.maxLineBytes });
  flush();
}

main().catch((e: Error) => {
  if (e instanceof UsageError) {
    process.stderr.write(e.message ? `classify: ${e.message}\n${USAGE}\n` : `${USAGE}\n`);
    process.exit(e.message ? 2 : 0);
  }
  const code = (e as NodeJS.ErrnoException).code;
  process.stderr.write(`classify: ${code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' ? `cannot read the input: ${e.message}` : e.message}\n`);
  process.exit(1);
});
