// The nginx content filter's overhead: the same nginx configuration (integrations/nginx/nginx-conf.mjs)
// with and without the filter, in front of a local upstream, under a keep-alive load of POSTs
// whose JSON bodies (1 KiB and 64 KiB, a card number, an SSN and e-mails among ordinary values)
// the upstream answers with a JSON body of the same size. With the filter both bodies are
// inspected with the console's default classifier set (every built-in class, report only).
//
//   npm run bench:nginx-filter [-- --duration 5 --concurrency 8]
//
// Each case runs twice: with `--concurrency` keep-alive connections for requests/s (nginx runs one
// worker, as the agent's nginx.conf has it, so latency there is mostly queueing), and with one
// connection for the latency a request sees (p50/p99; the added p99 comes from this run).
// Prints requests/s and p50/p99 latency per case, the machine's load, and a last line
// `bench:nginx-filter rps_1k_off=… rps_1k_on=… p99_added_ms_1k=… rps_64k_off=… rps_64k_on=… p99_added_ms_64k=…`.
// Needs nginx and Debian's libnginx-mod-http-js (NGINX_BIN, NGINX_JS_MODULE to override).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildInspectModule } from '@/integrations/nginx/inspect-build.mjs';
import { DEFAULT_JS_MODULE, NO_POLICY, renderInspectConf, renderNginxConf } from '@/integrations/nginx/nginx-conf.mjs';

const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const JS_MODULE = process.env.NGINX_JS_MODULE ?? DEFAULT_JS_MODULE;
const BUILTINS = ['credit_card', 'iban', 'ssn', 'email', 'phone', 'jwt', 'bearer_token', 'api_key', 'private_key', 'password'];

const { values: args } = parseArgs({
  options: { duration: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '8' }, warmup: { type: 'string', default: '1' } },
});
const DURATION_S = Number(args.duration);
const CONCURRENCY = Number(args.concurrency);
const WARMUP_S = Number(args.warmup);

/** A JSON document of about `bytes` bytes: order lines with names, e-mails, amounts; one card and one SSN. */
function jsonBody(bytes: number): string {
  const items: unknown[] = [];
  const doc = { customer: { name: 'Ann Example', card: '4111 1111 1111 1111', ssn: '123-45-6789' }, items };
  for (let i = 0; JSON.stringify(doc).length < bytes - 120; i++) {
    items.push({ sku: `SKU-${1000 + i}`, title: `Item number ${i} in a plain description`, qty: (i % 5) + 1, price: 9.99 + i, seller: `seller${i}@example.com` });
  }
  const text = JSON.stringify(doc);
  return text.length < bytes ? `${text.slice(0, -1)},"pad":"${'x'.repeat(Math.max(0, bytes - text.length - 9))}"}` : text;
}

const freePort = () => new Promise<number>((resolve) => {
  const s = http.createServer();
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

async function waitForPort(port: number) {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** One nginx, with or without the filter, proxying to `upstreamPort`. */
async function startNginx(dir: string, upstreamPort: number, inspect: boolean): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const rulesDir = path.join(dir, 'meshward');
  for (const d of [rulesDir, path.join(dir, 'logs'), path.join(dir, 'temp')]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(rulesDir, 'meshward-http.conf'), NO_POLICY.http);
  writeFileSync(path.join(rulesDir, 'meshward-server.conf'), NO_POLICY.server);
  const classifiersFile = path.join(dir, 'meshward-classifiers.json');
  if (inspect) {
    writeFileSync(classifiersFile, JSON.stringify({ revision: 0, builtins: BUILTINS, custom: [], rules: [], maxBodyBytes: 65536 }));
    writeFileSync(path.join(rulesDir, 'meshward-inspect.js'), buildInspectModule({ classifiersFile }));
    writeFileSync(path.join(rulesDir, 'meshward-inspect.conf'), renderInspectConf(65536));
  }
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, renderNginxConf({
    listen: `127.0.0.1:${port}`, upstream: `http://127.0.0.1:${upstreamPort}`, rulesDir, accessLog: path.join(dir, 'logs/access.log'),
    errorLog: path.join(dir, 'logs/error.log'), pidFile: path.join(dir, 'logs/nginx.pid'), tempDir: path.join(dir, 'temp'),
    jsModule: JS_MODULE === 'none' ? null : JS_MODULE, inspect,
  }));
  const proc = spawn(NGINX, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port);
  return { port, proc };
}

/** Keep-alive POSTs from `CONCURRENCY` connections for `seconds`; latencies in ms. */
async function load(port: number, body: string, seconds: number, connections = CONCURRENCY): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const stopAt = performance.now() + seconds * 1000;
  const one = () => new Promise<void>((resolve) => {
    const t0 = performance.now();
    const req = http.request({ host: '127.0.0.1', port, path: '/orders', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-meshward-caller': 'shop/web' } }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) latencies.push(performance.now() - t0);
        else errors++;
        resolve();
      });
    });
    req.on('error', () => {
      errors++;
      resolve();
    });
    req.end(body);
  });
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < stopAt) await one();
  }));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return { rps: latencies.length / elapsed, p50: q(0.5), p99: q(0.99), errors };
}

