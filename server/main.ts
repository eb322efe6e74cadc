import { createServer, type IncomingMessage } from 'node:http';
import next from 'next';
import { CLIENT_IP_HEADER } from './http/request-info';
import { serveTelemetry, telemetryRoute } from './http/telemetry-routes';
import { log } from './log';
import { getRuntime } from './runtime';

/**
 * The console process: opens the database (migrations, first admin, jobs) before it
 * listens, stamps each request with the caller's address, and on SIGTERM/SIGINT stops
 * taking requests, commits what the ingest queue holds and closes the database.
 */
const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME_BIND ?? '0.0.0.0';
const trustProxy = ['1', 'true', 'on'].includes(process.env.MESHWARD_TRUST_PROXY ?? '');

function callerAddress(req: IncomingMessage): string {
  const socketIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (!trustProxy) return socketIp;
  const xff = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  // The last hop is the one our load balancer added; earlier ones are whatever the client claimed.
  return xff.length ? xff[xff.length - 1] : socketIp;
}

async function main() {
  const runtime = await getRuntime();
  const app = next({ dev, dir: process.cwd(), port, hostname: 'localhost' });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    delete req.headers[CLIENT_IP_HEADER];
    req.headers[CLIENT_IP_HEADER] = callerAddress(req);
    if (!trustProxy) delete req.headers['x-forwarded-for'];
    const telemetry = telemetryRoute(req);
    if (telemetry) void serveTelemetry(telemetry, req, res, runtime);
    else void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, hostname, () => {
    log.info({ url: `http://localhost:${port}`, engine: runtime.database.engine, dev }, 'Meshward console listening');
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining the ingest queue');
    server.close();
    server.closeIdleConnections();
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await runtime.shutdown();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  log.fatal({ err: (e as Error).message }, 'Meshward failed to start');
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
