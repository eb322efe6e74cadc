// The detection engine's contract (SPEC "Detection", issue 10). The engine (engine.ts) takes
// access events in event time, runs analyzers over them and turns what they find into
// detections: incidents naming their actors, with a score 0–100 and evidence a person can check.
// The console (server/detection/ console glue), the `detect` CLI and the benchmark all drive the
// same engine through this interface.
import type { ActorType, DetectionKind, Severity } from '@/lib/enums';
import type { AccessEventInput } from '@/server/ingest/event';

export type { ActorType, DetectionKind, Severity };

/** The windows every rate, error and spread feature is judged over at once. */
export const WINDOWS = ['5m', '30m', '4h', '24h'] as const;
export type Window = (typeof WINDOWS)[number];
export const WINDOW_MS: Record<Window, number> = { '5m': 5 * 60_000, '30m': 30 * 60_000, '4h': 4 * 3_600_000, '24h': 24 * 3_600_000 };

export interface ActorRef {
  type: ActorType;
  id: string;
}

/**
 * An access event as the engine sees it: what ingest stored, plus the endpoint template the
 * request belongs to (discovery's, so `/accounts/41139657` and `/accounts/41092538` are one
 * endpoint).
 */
export interface EngineEvent extends Pick<AccessEventInput,
  'ts' | 'requestId' | 'srcService' | 'dstService' | 'method' | 'path' | 'query' | 'status' | 'durationMs' | 'bytesIn' | 'bytesOut' |
  'clientIp' | 'userAgent' | 'tokenId' | 'userId' | 'sensitive'> {
  /** `METHOD /template` of the endpoint, or of the coarse route while discovery knows none */
  endpoint: string;
}

/** One measured fact about an actor, against what is usual: the unit of an explanation. */
export interface FeatureEvidence {
  /** stable name (`rate`, `error_ratio_401`, `distinct_ids`, `sequence_likelihood`, …) */
  feature: string;
  /** the window it was measured over, or null for a whole-session property */
  window: Window | null;
  value: number;
  /** what is usual (the baseline's median, the population's typical value), when there is one */
  baseline: number | null;
  /** how far out it is, in robust deviations (MAD units) or another stated unit */
  deviation: number | null;
  /** one line for a person: "41 logins in 5 min, usually 0–1" */
  text: string;
}

/** A step of an actor's sequence that the sequence model finds unlikely. */
export interface UnlikelyTransition {
  from: string;
  to: string;
  /** the model's smoothed probability of `to` after `from` for this kind of client */
  probability: number;
  count: number;
}

/**
 * What one analyzer found about one actor up to the watermark: a hint of the kind of attack,
 * how strong the evidence is, and the evidence itself. The engine combines signals per actor
 * into a suspicion score and groups actors into detections.
 */
export interface ActorSignal {
  actor: ActorRef;
  /** the service the behaviour was aimed at (the destination of the requests) */
  service: string;
  kind: DetectionKind;
  /** 0–1: how strongly this alone says "attack" (calibrated so independent signals combine) */
  strength: number;
  /** first and last event time of the behaviour behind the signal */
  start: number;
  end: number;
  evidence: FeatureEvidence[];
  transitions?: UnlikelyTransition[];
  /** request ids of a few events that show it */
  examples?: string[];
}

/**
 * A part of the engine that watches the event stream and reports signals. Events arrive in
 * event time but out of order within the engine's allowed lateness; `collect` is called with a
 * watermark (no event older than it will come any more) and returns the signals that hold then.
 */
export interface Analyzer {
  readonly name: string;
  observe(e: EngineEvent): void;
  collect(watermark: number): ActorSignal[];
}

export interface ExampleEvent {
  requestId: string;
  ts: number;
  method: string;
  path: string;
  status: number;
  actor: ActorRef;
}

/** An incident: one attack, however many actors it used. */
export interface Detection {
  /** stable while the incident grows: the engine updates a detection rather than opening a new one */
  id: string;
  kind: DetectionKind;
  service: string | null;
  /** the actors, most implicated first (a distributed attack names hundreds) */
  actors: ActorRef[];
  start: number;
  end: number;
  score: number;
  severity: Severity;
  evidence: {
    features: FeatureEvidence[];
    transitions: UnlikelyTransition[];
    /** the windows whose features fired */
    windows: Window[];
    examples: ExampleEvent[];
    /** requests per minute of the incident's actors against the service, for the timeline chart */
    timeline: { t: number; requests: number; errors: number }[];
  };
}

/** Suspicion thresholds (SPEC): per service, falling back to the global ones. */
export interface Thresholds {
  /** score at which a detection is raised */
  alert: number;
  /** score at which mitigation is proposed */
  mitigate: number;
  /** per-window sensitivity: robust deviations a feature must reach in that window to count */
  windows: Record<Window, number>;
}

export interface ThresholdSet {
  global: Thresholds;
  services: Record<string, Thresholds>;
}

export const DEFAULT_THRESHOLDS: Thresholds = { alert: 60, mitigate: 85, windows: { '5m': 6, '30m': 5, '4h': 4, '24h': 4 } };

/** Known good clients: never scored (search-engine bots, monitors, partners). */
export interface AllowEntry {
  type: 'ip' | 'cidr' | 'token' | 'user' | 'user_agent' | 'service';
  value: string;
  /** why it is trusted, shown in the UI */
  note: string;
}
