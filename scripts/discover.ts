// `npm run --silent discover -- --input FILE.ndjson`: learns endpoint templates from NDJSON
// access lines and prints `{"endpoints":[{"service","method","template"}]}` on stdout.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DiscoveryLearner } from '@/server/discovery/learner';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--input');
  const input = i === -1 ? undefined : process.argv[i + 1];
  if (!input) {
    process.stderr.write('usage: npm run --silent discover -- --input FILE.ndjson\n');
    process.exit(2);
  }
  const learner = new DiscoveryLearner();
  const rl = createInterface({ input: createReadStream(input), crlfDelay: Infinity });
  for await (const line of rl) learner.observeLine(line);
  const endpoints = learner.endpoints().map((e) => ({ service: e.service, method: e.method, template: e.template }));
  process.stdout.write(JSON.stringify({ endpoints }) + '\n');
  if (learner.rejected > 0) process.stderr.write(`discover: skipped ${learner.rejected} malformed lines\n`);
}

main().catch((err) => {
  process.stderr.write(`discover: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
