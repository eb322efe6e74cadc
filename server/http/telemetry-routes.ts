import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleHeartbeat, type HeartbeatDeps } from '@/server/fleet/http';
import { handleEnvoyIngest, handleOtlpIngest, type IngestDeps } from '@/server/ingest/http';
import { log } from '@/server/log';
import { BUNDLES_PATH, handleBundle, type BundleDeps } from '@/server/policy/http';
import { UNAVAILABLE_RETRY_S } from './machine-route';

/** What the machine-facing routes use of the console, together. */
export type TelemetryDeps = IngestDeps & HeartbeatDeps & BundleDeps;
type Handler = (req: Request, deps: TelemetryDeps) => Promise<Response>;

/**
 * The machine-facing routes, served by the console process itself. They are the hot path
 * (every proxy, every few seconds) and need nothing from Next.js, whose per-request work cost
 * ~10% of ingest CPU; and the bundle path is decoded here, by the route, not by Next's
 * router. The same handlers also sit behind app/ route files.
 */
const POST_ROUTES: Record<string, Handler> = {
  '/v1/logs': handleOtlpIngest,
  '/api/ingest/envoy': handleEnvoyIngest,
  '/api/fleet/v1/status': handleHeartbeat,
};

export function telemetryRoute(req: IncomingMessage): Handler | null {
  if (!req.url?.startsWith('/')) return null;
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  if (req.method === 'POST') return POST_ROUTES[path] ?? null;
  if (req.method === 'GET' && path.startsWith(BUNDLES_PATH)) return handleBundle;
  return null;
}

/**
 * The request body as a web stream with backpressure. Cancelling it (a body over the size
 * limit) discards the rest instead of destroying the socket, so the sender still reads the
 * 413 rather than a connection reset.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) req.pause();
        });
        req.on('end', () => {
          if (!done) controller.close();
          done = true;
        });
        req.on('error', (e) => {
          if (!done) controller.error(e);
          done = true;
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        done = true;
        req.resume();
      },
    },
    { highWaterMark: 8 },
  );
}

export async function serveTelemetry(handler: Handler, req: IncomingMessage, res: ServerResponse, deps: TelemetryDeps) {
  try {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    // A fixed origin: the Host header is the sender's to choose and must not reshape the path.
    const request = new Request(`http://console${req.url}`, {
      method: req.method,
      headers,
      ...(req.method === 'POST' ? { body: bodyStream(req), duplex: 'half' } : {}),
    } as RequestInit);
    const response = await handler(request, deps);
    // A body the handler did not read to the end (refused before or while reading it) is
    // discarded, so that the sender gets its answer and the connection its next request;
    // left paused, the connection would hang until a server timeout reset it.
    if (!req.complete) {
      req.removeAllListeners('data');
      req.resume();
    }
    const out: Record<string, string> = { 'x-content-type-options': 'nosniff' };
    response.headers.forEach((v, k) => (out[k] = v));
    const body = Buffer.from(await response.arrayBuffer());
    out['content-length'] = String(body.length);
    res.writeHead(response.status, out);
    res.end(body);
  } catch (e) {
    // machineRoute answers every failure itself; this is the client gone mid-answer or a bug
    // here. Still not a 500: the sender should retry.
    log.warn({ err: e }, 'telemetry request failed outside its handler');
    if (!res.headersSent) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(UNAVAILABLE_RETRY_S) });
      res.end(JSON.stringify({ error: 'the console could not handle this request; retry later' }));
    } else {
      res.destroy();
    }
  }
}
