import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Config } from '@/server/config';
import { log } from '@/server/log';
import type { Metrics } from './metrics';

/**
 * GET /metrics. Its counters describe the fleet (which routes are refused and why, queue
 * depth, database errors): not for anyone who can reach the console. On the main port it is
 * served only to `Authorization: Bearer <MESHWARD_METRICS_TOKEN>`; without that setting it is
 * not served there at all (404). MESHWARD_METRICS_LISTEN serves it, without a token, on a
 * separate address meant for the scraper's network only.
 */
export interface MetricsDeps {
  metrics: Pick<Metrics, 'registry'>;
  config: Pick<Config, 'MESHWARD_METRICS_TOKEN'>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

async function exposition(metrics: Pick<Metrics, 'registry'>): Promise<Response> {
  return new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' } });
}

export async function handleMetrics(req: Request, deps: MetricsDeps): Promise<Response> {
  const expected = deps.config.MESHWARD_METRICS_TOKEN;
  if (!expected) {
    return Response.json(
      { error: 'metrics are not served on this port: set MESHWARD_METRICS_TOKEN (bearer token) or MESHWARD_METRICS_LISTEN (separate address)' },
      { status: 404 },
    );
  }
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.get('authorization') ?? '');
  if (!m || !sameSecret(m[1], expected)) {
    return Response.json({ error: 'GET /metrics needs Authorization: Bearer <MESHWARD_METRICS_TOKEN>' }, {
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="meshward-metrics"' },
    });
  }
  return exposition(deps.metrics);
}

/** `127.0.0.1:9464` or `[::1]:9464` as host and port. */
export function parseListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  const host = listen.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = Number(listen.slice(i + 1));
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`MESHWARD_METRICS_LISTEN "${listen}" is not host:port`);
  return { host, port };
}

/** A listener that answers GET /metrics and nothing else. */
export function startMetricsListener(listen: string, metrics: Pick<Metrics, 'registry'>): Promise<Server> {
  const { host, port } = parseListen(listen);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is served here\n');
      return;
    }
    void exposition(metrics).then(
      async (r) => {
        res.writeHead(200, { 'content-type': r.headers.get('content-type') ?? 'text/plain' });
        res.end(await r.text());
      },
      (e) => {
        log.warn({ err: e }, 'metrics exposition failed');
        res.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      log.info({ url: `http://${listen}/metrics` }, 'metrics listening');
      resolve(server);
    });
  });
}
