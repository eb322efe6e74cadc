import { INFLATE_RATIO } from '@/server/config';
import type { ProxyPrincipal } from '@/server/fleet/tokens';
import { BodyError, readBody } from '@/server/ingest/body';
import { encodeRpcStatus } from '@/server/ingest/otlp-proto';
import { log } from '@/server/log';
import { isDatabaseError } from '@/server/ops/error-summary';
import type { Metrics, RefusalReason } from '@/server/ops/metrics';
import { InflightExceeded, type InflightBudget, type InflightLease } from './inflight';

/**
 * The machine equivalent of requirePermission: every route a proxy or agent calls (ingest, heartbeat,
 * bundles) goes through machineRoute, which authenticates the proxy token, reads the body
 * within the memory budget, and turns every failure into OTLP/HTTP status semantics:
 *
 * - the sender's fault: 400 (malformed), 401 (token), 403 (scope, ownership), 404, 413, 415;
 *   a well-behaved sender does not retry these.
 * - the console's load: 429 + Retry-After.
 * - anything else (the database down, a token lookup or ownership check failing, a writer
 *   error, an exception nobody expected): 503 + Retry-After, never 500. OTLP exporters and
 *   the nginx agent drop a batch answered 500 but retry one answered 503, so a console fault
 *   must never cost telemetry.
 */

export type RefusalStatus = 400 | 401 | 403 | 404 | 413 | 415 | 429 | 503;

/** A refusal a handler throws: the status, a metric reason, and a message the sender can act on. */
export class MachineRefusal extends Error {
  constructor(
    readonly status: RefusalStatus,
    readonly reason: RefusalReason,
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

/** Seconds a sender is asked to wait when the console itself is at fault. */
export const UNAVAILABLE_RETRY_S = 5;

/** What every machine route needs, and nothing more. */
export interface MachineDeps {
  tokens: { verify(token: string): Promise<ProxyPrincipal | null> };
  inflight: Pick<InflightBudget, 'enter'>;
  metrics: Pick<Metrics, 'dbError'>;
}

/** One authenticated request, as a handler sees it. */
export interface MachineCall {
  req: Request;
  principal: ProxyPrincipal;
  /** the request body (inflated), when the route reads one; a handler clears it once parsed */
  body: Uint8Array | null;
  /** this request's share of the memory budget; null for routes without a body */
  lease: InflightLease | null;
  /** performance.now() at arrival */
  started: number;
  /** access events parsed from the body, for the refusal metrics */
  events: number;
}

export type ErrorFormat = 'otlp' | 'json';

export interface MachineRouteSpec<D> {
  /** label for logs and metrics */
  name: string;
  /** `otlp`: google.rpc.Status (protobuf or JSON, by the request's content type); `json`: `{ "error": … }` */
  format: ErrorFormat;
  realm: string;
  /** checks on the request's headers, before its body is read (a 415 costs no body) */
  accept?: (req: Request) => void;
  /** read the body, at most this many bytes (gzip may inflate 8× more) */
  maxBodyBytes?: (deps: D) => number;
  handle: (call: MachineCall, deps: D) => Promise<Response>;
  /** after a refusal is decided, before it is answered (metrics) */
  onRefused?: (refusal: MachineRefusal, call: Partial<MachineCall>, deps: D) => void;
}

// gRPC status codes carried in OTLP error bodies (google.rpc.Status).
const GRPC: Record<RefusalStatus, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 413: 3, 415: 3, 429: 8, 503: 14 };


export function isProtobuf(req: Request): boolean {
  const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/x-protobuf' || type === 'application/protobuf';
}

/** The token of an `Authorization: Bearer …` header, or null. */
function bearerToken(req: Request): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get('authorization') ?? '');
  return m ? m[1] : null;
}

export function refusalResponse(format: ErrorFormat, realm: string, req: Request, r: MachineRefusal): Response {
  const headers: Record<string, string> = {};
  if (r.status === 429 || r.status === 503) headers['retry-after'] = String(Math.max(1, Math.ceil(r.retryAfterS ?? UNAVAILABLE_RETRY_S)));
  if (r.status === 401) headers['www-authenticate'] = `Bearer realm="${realm}"`;
  if (format === 'otlp' && isProtobuf(req)) {
    headers['content-type'] = 'application/x-protobuf';
    return new Response(Buffer.from(encodeRpcStatus(GRPC[r.status], r.message)), { status: r.status, headers });
  }
  headers['content-type'] = 'application/json';
  const body = format === 'otlp' ? { code: GRPC[r.status], message: r.message } : { error: r.message };
  return new Response(JSON.stringify(body), { status: r.status, headers });
}

