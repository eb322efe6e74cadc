import { createServer, type IncomingMessage } from 'node:http';
import path from 'node:path';
import next from 'next';
import { CLIENT_IP_HEADER } from './http/request-info';
import { serveTelemetry, telemetryRoute } from './http/telemetry-routes';
import { log } from './log';
import { guardConsole } from './ops/console-guard';
import { describeError } from './ops/error-summary';
import { startMetricsListener } from './ops/metrics-http';
import { getRuntime, type Runtime } from './runtime';
import type { EmbeddedSimulator } from '@/simulator/embedded';
import { startDemoFleet } from './fleet/demo-fleet';
import { firstAdminNotice } from './users/first-admin-notice';

/**
 * The console process: opens the database (migrations, first admin, jobs) before it
 * listens, stamps each request with the caller's address, starts the demo fleet when
 * MESHWARD_SIMULATOR is on, and on SIGTERM/SIGINT stops the fleet and taking requests,
 * commits what the ingest queue holds and closes the database.
 */
const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME_BIND ?? '0.0.0.0';
const selfAddress = ['0.0.0.0', '::'].includes(hostname) ? '127.0.0.1' : hostname.includes(':') ? `[${hostname}]` : hostname;
const trustProxy = ['1', 'true', 'on'].includes(process.env.MESHWARD_TRUST_PROXY ?? '');

function callerAddress(req: IncomingMessage): string {
  const socketIp = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (!trustProxy) return socketIp;
  const xff = String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  // The last hop is the one our load balancer added; earlier ones are whatever the client claimed.
  return xff.length ? xff[xff.length - 1] : socketIp;
}

/**
 * History the demo sends on a first start: up to 3 hours, and no more events than PGlite on a
 * 2-core machine stores in ~30 s (~5,900 events/s when idle). The newest chunk goes first, so
 * the recent ranges fill within seconds and older history follows.
 */
const SIMULATOR_BACKFILL_HOURS = 3;
const SIMULATOR_BACKFILL_EVENTS = 160_000;

function startSimulator(runtime: Runtime): EmbeddedSimulator {
  const { config } = runtime;
  const inMemory = config.MESHWARD_DATA_DIR.startsWith('memory://');
  return startDemoFleet(runtime.database.db, {
    target: `http://${selfAddress}:${port}`,
    rate: config.MESHWARD_SIMULATOR_RATE,
    seed: config.MESHWARD_SIMULATOR_SEED,
    groundTruthFile: inMemory ? null : path.join(config.MESHWARD_DATA_DIR, 'simulator-ground-truth.jsonl'),
    backfillMs: SIMULATOR_BACKFILL_HOURS * 3_600_000,
    backfillEvents: SIMULATOR_BACKFILL_EVENTS,
  });
}

async function main() {
  guardConsole();
  const runtime = await getRuntime();
  const app = next({ dev, dir: process.cwd(), port, hostname: 'localhost' });
  const handle = app.getRequestHandler();
  await app.prepare();
  const metricsServer = runtime.config.MESHWARD_METRICS_LISTEN
    ? await startMetricsListener(runtime.config.MESHWARD_METRICS_LISTEN, runtime.metrics)
    : null;

  let stopping = false;
  const server = createServer((req, res) => {
    delete req.headers[CLIENT_IP_HEADER];
    req.headers[CLIENT_IP_HEADER] = callerAddress(req);
    if (!trustProxy) delete req.headers['x-forwarded-for'];
    const telemetry = telemetryRoute(req);
    if (telemetry) void serveTelemetry(telemetry, req, res, runtime);
    else void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  let simulator: EmbeddedSimulator | null = null;
  server.listen(port, hostname, () => {
    log.info({ url: `http://localhost:${port}`, engine: runtime.database.engine, dev }, 'Meshward console listening');
    if (runtime.firstAdmin) {
      // Once, framed, after the build's output and before the demo fleet's: see firstAdminNotice.
      process.stderr.write(firstAdminNotice({ ...runtime.firstAdmin, url: runtime.config.MESHWARD_PUBLIC_URL ?? `http://localhost:${port}` }));
      runtime.firstAdmin = null;
    }
    if (runtime.config.MESHWARD_SIMULATOR && !stopping) simulator = startSimulator(runtime);
  });

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining the ingest queue');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await simulator?.stop(); // while the server still answers its last requests
      server.close();
      server.closeIdleConnections();
      metricsServer?.close();
      await runtime.shutdown();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  log.fatal({ err: e }, 'Meshward failed to start');
  process.stderr.write(`Meshward failed to start: ${describeError(e)}\n`);
  process.exit(1);
});
