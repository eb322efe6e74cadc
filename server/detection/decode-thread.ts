// Decoding a file of OTLP lines on a second thread (decode-worker.ts) while the engine runs on
// this one. Decoding (JSON.parse of verbose OTLP, normalising, coarse routes) is about a third of
// the offline run and needs no state shared with the engine, so on two cores the two overlap.
// The events come back in the file's order, one array per non-empty line, exactly as the
// in-thread LineDecoder gives them.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParseDefaults } from '@/server/ingest/event';
import type { DecodeStats } from './cli-run';
import { ColumnUnpacker, type PackedLines } from './event-columns';
import type { EngineEvent } from './types';

/** old-generation heap of the decoding thread */
const WORKER_HEAP_MB = 64;

export interface DecodeWorkerData {
  file: string;
  defaults: ParseDefaults;
}

export type FromDecodeWorker =
  | { type: 'lines'; lines: PackedLines }
  | { type: 'end'; stats: DecodeStats }
  | { type: 'error'; message: string; code?: string };

/** Decoded lines in order, and the decoder's counts once they have all been read. */
export interface DecodedLines {
  lines: AsyncIterable<EngineEvent[]>;
  stats(): DecodeStats;
}

/**
 * The worker's entry: it runs TypeScript, through tsx's require hook. (Node 20 does not carry
 * the ESM loader that `tsx` or `--import tsx` registers into a worker thread; the CommonJS hook
 * is installed in the thread itself.) Called here only: import.meta is not there in the worker.
 */
function bootstrap(): string {
  const api = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const entry = fileURLToPath(new URL('./decode-worker.ts', import.meta.url));
  return `require(${JSON.stringify(api)}).register(); require(${JSON.stringify(entry)});`;
}

export function decodeInWorker(file: string, defaults: ParseDefaults): DecodedLines {
  let stats: DecodeStats | null = null;
  async function* lines(): AsyncGenerator<EngineEvent[]> {
    const worker = new Worker(bootstrap(), {
      eval: true, execArgv: [], workerData: { file, defaults } satisfies DecodeWorkerData,
      // its live data is a line and a few batches: a small heap keeps the process's memory near the engine's own
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    const unpacker = new ColumnUnpacker();
    const queue: FromDecodeWorker[] = [];
    let notify: (() => void) | null = null;
    const push = (m: FromDecodeWorker) => {
      queue.push(m);
      if (notify) notify();
    };
    worker.on('message', push);
    worker.on('error', (e) => push({ type: 'error', message: `the decoding thread failed: ${e.message}` }));
    worker.on('exit', (code) => push({ type: 'error', message: `the decoding thread exited (code ${code})` }));
    try {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => { notify = resolve; });
        notify = null;
        const m = queue.shift()!;
        if (m.type === 'end') {
          stats = m.stats;
          return;
        }
        if (m.type === 'error') throw Object.assign(new Error(m.message), m.code ? { code: m.code } : {});
        // taken: the worker may decode the next batch while the engine runs on this one
        worker.postMessage(0);
        for (const l of unpacker.unpack(m.lines)) yield l;
      }
    } finally {
      await worker.terminate();
    }
  }
  return {
    lines: lines(),
    stats: () => {
      if (stats === null) throw new Error('decode statistics asked for before the last line was read');
      return stats;
    },
  };
}
