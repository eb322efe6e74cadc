// `npm run simulate -- --backfill 24h --rate 50 --seed 7 --token mwp_…`: the simulated fleet
// against a running console. docs/simulator.md describes the flags and the ground-truth file.
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { backfill } from '@/simulator/backfill';
import { parseSimulateArgs, SIMULATE_USAGE, UsageError, type SimulateOptions } from '@/simulator/cli-options';
import { isAttack, isCohort, type GroundTruthRecord } from '@/simulator/ground-truth';
import { appendGroundTruth } from '@/simulator/ground-truth-file';
import { LiveLoop } from '@/simulator/live-loop';
import { writeOtlpLines } from '@/simulator/otlp-file';
import { FatalSendError, TelemetrySender } from '@/simulator/sender';
import { SimStream } from '@/simulator/stream';
import { World } from '@/simulator/world';

const say = (line: string) => process.stderr.write(`simulate: ${line}\n`);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function readToken(o: SimulateOptions): string {
  if (o.token) return o.token;
  try {
    return readFileSync(o.tokenFile!, 'utf8').trim();
  } catch (e) {
    throw new UsageError(`cannot read --token-file ${o.tokenFile}: ${(e as Error).message}`);
  }
}

/** What went wrong, in words a person can act on. */
function explain(e: Error, o: SimulateOptions): string {
  if (/ answered 401/.test(e.message)) return `${o.target} refused the proxy token (401): create one in Fleet → Create token (or \`npm run meshward -- proxy-token create --name simulator --services '*'\`) and pass it with --token`;
  if (/ answered 403/.test(e.message)) return `${o.target} answered 403: ${e.message.replace(/^.*answered 403: /, '')}`;
  return e.message;
}

/**
 * `--out FILE`: the window as OTLP/HTTP JSON lines in arrival order, and its ground truth,
 * streamed to disk (a slow disk holds generation back; memory stays bounded).
 */
async function writeOut(o: SimulateOptions) {
  const started = performance.now();
  const world = new World({ seed: o.seed, rate: o.rate, scenarios: o.scenarios });
  const end = o.end ?? Date.now();
  mkdirSync(dirname(o.groundTruth), { recursive: true });
  writeFileSync(o.groundTruth, ''); // the truth belongs to this file's events only
  const toStdout = o.out === '-';
  if (!toStdout) mkdirSync(dirname(o.out!), { recursive: true });
  const sink = toStdout ? process.stdout : createWriteStream(o.out!);
  let sinkError: Error | null = null;
  sink.on('error', (e: Error) => (sinkError = e));
  const write = async (chunk: string) => {
    if (sinkError) throw sinkError;
    if (!sink.write(chunk)) await once(sink, 'drain');
  };
  let attacks = 0;
  let cohorts = 0;
  say(`seed=${o.seed} rate=${o.rate}/s window=${new Date(end - o.backfillMs).toISOString()}..${new Date(end).toISOString()} out=${o.out} ground_truth=${o.groundTruth}`);
  const result = await writeOtlpLines({
    world, from: end - o.backfillMs, to: end, write,
    onTruth: (entries) => {
      attacks += entries.filter(isAttack).length;
      cohorts += entries.filter(isCohort).length;
      appendGroundTruth(o.groundTruth, entries);
    },
    onProgress: (p) => {
      if (Math.floor((p.to - end + o.backfillMs) / 60_000) % 60 === 0) say(`written up to ${new Date(p.to).toISOString()} events=${p.events} lines=${p.lines}`);
    },
  });
  if (!toStdout) await new Promise<void>((resolve, reject) => (sink as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? reject(e) : resolve())));
  if (sinkError) throw sinkError;
  const seconds = (performance.now() - started) / 1000;
  const line = `simulate: events=${result.events} lines=${result.lines} out=${o.out} elapsed_s=${round(seconds)} events_per_s=${Math.round(result.events / seconds)} ` +
    `max_out_of_order_s=${round(result.maxOutOfOrderMs / 1000)} ground_truth=${o.groundTruth} attacks=${attacks} cohort_days=${cohorts}\n`;
  (toStdout ? process.stderr : process.stdout).write(line);
}

