import type { CohortName } from './cohorts';

/** A sensitive-data match as a proxy filter reports it (`meshward.sensitive`): class, direction, count, path. */
export interface SensitiveMatch {
  class: string;
  direction: 'request' | 'response';
  count: number;
  path?: string;
  /** truncated hash of the value (LeakSignal's partial), never the value */
  partial?: string;
}

/**
 * One access event as the simulator generates it: what a proxy would report, plus what only
 * the simulator knows (parent span, template, attack instance). Transport sends the first part only.
 */
export interface SimRecord {
  /** start, epoch milliseconds */
  ts: number;
  /** nanoseconds within that millisecond */
  tsNanos: number;
  requestId: string;
  /** index of the reporting proxy in `topology.proxies`: a replica of the destination */
  proxy: number;
  srcService: string;
  dstService: string;
  method: string;
  path: string;
  query: string | null;
  status: number;
  responseFlags: string | null;
  durationMs: number;
  bytesIn: number;
  bytesOut: number;
  clientIp: string;
  clientPort: number;
  userAgent: string;
  serverAddress: string;
  protocol: string;
  tokenId: string | null;
  user: string | null;
  mtls: boolean;
  sensitive: SensitiveMatch[] | null;
  sample: string | null;
  /** sent in OTLP (as an OpenTelemetry access logger would), not in Envoy's JSON lines */
  traceId: string;
  spanId: string;
  // ---- never sent ----
  parentSpanId: string | null;
  /** `ns/name METHOD /template`, or null for a path no service defines (scanners) */
  endpoint: string | null;
  /** the attack instance this request belongs to */
  attack: string | null;
  /** the benign cohorts (hard negatives) whose behaviour this request is part of; null outside any */
  cohorts: readonly CohortName[] | null;
}

export const byTime = (a: SimRecord, b: SimRecord) =>
  a.ts - b.ts || a.tsNanos - b.tsNanos || (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0);
