import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type IngestRoute = 'otlp' | 'envoy' | 'heartbeat';
/** Why a machine request (ingest, heartbeat, bundle) was refused: the `reason` label. */
export type RefusalReason =
  | 'malformed' | 'too_large' | 'overloaded' | 'unauthorized' | 'unavailable' | 'unsupported_media_type' | 'invalid' | 'internal'
  | 'forbidden_proxy' | 'forbidden_service' | 'not_found';
export type BatchRejection = RefusalReason;

/** Telemetry bytes and request bodies held right now (server/http/inflight.ts). */
export interface InflightGauge {
  bytes: number;
  bodies: number;
}

/** Prometheus metrics of one console process, served at GET /metrics. */
export function createMetrics(queueDepth: () => number, inflight: () => InflightGauge = () => ({ bytes: 0, bodies: 0 })) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'meshward_' });
  const batches = new Counter({
    name: 'meshward_ingest_batches_total',
    help: 'Telemetry batches by route and result (accepted, partial, rejected) and rejection reason',
    labelNames: ['route', 'result', 'reason'] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: 'meshward_ingest_events_total',
    help: 'Access events by route and result: stored, duplicate (already stored), rejected (with reason)',
    labelNames: ['route', 'result', 'reason'] as const,
    registers: [registry],
  });
  const batchSeconds = new Histogram({
    name: 'meshward_ingest_batch_duration_seconds',
    help: 'Time from receiving a batch to answering it, after commit',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dbErrors = new Counter({
    name: 'meshward_db_errors_total',
    help: 'Database statements that failed, by operation',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'meshward_ingest_queue_events',
    help: 'Access events accepted into the in-memory write queue and not yet committed',
    registers: [registry],
    collect() {
      this.set(queueDepth());
    },
  });
  new Gauge({
    name: 'meshward_ingest_inflight_bytes',
    help: 'Bytes held by telemetry requests: bodies being read or inflated, parsed batches waiting for their commit (estimated)',
    registers: [registry],
    collect() {
      this.set(inflight().bytes);
    },
  });
  new Gauge({
    name: 'meshward_ingest_inflight_requests',
    help: 'Telemetry requests holding a body (being read, parsed, or waiting for their commit)',
    registers: [registry],
    collect() {
      this.set(inflight().bodies);
    },
  });
  return {
    registry,
    batchAccepted(route: IngestRoute, stored: number, duplicates: number, rejected: number, seconds: number) {
      batches.inc({ route, result: rejected ? 'partial' : 'accepted', reason: rejected ? 'invalid_record' : '' });
      if (stored) events.inc({ route, result: 'stored', reason: '' }, stored);
      if (duplicates) events.inc({ route, result: 'duplicate', reason: '' }, duplicates);
      if (rejected) events.inc({ route, result: 'rejected', reason: 'invalid_record' }, rejected);
      batchSeconds.observe({ route }, seconds);
    },
    batchRejected(route: IngestRoute, reason: BatchRejection, eventCount: number, seconds: number) {
      batches.inc({ route, result: 'rejected', reason });
      if (eventCount) events.inc({ route, result: 'rejected', reason }, eventCount);
      batchSeconds.observe({ route }, seconds);
    },
    dbError(operation: string) {
      dbErrors.inc({ operation });
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
