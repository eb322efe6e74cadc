import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A real nginx with the Meshward agent in front of a stub upstream, the agent talking to the
 * console through a test proxy that can tamper with bundles in transit.
 */
export interface NginxLoop {
  /** nginx's URL */
  url: string;
  /** when true, the proxy rewrites bundle content (keeping the signature): the agent must refuse it */
  tamper: boolean;
  /** bundles the proxy altered */
  tampered: number;
  agentLog(): string;
  stop(): Promise<void>;
}

const listen = (s: Server) => new Promise<number>((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)));

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

export async function startNginxLoop(opts: {
  consoleUrl: string; token: string; service: string; proxyId: string;
  /** what the stub upstream answers (default `{ ok, path }`) */
  upstreamBody?: (path: string) => unknown;
}): Promise<NginxLoop> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'meshward-nginx-'));
  // started as root, nginx's workers run as another user: they must be able to read the
  // content filter's classifier set under the prefix (mkdtemp makes it 0700)
  chmodSync(prefix, 0o755);
  const upstream = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(opts.upstreamBody ? opts.upstreamBody(req.url ?? '/') : { ok: true, path: req.url }));
  });
  const upstreamPort = await listen(upstream);

  const state = { tamper: false, tampered: 0 };
  const target = new URL(opts.consoleUrl);
  const relay = createServer((req: IncomingMessage, res: ServerResponse) => {
    const up = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host, 'accept-encoding': 'identity' } }, (r) => {
      const isBundle = req.url?.startsWith('/api/fleet/v1/bundles/') && r.statusCode === 200;
      if (!isBundle || !state.tamper) {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { content: string };
        // a man in the middle widens the whitelist: every caller allowed
        const widened = b.content.replace(/return 403/g, 'return 200');
        b.content = widened === b.content ? `${b.content} ` : widened;
        state.tampered++;
        const body = JSON.stringify(b);
        const { 'transfer-encoding': _chunked, ...rest } = r.headers;
        const headers = { ...rest, 'content-length': String(Buffer.byteLength(body)) };
        res.writeHead(200, headers);
        res.end(body);
      });
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  const relayPort = await listen(relay);

  const nginxPort = await freePort();
  const agentEnv = {
    ...process.env,
    MESHWARD_URL: `http://127.0.0.1:${relayPort}`, MESHWARD_TOKEN: opts.token, MESHWARD_SERVICE: opts.service, MESHWARD_PROXY_ID: opts.proxyId,
    MESHWARD_CLUSTER: 'e2e', MESHWARD_NODE: 'nginx-1', NGINX_PREFIX: prefix, NGINX_LISTEN: `127.0.0.1:${nginxPort}`,
    NGINX_UPSTREAM: `http://127.0.0.1:${upstreamPort}`, NGINX_BIN: process.env.NGINX_BIN ?? '/usr/sbin/nginx', MESHWARD_HEARTBEAT_S: '5', MESHWARD_WAIT_S: '20',
  };
  const agentScript = path.resolve('integrations/nginx/meshward-agent.mjs');
  // the agent writes nginx.conf and the empty rules, then nginx starts on them
  await new Promise<void>((resolve, reject) => {
    const init = spawn(process.execPath, [agentScript, 'init'], { env: agentEnv, stdio: 'inherit' });
    init.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`agent init exited with ${code}`))));
  });
  const nginx: ChildProcess = spawn(agentEnv.NGINX_BIN, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let nginxErr = '';
  nginx.stderr?.on('data', (d: Buffer) => (nginxErr += d.toString()));
  let agentOut = '';
  const agent: ChildProcess = spawn(process.execPath, [agentScript], { env: agentEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  agent.stdout?.on('data', (d: Buffer) => (agentOut += d.toString()));
  agent.stderr?.on('data', (d: Buffer) => (agentOut += d.toString()));

  const url = `http://127.0.0.1:${nginxPort}`;
  // ready when nginx accepts connections: a TCP connect, since a request would be a log line
  // the agent ships and the console learns
  for (let i = 0; !(await accepts(nginxPort)); i++) {
    if (nginx.exitCode !== null || i > 200) throw new Error(`nginx did not start: ${nginxErr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const loop: NginxLoop = {
    url,
    get tamper() { return state.tamper; },
    set tamper(v: boolean) { state.tamper = v; },
    get tampered() { return state.tampered; },
    agentLog: () => agentOut,
    async stop() {
      agent.kill('SIGTERM');
      nginx.kill('SIGQUIT');
      await Promise.all([new Promise((r) => nginx.once('exit', r)), new Promise((r) => (agent.exitCode !== null ? r(null) : agent.once('exit', r)))]);
      await Promise.all([new Promise((r) => upstream.close(r)), new Promise((r) => relay.close(r))]);
      try {
        process.stdout.write(readFileSync(path.join(prefix, 'logs/error.log'), 'utf8').split('\n').filter((l) => /emerg|crit/.test(l)).join('\n'));
      } catch {
        // no error log
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
  return loop;
}

/**
 * One request through nginx as `caller` (the header the sidecar sets), answering the status. Each
 * on a connection of its own: a pooled keep-alive connection may be one nginx is closing just then
 * (an idle timeout, old workers leaving after a reload), and the request then fails with "other
 * side closed" though nginx answers every new one.
 */
export function call(loop: NginxLoop, method: string, path: string, caller?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${loop.url}${path}`, { method, agent: false, headers: caller ? { 'x-meshward-caller': caller } : {} }, (res) => {
      res.on('error', reject);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.resume();
    });
    req.on('error', reject);
    req.end();
  });
}