async function main() {
  const o = parseSimulateArgs(process.argv.slice(2));
  if (o.out !== null) return writeOut(o);
  const token = o.dryRun ? '' : readToken(o);
  const started = performance.now();
  const world = new World({ seed: o.seed, rate: o.rate, scenarios: o.scenarios });
  const now = o.end ?? Date.now();
  const stream = new SimStream(world, now - o.backfillMs);
  const abort = new AbortController();
  const sender = o.dryRun ? null : new TelemetrySender({
    target: o.target, tokenFor: () => token, signal: abort.signal, maxNetworkRetries: 5, sockets: 4, warn: say,
  });
  let attacks = 0;
  let generated = 0;
  const onTruth = (entries: GroundTruthRecord[]) => {
    attacks += entries.filter(isAttack).length;
    appendGroundTruth(o.groundTruth, entries);
  };
  let live: LiveLoop | null = null;
  let failure: Error | null = null;
  const summary = () => {
    onTruth(stream.truth.rest());
    const seconds = (performance.now() - started) / 1000;
    const stats = sender?.stats;
    const sent = stats?.events ?? 0;
    const perS = o.dryRun ? generated / seconds : sent / seconds;
    process.stdout.write(
      `simulate: events=${generated} sent=${sent} rejected=${stats?.rejected ?? 0} elapsed_s=${round(seconds)} ` +
        `events_per_s=${Math.round(perS)} ground_truth=${o.groundTruth} attacks=${attacks}${o.dryRun ? ' dry_run=1' : ''}\n`,
    );
  };
  const interrupt = () => {
    say('stopping');
    abort.abort();
    void live?.stop();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  say(`seed=${o.seed} rate=${o.rate}/s services=${world.topology.services.length} proxies=${world.topology.proxies.length} scenarios=${o.scenarios.join(',') || 'none'} target=${o.dryRun ? '(dry run)' : o.target}`);
  try {
    if (sender) await Promise.all(world.topology.proxies.map((p) => sender.heartbeat(p)));
    if (o.backfillMs) {
      const result = await backfill({
        stream, to: now, sender, order: 'oldest-first', chunkMs: 5 * 60_000, parallel: 3, signal: abort.signal, onTruth,
        onProgress: (p) => {
          if (p.chunk % 12 !== 0 && p.chunk !== p.chunks) return;
          const s = p.elapsedMs / 1000;
          say(`backfill ${p.chunk}/${p.chunks} up to ${new Date(p.to).toISOString()} events=${p.eventsSent} events_per_s=${Math.round(p.eventsSent / s)}`);
        },
      });
      generated = result.generated;
      say(`backfill done: ${result.generated} events in ${round(result.elapsedMs / 1000)} s (${Math.round(result.generated / (result.elapsedMs / 1000))} events/s)`);
    }
    if (o.live && sender && !abort.signal.aborted) {
      say(`live at ${o.rate} events/s on average; Ctrl-C stops`);
      await new Promise<void>((resolve, reject) => {
        live = new LiveLoop({
          stream, sender, onTruth,
          onError: (e) => {
            if (e instanceof FatalSendError) reject(e);
            else say(`sending failed, retrying: ${e.message}`);
          },
        });
        live.start();
        abort.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await (live as LiveLoop | null)?.stop();
      generated += (live as LiveLoop | null)?.generated ?? 0;
    }
  } catch (e) {
    if (!abort.signal.aborted) failure = e as Error;
  } finally {
    sender?.close();
  }
  summary();
  if (failure) {
    say(explain(failure, o));
    process.exitCode = 1;
  }
}

main().catch((e) => {
  say(e instanceof UsageError ? `${e.message}\n${SIMULATE_USAGE}` : (e as Error).message);
  process.exit(2);
});
