// Worker thread of decodeInWorker (decode-thread.ts): reads a file's lines and decodes them with
// the console's OTLP parser, posting the engine events a few thousand at a time. It waits for the
// main thread to take them when BATCHES_AHEAD batches are unread, so memory stays bounded however
// far the engine falls behind.
import { parentPort, workerData } from 'node:worker_threads';
import { openInput, readLines } from './cli-lines';
import { LineDecoder } from './cli-run';
import type { DecodeWorkerData, FromDecodeWorker } from './decode-thread';
import { ColumnPacker } from './event-columns';

const BATCH_EVENTS = 4096;
const BATCHES_AHEAD = 8;

const port = parentPort!;
const { file, defaults } = workerData as DecodeWorkerData;

let unread = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  unread -= 1;
  if (wake) {
    const w = wake;
    wake = null;
    w();
  }
});

const post = (m: FromDecodeWorker) => port.postMessage(m);

async function run() {
  const decoder = new LineDecoder(defaults);
  const packer = new ColumnPacker();
  const flush = async () => {
    const lines = packer.take();
    port.postMessage({ type: 'lines', lines } satisfies FromDecodeWorker, [lines.nums.buffer as ArrayBuffer, lines.refs.buffer as ArrayBuffer]);
    unread += 1;
    while (unread >= BATCHES_AHEAD) await new Promise<void>((resolve) => { wake = resolve; });
  };
  for await (const line of readLines(openInput(file))) {
    packer.add(decoder.decode(line));
    if (packer.eventCount >= BATCH_EVENTS) await flush();
  }
  if (packer.lineCount > 0) await flush();
  post({ type: 'end', stats: decoder.stats });
}

run().catch((e: NodeJS.ErrnoException) => {
  post({ type: 'error', message: e.message, code: e.code });
});
