import protobuf from 'protobufjs';
import type { Runtime } from '@/server/runtime';
import type { BatchRejection, IngestRoute } from '@/server/ops/metrics';
import { log } from '@/server/log';
import { foreignProxyMessage } from '@/server/fleet/ownership';
import { bearerToken } from './bearer';
import { BodyError, readBody } from './body';
import { parseEnvoyNdjson } from './envoy';
import type { ParseDefaults, ParseResult } from './event';
import { parseOtlp } from './otlp';
import { encodeExportLogsResponse } from './otlp-proto';
import type { WriteRefused } from './writer';

type Wire = 'protobuf' | 'json';

// gRPC status codes carried in OTLP error bodies (google.rpc.Status).
const GRPC = { 400: 3, 401: 16, 403: 7, 413: 3, 415: 3, 429: 8, 500: 13, 503: 14 } as const;
type ErrorStatus = keyof typeof GRPC;

/** google.rpc.Status { int32 code = 1; string message = 2; } */
function encodeStatus(code: number, message: string): Uint8Array {
  return protobuf.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
}

class Refusal {
  constructor(
    readonly status: ErrorStatus,
    readonly reason: BatchRejection,
    readonly message: string,
    readonly retryAfterS?: number,
  ) {}
}

function errorResponse(route: IngestRoute, wire: Wire, r: Refusal): Response {
  const headers: Record<string, string> = {};
  if (r.retryAfterS) headers['retry-after'] = String(r.retryAfterS);
  if (r.status === 401) headers['www-authenticate'] = 'Bearer realm="meshward-ingest"';
  if (route === 'otlp' && wire === 'protobuf') {
    headers['content-type'] = 'application/x-protobuf';
    return new Response(Buffer.from(encodeStatus(GRPC[r.status], r.message)), { status: r.status, headers });
  }
  headers['content-type'] = 'application/json';
  const body = route === 'otlp' ? { code: GRPC[r.status], message: r.message } : { error: r.message };
  return new Response(JSON.stringify(body), { status: r.status, headers });
}

function otlpWire(contentType: string): Wire | null {
  if (contentType === 'application/x-protobuf' || contentType === 'application/protobuf') return 'protobuf';
  if (contentType === 'application/json') return 'json';
  return null;
}

const ENVOY_TYPES = new Set(['application/x-ndjson', 'application/jsonl', 'application/json', 'text/plain', '']);

function fromWriteRefused(e: WriteRefused): Refusal {
  if (e.code === 'overloaded') return new Refusal(429, 'overloaded', e.message, e.retryAfterS);
  if (e.code === 'invalid') return new Refusal(400, 'invalid', e.message);
  return new Refusal(503, 'unavailable', e.message, e.retryAfterS);
}

function partialMessage(result: ParseResult): string {
  return `${result.rejected} record(s) rejected: ${result.errors.join('; ')}`;
}

/**
 * POST /v1/logs (OTLP/HTTP) and POST /api/ingest/envoy (Envoy JSON access logs):
 * authenticate the proxy, read and parse the batch, and answer only after the valid
 * events are committed.
 */
export async function handleIngest(req: Request, route: 'otlp' | 'envoy', rt: Runtime): Promise<Response> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const contentType = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const wire: Wire = route === 'otlp' ? (otlpWire(contentType) ?? 'json') : 'json';
  let parsedEvents = 0;
  try {
    const token = bearerToken(req);
    const principal = token ? await rt.tokens.verify(token) : null;
    if (!principal) throw new Refusal(401, 'unauthorized', 'a valid proxy token is required (Authorization: Bearer …)');
    if (route === 'otlp' && !otlpWire(contentType)) {
      throw new Refusal(415, 'unsupported_media_type', `content-type "${contentType.slice(0, 60)}" is not supported: use application/x-protobuf or application/json`);
    }
    if (route === 'envoy' && !ENVOY_TYPES.has(contentType)) {
      throw new Refusal(415, 'unsupported_media_type', `content-type "${contentType.slice(0, 60)}" is not supported: send NDJSON (application/x-ndjson)`);
    }
    const body = await readBody(req, rt.config.MESHWARD_INGEST_MAX_BYTES);
    const defaults: ParseDefaults = {
      proxyId: (req.headers.get('x-meshward-proxy-id') ?? '').trim().slice(0, 128) || principal.tokenName,
      now: Date.now(),
      retentionDays: rt.config.MESHWARD_RETENTION_DAYS,
    };
    const result =
      route === 'otlp'
        ? parseOtlp(body, wire, defaults)
        : parseEnvoyNdjson(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), defaults);
    parsedEvents = result.events.length;
    const foreign = await rt.ownership.foreign(result.events.map((e) => e.proxyId), principal.tokenId);
    if (foreign.length) throw new Refusal(403, 'forbidden_proxy', foreignProxyMessage(foreign));
    rt.discovery?.routeEvents(result.events);
    const outcome = await rt.writer.submit(result.events, principal);
    rt.discovery?.observeEvents(result.events);
    rt.metrics.batchAccepted(route, outcome.stored, outcome.duplicates, result.rejected, seconds());
    return successResponse(route, wire, result);
  } catch (e) {
    const refusal = toRefusal(e);
    rt.metrics.batchRejected(route, refusal.reason, parsedEvents, seconds());
    if (refusal.status >= 500) log.warn({ route, status: refusal.status, reason: refusal.reason }, 'ingest batch refused');
    return errorResponse(route, wire, refusal);
  }
}

function toRefusal(e: unknown): Refusal {
  if (e instanceof Refusal) return e;
  if (e instanceof BodyError) return new Refusal(e.status, e.status === 413 ? 'too_large' : e.status === 415 ? 'unsupported_media_type' : 'malformed', e.message);
  const code = (e as { code?: unknown })?.code;
  if (code === 'malformed_batch') return new Refusal(400, 'malformed', (e as Error).message);
  if (code === 'overloaded' || code === 'unavailable' || code === 'invalid') return fromWriteRefused(e as WriteRefused);
  log.error({ err: (e as Error)?.stack ?? String(e) }, 'ingest failed unexpectedly');
  return new Refusal(500, 'internal', 'internal error; the batch was not stored');
}

function successResponse(route: 'otlp' | 'envoy', wire: Wire, result: ParseResult): Response {
  const partial = result.rejected
    ? { rejected_log_records: result.rejected, error_message: partialMessage(result) }
    : null;
  if (route === 'otlp' && wire === 'protobuf') {
    const body = encodeExportLogsResponse(partial ? { rejected: partial.rejected_log_records, message: partial.error_message } : { rejected: 0 });
    return new Response(Buffer.from(body), { status: 200, headers: { 'content-type': 'application/x-protobuf' } });
  }
  const body = route === 'otlp'
    ? (partial ? { partial_success: partial } : {})
    : { accepted: result.events.length, ...(partial ? { partial_success: partial } : {}) };
  return Response.json(body);
}
