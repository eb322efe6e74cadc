// The detection engine over a file of OTLP/HTTP JSON requests, offline: what the `detect` CLI
// (scripts/detect.ts) and the detection benchmark (scripts/bench-detection.ts) both run. Each
// line is decoded with the console's own OTLP parser (records the console would refuse are
// skipped and counted; from a file, on a second thread: decode-thread.ts), fed to the engine as one batch, and the engine is advanced to the newest
// event time less the lateness: lines from several proxies arrive minutes out of order. The
// latest version of every detection is kept by id, with the moment it was first reported.
import { MalformedBatchError, type ParseDefaults } from '@/server/ingest/event';
import { parseOtlp } from '@/server/ingest/otlp';
import { LINE_TOO_LONG, openInput, readLines } from './cli-lines';
import { decodeInWorker, type DecodedLines } from './decode-thread';
import { DEFAULT_LATENESS_MS, DetectionEngine } from './engine';
import { toEngineEvent } from './events';
import type { ActorRef, Detection, DetectionKind, EngineEvent } from './types';

/** What the runner needs of an engine: `DetectionEngine`, or a fake in tests. */
export interface DetectEngine {
  observe(events: readonly EngineEvent[]): void;
  advance(watermark: number): Detection[];
}

export type EngineFactory = (o: { latenessMs: number }) => DetectEngine;

export const defaultEngineFactory: EngineFactory = (o) => new DetectionEngine({ latenessMs: o.latenessMs });

/**
 * The console refuses events outside its retention window around "now"; a file replays the past
 * (the held-out generator's days are in May 2025), so offline only the far future is refused.
 */
export function offlineDefaults(now = Date.now()): ParseDefaults {
  return { proxyId: 'detect-cli', now, retentionDays: 100 * 365 };
}

export interface DecodeStats {
  /** non-empty lines read */
  lines: number;
  events: number;
  /** records the console would refuse, inside lines that parsed */
  skippedRecords: number;
  /** lines refused whole: not JSON, not an OTLP request, no valid record, or too long */
  badLines: number;
  /** the first few reasons, `line N: …` (N counts non-empty lines) */
  messages: string[];
}

const MAX_MESSAGES = 5;

/** One line (one `ExportLogsServiceRequest`) → engine events, counting what is refused. */
export class LineDecoder {
  readonly stats: DecodeStats = { lines: 0, events: 0, skippedRecords: 0, badLines: 0, messages: [] };

  constructor(private readonly defaults: ParseDefaults = offlineDefaults()) {}

  decode(line: Uint8Array | typeof LINE_TOO_LONG): EngineEvent[] {
    const s = this.stats;
    s.lines += 1;
    if (line === LINE_TOO_LONG) {
      s.badLines += 1;
      this.note(`line ${s.lines}: longer than the line limit, skipped`);
      return [];
    }
    try {
      const r = parseOtlp(line, 'json', this.defaults);
      s.skippedRecords += r.rejected;
      for (const m of r.errors) this.note(`line ${s.lines}: ${m}`);
      s.events += r.events.length;
      return r.events.map(toEngineEvent);
    } catch (e) {
      if (!(e instanceof MalformedBatchError)) throw e;
      s.badLines += 1;
      this.note(`line ${s.lines}: ${e.message}`);
      return [];
    }
  }

  private note(message: string) {
    if (this.stats.messages.length < MAX_MESSAGES) this.stats.messages.push(message.slice(0, 300));
  }
}

export const actorKey = (a: ActorRef) => `${a.type}:${a.id}`;

/** The actor types the CLI and the benchmark name: ip groups and services are dropped. */
export const isNamedActor = (a: ActorRef) => a.type === 'token' || a.type === 'user' || a.type === 'ip';

/** A detection's latest version, and when the run first saw it. */
export interface TrackedDetection {
  id: string;
  kind: DetectionKind;
  actors: ActorRef[];
  start: number;
  end: number;
  score: number;
  /** the watermark of the `advance` that first returned this id */
  emittedWatermark: number;
  /** the newest event time seen then: when, in event time, a person could have seen it */
  emittedAt: number;
  /** per token, user or ip actor (`type:id`): the newest event time seen when the detection first named it */
  actorSince: Map<string, number>;
}

export interface RunOptions {
  latenessMs?: number;
  engine?: EngineFactory;
  /** advance at most once per this much event time (default 10 s, about how often the console ticks; 0: whenever the watermark moves) */
  advanceEveryMs?: number;
  decoder?: LineDecoder;
  /** sees every decoded batch in the order fed (the benchmark collects the actors seen) */
  onEvents?: (events: readonly EngineEvent[]) => void;
}