async function main() {
  if (!existsSync(NGINX)) throw new Error(`needs nginx (apt-get install -y nginx libnginx-mod-http-js), looked for ${NGINX}`);
  if (JS_MODULE !== 'none' && !existsSync(JS_MODULE)) throw new Error(`needs njs (apt-get install -y libnginx-mod-http-js), looked for ${JS_MODULE}`);
  const root = mkdtempSync(path.join(os.tmpdir(), 'bench-nginx-filter-'));
  // nginx's workers read the classifier set
  chmodSync(root, 0o755);
  const bodies: Record<string, string> = { '1k': jsonBody(1024), '64k': jsonBody(65536) };
  // the upstream runs in its own process, so it does not share this one's event loop with the load
  const upstreamPort = await freePort();
  const upstream = spawn(process.execPath, ['-e', `
    const http = require('node:http');
    const bodies = ${JSON.stringify(bodies)};
    http.createServer((req, res) => {
      let n = 0;
      req.on('data', (d) => (n += d.length));
      req.on('end', () => {
        const b = n > 4096 ? bodies['64k'] : bodies['1k'];
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) });
        res.end(b);
      });
    }).listen(${upstreamPort}, '127.0.0.1');
  `], { stdio: 'inherit' });
  const procs: ChildProcess[] = [upstream];
  try {
    await waitForPort(upstreamPort);
    const off = await startNginx(path.join(root, 'off'), upstreamPort, false);
    procs.push(off.proc);
    const on = await startNginx(path.join(root, 'on'), upstreamPort, true);
    procs.push(on.proc);
    console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${CONCURRENCY} connections, ${DURATION_S} s per case after ${WARMUP_S} s warm-up`);
    type Result = { rps: number; p50: number; p99: number; errors: number };
    const results: Record<string, { busy: Result; one: Result }> = {};
    const show = (r: Result) => `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms${r.errors ? `  errors ${r.errors}` : ''}`;
    for (const size of ['1k', '64k']) {
      for (const [name, target] of [['off', off], ['on', on]] as const) {
        await load(target.port, bodies[size], WARMUP_S);
        const busy = await load(target.port, bodies[size], DURATION_S);
        const one = await load(target.port, bodies[size], DURATION_S, 1);
        results[`${size}_${name}`] = { busy, one };
        console.log(`${size.padStart(3)} filter ${name.padEnd(3)}  ${CONCURRENCY} conn: ${show(busy)}   1 conn: ${show(one)}`);
      }
    }
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const f = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'NaN');
    const rps = (k: string) => results[k].busy.rps.toFixed(0);
    const added = (size: string) => f(results[`${size}_on`].one.p99 - results[`${size}_off`].one.p99);
    console.log(`bench:nginx-filter rps_1k_off=${rps('1k_off')} rps_1k_on=${rps('1k_on')} p99_added_ms_1k=${added('1k')}`
      + ` rps_64k_off=${rps('64k_off')} rps_64k_on=${rps('64k_on')} p99_added_ms_64k=${added('64k')}`);
  } finally {
    for (const p of procs) {
      if (p.exitCode === null) {
        const exited = new Promise((r) => p.once('exit', r));
        p.kill(p === upstream ? 'SIGTERM' : 'SIGQUIT');
        await exited;
      }
    }
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`bench:nginx-filter: ${(e as Error).message}`);
  process.exit(1);
});
