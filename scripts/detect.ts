// `npm run --silent detect -- --input FILE`: the detection engine over a file of OTLP/HTTP JSON
// requests, one `ExportLogsServiceRequest` per line as proxies POST them to /v1/logs (`-` or
// /dev/stdin: standard input), streamed. Prints one JSON object to stdout,
// `{"detections":[{"kind","actors":[{"type","id"}],"start","end","score"}]}`, and a summary line
// to stderr. The work is server/detection/cli-run.ts, shared with `npm run bench:detection`.
import { cliOutput, runDetectionOnFile, summaryLine } from '@/server/detection/cli-run';

const USAGE = `usage: npm run --silent detect -- --input FILE
  --input FILE   OTLP/HTTP JSON lines (one ExportLogsServiceRequest per line); - or /dev/stdin for standard input
Prints {"detections":[…]} to stdout and a summary (events, lines, skipped records, elapsed_s, events_per_s,
peak_rss_mb) to stderr. Records the console would refuse are skipped and counted.`;

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { input: string } {
  let input: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') throw new UsageError('');
    if (flag !== '--input') throw new UsageError(`unknown argument "${argv[i]}"`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError('--input needs a file name (or - for standard input)');
    input = value;
  }
  if (input === null) throw new UsageError('give --input FILE');
  return { input };
}

async function main() {
  const { input } = parseArgs(process.argv.slice(2));
  const result = await runDetectionOnFile(input);
  process.stdout.write(`${JSON.stringify(cliOutput(result.detections))}\n`);
  process.stderr.write(`${summaryLine(result)}\n`);
  for (const m of result.stats.messages) process.stderr.write(`detect: skipped ${m}\n`);
}

main().catch((e: Error) => {
  if (e instanceof UsageError) {
    process.stderr.write(e.message ? `detect: ${e.message}\n${USAGE}\n` : `${USAGE}\n`);
    process.exit(e.message ? 2 : 0);
  }
  const code = (e as NodeJS.ErrnoException).code;
  process.stderr.write(`detect: ${code === 'ENOENT' ? `cannot read the input: ${e.message}` : e.message}\n`);
  process.exit(1);
});
