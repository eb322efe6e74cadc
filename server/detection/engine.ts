// The detection engine (issue 10): events in, in event time and out of order within
// `latenessMs`; analyzers watch them; `advance(watermark)` returns the detections opened or
// changed up to the watermark. The console, the `detect` CLI, the backtest and the benchmark all
// run this class. Placeholder until the engine lands: the public surface is fixed, the insides
// find nothing yet.
import { SequenceAnalyzer } from './sequence';
import { DEFAULT_THRESHOLDS, type AllowEntry, type Analyzer, type Detection, type EngineEvent, type ThresholdSet } from './types';

export interface EngineOptions {
  thresholds?: ThresholdSet;
  allow?: AllowEntry[];
  /** how late an event may arrive after the newest one seen (batches from proxies arrive minutes apart) */
  latenessMs?: number;
  /** replaces the default analyzers (tests) */
  analyzers?: Analyzer[];
}

export const DEFAULT_LATENESS_MS = 10 * 60_000;

export class DetectionEngine {
  private thresholds: ThresholdSet;
  private allow: AllowEntry[];
  readonly latenessMs: number;
  private readonly analyzers: Analyzer[];
  private newest = Number.NEGATIVE_INFINITY;

  constructor(o: EngineOptions = {}) {
    this.thresholds = o.thresholds ?? { global: DEFAULT_THRESHOLDS, services: {} };
    this.allow = o.allow ?? [];
    this.latenessMs = o.latenessMs ?? DEFAULT_LATENESS_MS;
    this.analyzers = o.analyzers ?? [new SequenceAnalyzer()];
  }

  setThresholds(t: ThresholdSet): void {
    this.thresholds = t;
  }

  setAllowList(a: AllowEntry[]): void {
    this.allow = a;
  }

  /** Takes events in any order; ones older than the watermark already passed are counted late and dropped. */
  observe(events: readonly EngineEvent[]): void {
    for (const e of events) {
      if (e.ts > this.newest) this.newest = e.ts;
      for (const a of this.analyzers) a.observe(e);
    }
  }

  /** The watermark the stream itself allows: the newest event time less the lateness. */
  get watermark(): number {
    return this.newest - this.latenessMs;
  }

  /** Detections opened or changed since the last call, judged up to `watermark`. */
  advance(watermark: number = this.watermark): Detection[] {
    for (const a of this.analyzers) a.collect(watermark);
    void this.thresholds;
    void this.allow;
    return [];
  }
}