export interface RunResult {
  /** in the order first reported */
  detections: TrackedDetection[];
  stats: DecodeStats;
  /** wall time of reading, decoding and the engine */
  seconds: number;
  peakRssBytes: number;
  /** the newest event time fed (−∞ without events) */
  newest: number;
  advances: number;
}

const RSS_EVERY_LINES = 256;

/** The lines decoded on this thread, one after another. */
function decodedHere(lines: AsyncIterable<Uint8Array | typeof LINE_TOO_LONG>, decoder: LineDecoder): DecodedLines {
  async function* decoded() {
    for await (const line of lines) yield decoder.decode(line);
  }
  return { lines: decoded(), stats: () => decoder.stats };
}

/** Feeds the lines to a fresh engine and collects what it reports, up to the end of the stream. */
export function runDetection(lines: AsyncIterable<Uint8Array | typeof LINE_TOO_LONG>, o: RunOptions = {}): Promise<RunResult> {
  return runDecoded(decodedHere(lines, o.decoder ?? new LineDecoder()), o);
}

/**
 * `runDetection` over a file, decoded on a second thread (decode-thread.ts), or over standard
 * input for `-`, decoded on this one.
 */
export function runDetectionOnFile(file: string, o: RunOptions = {}): Promise<RunResult> {
  if (file === '-' || o.decoder) return runDetection(readLines(openInput(file)), o);
  return runDecoded(decodeInWorker(file, offlineDefaults()), o);
}

async function runDecoded(source: DecodedLines, o: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const latenessMs = o.latenessMs ?? DEFAULT_LATENESS_MS;
  const step = o.advanceEveryMs ?? 10_000;
  const engine = (o.engine ?? defaultEngineFactory)({ latenessMs });
  const found = new Map<string, TrackedDetection>();
  let newest = Number.NEGATIVE_INFINITY;
  let advanced = Number.NEGATIVE_INFINITY;
  let advances = 0;
  let peak = process.memoryUsage.rss();

  const collect = (detections: Detection[], watermark: number) => {
    advances += 1;
    for (const d of detections) {
      let t = found.get(d.id);
      if (!t) {
        t = { id: d.id, kind: d.kind, actors: [...d.actors], start: d.start, end: d.end, score: d.score, emittedWatermark: watermark, emittedAt: newest, actorSince: new Map() };
        found.set(d.id, t);
      } else Object.assign(t, { kind: d.kind, actors: [...d.actors], start: d.start, end: d.end, score: d.score });
      for (const a of d.actors) {
        if (!isNamedActor(a)) continue;
        const k = actorKey(a);
        if (!t.actorSince.has(k)) t.actorSince.set(k, newest);
      }
    }
  };

  let n = 0;
  for await (const events of source.lines) {
    if ((++n) % RSS_EVERY_LINES === 0) peak = Math.max(peak, process.memoryUsage.rss());
    if (!events.length) continue;
    for (const e of events) if (e.ts > newest) newest = e.ts;
    engine.observe(events);
    o.onEvents?.(events);
    const watermark = newest - latenessMs;
    if (watermark > advanced && watermark - advanced >= step) {
      advanced = watermark;
      collect(engine.advance(watermark), watermark);
    }
  }
  // the end of the stream: nothing more will come, every open session and window can be judged
  collect(engine.advance(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { detections: [...found.values()], stats: source.stats(), seconds: (performance.now() - started) / 1000, peakRssBytes: peak, newest, advances };
}

// ---- output -----------------------------------------------------------------------------------

export interface CliDetection {
  kind: DetectionKind;
  actors: { type: 'token' | 'user' | 'ip'; id: string }[];
  start: string | null;
  end: string | null;
  score: number;
}

const iso = (t: number) => (Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? new Date(t).toISOString() : null);

/** The CLI's stdout: the detections by start time, token/user/ip actors only, ISO times. */
export function cliOutput(detections: readonly TrackedDetection[]): { detections: CliDetection[] } {
  const sorted = [...detections].sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    detections: sorted.map((d) => ({
      kind: d.kind,
      actors: d.actors.filter(isNamedActor).map((a) => ({ type: a.type as CliDetection['actors'][number]['type'], id: a.id })),
      start: iso(d.start),
      end: iso(d.end),
      score: d.score,
    })),
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The CLI's stderr summary. */
export function summaryLine(r: RunResult): string {
  const s = r.stats;
  return `detect: events=${s.events} lines=${s.lines} skipped=${s.skippedRecords} bad_lines=${s.badLines} detections=${r.detections.length} ` +
    `elapsed_s=${round(r.seconds, 1)} events_per_s=${Math.round(s.events / Math.max(r.seconds, 1e-9))} peak_rss_mb=${Math.round(r.peakRssBytes / 2 ** 20)}`;
}