/** Any error as the refusal the sender gets; what is not the sender's fault is 503. */
export function toRefusal(e: unknown): MachineRefusal {
  if (e instanceof MachineRefusal) return e;
  if (e instanceof BodyError) {
    return new MachineRefusal(e.status, e.status === 413 ? 'too_large' : e.status === 415 ? 'unsupported_media_type' : 'malformed', e.message);
  }
  if (e instanceof InflightExceeded) return new MachineRefusal(429, 'overloaded', e.message, e.retryAfterS);
  const o = e as { code?: unknown; message?: unknown; retryAfterS?: unknown } | null;
  const message = typeof o?.message === 'string' ? o.message : '';
  const retry = typeof o?.retryAfterS === 'number' ? o.retryAfterS : undefined;
  // The parsers' and the writer's own refusals (server/ingest/event.ts, writer.ts): their messages are written for the sender.
  if (o?.code === 'malformed_batch') return new MachineRefusal(400, 'malformed', message);
  if (o?.code === 'invalid' && !isDatabaseError(e)) return new MachineRefusal(400, 'invalid', message);
  if (o?.code === 'overloaded') return new MachineRefusal(429, 'overloaded', message, retry ?? 1);
  if (o?.code === 'unavailable' && !isDatabaseError(e)) return new MachineRefusal(503, 'unavailable', message, retry ?? UNAVAILABLE_RETRY_S);
  if (isDatabaseError(e)) return new MachineRefusal(503, 'unavailable', 'the database is unavailable; retry later', UNAVAILABLE_RETRY_S);
  return new MachineRefusal(503, 'internal', 'the console could not handle this request; retry later', UNAVAILABLE_RETRY_S);
}

async function authenticate(req: Request, tokens: MachineDeps['tokens']): Promise<ProxyPrincipal> {
  const token = bearerToken(req);
  const principal = token ? await tokens.verify(token) : null;
  if (!principal) throw new MachineRefusal(401, 'unauthorized', 'a valid proxy token is required (Authorization: Bearer …)');
  return principal;
}

const LOG_EVERY_MS = 5_000;
const lastLogged = new Map<string, { at: number; suppressed: number }>();

/**
 * During a database outage every proxy's every request fails alike: one line per route and
 * reason every few seconds, with how many were left out, says as much as thousands would.
 */
function logSampled(route: string, reason: string, err: unknown) {
  const key = `${route}\u0000${reason}`;
  const now = Date.now();
  const last = lastLogged.get(key);
  if (last && now - last.at < LOG_EVERY_MS) {
    last.suppressed += 1;
    return;
  }
  lastLogged.set(key, { at: now, suppressed: 0 });
  log.warn({ route, status: 503, reason, err, alike_not_logged: last?.suppressed ?? 0 }, 'machine request refused: the console could not handle it');
}

/** A route handler `(req, deps) => Response` that never throws and never answers 500. */
export function machineRoute<D extends MachineDeps>(spec: MachineRouteSpec<D>): (req: Request, deps: D) => Promise<Response> {
  return async (req, deps) => {
    const call: Partial<MachineCall> & { req: Request; started: number; events: number } = {
      req, started: performance.now(), events: 0, body: null, lease: null,
    };
    try {
      call.principal = await authenticate(req, deps.tokens);
      spec.accept?.(req);
      if (spec.maxBodyBytes) {
        call.lease = deps.inflight.enter();
        call.body = await readBody(req, spec.maxBodyBytes(deps), INFLATE_RATIO, call.lease);
      }
      return await spec.handle(call as MachineCall, deps);
    } catch (e) {
      const refusal = toRefusal(e);
      if (refusal.status === 503) {
        if (isDatabaseError(e)) deps.metrics.dbError(spec.name);
        logSampled(spec.name, refusal.reason, e);
      }
      try {
        spec.onRefused?.(refusal, call, deps);
      } catch {
        // metrics must not turn a refusal into a failure
      }
      return refusalResponse(spec.format, spec.realm, req, refusal);
    } finally {
      call.body = null;
      call.lease?.release();
    }
  };
}
