import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleHeartbeat } from '@/server/fleet/http';
import { handleIngest } from '@/server/ingest/http';
import type { Runtime } from '@/server/runtime';

type Handler = (req: Request, rt: Runtime) => Promise<Response>;

/**
 * The telemetry routes, served by the console process itself. They are the hot path (every
 * proxy, every few seconds) and need nothing from Next.js, whose per-request work cost ~10%
 * of ingest CPU. The same handlers also sit behind app/ route files for `next dev`.
 */
const ROUTES: Record<string, Handler> = {
  '/v1/logs': (req, rt) => handleIngest(req, 'otlp', rt),
  '/api/ingest/envoy': (req, rt) => handleIngest(req, 'envoy', rt),
  '/api/fleet/v1/status': handleHeartbeat,
};

export function telemetryRoute(req: IncomingMessage): Handler | null {
  if (req.method !== 'POST' || !req.url) return null;
  const q = req.url.indexOf('?');
  return ROUTES[q < 0 ? req.url : req.url.slice(0, q)] ?? null;
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

export async function serveTelemetry(handler: Handler, req: IncomingMessage, res: ServerResponse, rt: Runtime) {
  try {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, {
      method: 'POST',
      headers,
      body: bodyStream(req),
      duplex: 'half',
    } as RequestInit);
    const response = await handler(request, rt);
    const out: Record<string, string> = { 'x-content-type-options': 'nosniff' };
    response.headers.forEach((v, k) => (out[k] = v));
    const body = Buffer.from(await response.arrayBuffer());
    out['content-length'] = String(body.length);
    res.writeHead(response.status, out);
    res.end(body);
  } catch {
    // The client went away mid-body, or the handler broke: nothing useful to say but this.
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'internal error' }));
  }
}
