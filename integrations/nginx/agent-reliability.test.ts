// The nginx agent against a real nginx and a stub console that can go away, answer 503,
// replay old bundles, serve expired ones, serve rules nginx refuses, and rotate its key. The
// agent runs as a child process, as in production, with short retry timings so an outage of
// many retry cycles takes seconds.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, connect, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keySet, signedKeySet, type KeySetDocument } from '@/server/policy/key-set';
import { BUNDLE_TTL_S, generateSigningPem, sha256Hex, signBundle, signingKeyFromPem, type SigningKey } from '@/server/policy/signing';

const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const SERVICE = 'shop/orders';
const AGENT = path.resolve('integrations/nginx/meshward-agent.mjs');

interface Envelope {
  service: string; revision: number; format: string; content: string; sha256: string; issued_at: string; expires_at: string; signature: string; key_id: string;
}

/** A bundle as the console signs it; `issued` defaults to now. */
function bundle(key: SigningKey, revision: number, rules: { http: string; server: string }, issued = new Date()): Envelope {
  const content = JSON.stringify(rules);
  const fields = {
    service: SERVICE, revision, format: 'nginx', sha256: sha256Hex(content),
    issued_at: issued.toISOString(), expires_at: new Date(issued.getTime() + BUNDLE_TTL_S * 1000).toISOString(),
  };
  return { ...fields, content, signature: signBundle(key, fields), key_id: key.keyId };
}

/** nginx rules refusing the listed callers (what the compiler emits, in miniature). */
function denyCallers(revision: number, callers: string[]) {
  const v = `$meshward_deny_r${revision}`;
  return {
    http: `map $http_x_meshward_caller ${v} {\n  default 0;\n${callers.map((c) => `  "${c}" 1;`).join('\n')}\n}\n`,
    server: `if (${v}) { return 403; }\n`,
  };
}

const listen = (s: Server | TcpServer, port = 0) => new Promise<number>((resolve, reject) => {
  s.once('error', reject);
  s.listen(port, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
});

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The console's fleet routes, in miniature: bundles with ETag and long polling, the signing
 * key and key set, heartbeats and ingest. `down()` replaces it with a port that accepts and
 * drops every connection (counting them); `ingest = 'busy'` answers 503 + Retry-After.
 */
class StubConsole {
  port = 0;
  current: Envelope | null = null;
  pinned: SigningKey;
  keySetDoc: () => KeySetDocument;
  ingest: 'ok' | 'busy' = 'ok';
  /** how often each request path reached the console in a shipped log line */
  shipped = new Map<string, number>();
  busyAnswers = 0;
  droppedConnections = 0;
  counters: Record<string, number> = {};
  private http: Server | null = null;
  private dropper: TcpServer | null = null;
  private sockets = new Set<Socket>();
  private waiters = new Set<() => void>();

  constructor(key: SigningKey) {
    this.pinned = key;
    this.keySetDoc = () => signedKeySet(keySet(key), new Date());
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  serve(b: Envelope | null) {
    this.current = b;
    for (const w of this.waiters) w();
  }

  async up() {
    if (this.dropper) await new Promise((r) => this.dropper!.close(r));
    this.dropper = null;
    this.http = createServer((req, res) => void this.handle(req, res));
    this.http.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    this.port = await listen(this.http, this.port);
  }

  /** The console is gone: every connection is dropped at once. */
  async down() {
    const http = this.http!;
    this.http = null;
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => http.close(r));
    this.dropper = createTcpServer((s) => {
      this.droppedConnections++;
      s.destroy();
    });
    await listen(this.dropper, this.port);
  }

  private async body(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/api/fleet/v1/signing-key') {
      res.writeHead(200, { 'content-type': 'application/x-pem-file', 'x-meshward-key-id': this.pinned.keyId });
      res.end(this.pinned.publicPem);
      return;
    }
    if (url.pathname === '/api/fleet/v1/signing-keys') return json(200, this.keySetDoc());
    if (url.pathname === '/api/fleet/v1/status') {
      this.counters = (JSON.parse(await this.body(req)) as { counters: Record<string, number> }).counters;
      return json(200, { ok: true });
    }
    if (url.pathname === '/api/ingest/envoy') {
      const text = await this.body(req);
      if (this.ingest === 'busy') {
        this.busyAnswers++;
        return json(503, { error: 'busy' }, { 'retry-after': '1' });
      }
      for (const line of text.split('\n').filter(Boolean)) {
        const p = (JSON.parse(line) as { path: string }).path;
        this.shipped.set(p, (this.shipped.get(p) ?? 0) + 1);
      }
      return json(200, {});
    }
    if (url.pathname === `/api/fleet/v1/bundles/${SERVICE}`) {
      const etag = () => (this.current ? `"r${this.current.revision}-${this.current.sha256.slice(0, 32)}"` : null);
      const wait = Number(url.searchParams.get('wait') ?? 0);
      if (this.current && req.headers['if-none-match'] === etag() && wait > 0) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            this.waiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, wait * 1000);
          this.waiters.add(done);
        });
      }
      if (!this.current) return json(404, { error: 'no policy' });
      if (req.headers['if-none-match'] === etag()) {
        res.writeHead(304, { etag: etag()! });
        res.end();
        return;
      }
      return json(200, this.current, { etag: etag()! });
    }
    json(404, { error: 'not here' });
  }

  async close() {
    for (const w of this.waiters) w();
    for (const s of this.sockets) s.destroy();
    if (this.http) await new Promise((r) => this.http!.close(r));
    if (this.dropper) await new Promise((r) => this.dropper!.close(r));
  }
}

describe('the nginx agent keeps the last good rules and loses no log line', () => {
  const k1 = signingKeyFromPem(generateSigningPem());
  const stub = new StubConsole(k1);
  let prefix: string;
  let nginxPort: number;
  let upstream: Server;
  let nginx: ChildProcess;
  let agent: ChildProcess;
  let agentOut = '';
  let env: NodeJS.ProcessEnv;
  /** every path requested through nginx, in order */
  const requested: string[] = [];
  const revisions: Record<number, Envelope> = {};

  /** Agent log lines (JSON) written since `from` (an offset into its output). */
  const agentLines = (from = 0) => agentOut.slice(from).split('\n').filter(Boolean).map((l) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      return { msg: l };
    }
  });

  function startAgent() {
    agent = spawn(process.execPath, [AGENT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout!.on('data', (d: Buffer) => (agentOut += d.toString()));
    agent.stderr!.on('data', (d: Buffer) => (agentOut += d.toString()));
  }

  async function stopAgent() {
    if (agent.exitCode !== null) return;
    const exited = new Promise((r) => agent.once('exit', r));
    agent.kill('SIGTERM');
    await exited;
  }

  async function call(p: string, caller: string): Promise<number> {
    requested.push(p);
    const r = await fetch(`http://127.0.0.1:${nginxPort}${p}`, { headers: { 'x-meshward-caller': caller } });
    await r.arrayBuffer();
    return r.status;
  }

  /** The status nginx answers `caller` now, on a path kept out of the shipping checks. */
  const probe = (caller: string) => call(`/probe/${caller}`, caller);

  /** Publishes `b` and waits until the agent refuses it for `reason`, naming its revision. */
  async function expectRefused(b: Envelope, reason: string) {
    const from = agentOut.length;
    stub.serve(b);
    const line = await waitFor(`the agent to refuse revision ${b.revision} (${reason})`, () =>
      agentLines(from).find((l) => l.msg === 'refused a bundle: keeping the last good rules' && l.revision === b.revision));
    expect(line).toMatchObject({ reason });
    return line;
  }

  beforeAll(async () => {
    if (!existsSync(NGINX)) throw new Error(`this test runs a real nginx: install it (apt-get install nginx) or set NGINX_BIN (looked for ${NGINX})`);
    prefix = mkdtempSync(path.join(tmpdir(), 'meshward-agent-'));
    upstream = createServer((req, res) => res.end('ok'));
    const upstreamPort = await listen(upstream);
    await stub.up();
    nginxPort = await freePort();
    env = {
      ...process.env,
      MESHWARD_URL: stub.url, MESHWARD_TOKEN: 'mwp_test', MESHWARD_SERVICE: SERVICE, MESHWARD_PROXY_ID: 'orders-nginx-1',
      NGINX_PREFIX: prefix, NGINX_LISTEN: `127.0.0.1:${nginxPort}`, NGINX_UPSTREAM: `http://127.0.0.1:${upstreamPort}`, NGINX_BIN: NGINX,
      MESHWARD_HEARTBEAT_S: '0.2', MESHWARD_WAIT_S: '1', MESHWARD_RETRY_BASE_MS: '20', MESHWARD_RETRY_MAX_MS: '100', MESHWARD_TIMEOUT_S: '2',
    };
    await new Promise<void>((resolve, reject) => {
      const init = spawn(process.execPath, [AGENT, 'init'], { env, stdio: 'ignore' });
      init.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`agent init exited with ${code}`))));
    });
    nginx = spawn(NGINX, ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
    await waitFor('nginx to accept connections', () => new Promise<boolean>((resolve) => {
      const s = connect(nginxPort, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    }));
    startAgent();
  }, 30_000);

  afterAll(async () => {
    if (agent) await stopAgent();
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await stub.close();
    if (upstream) await new Promise((r) => upstream.close(r));
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  it('applies a signed bundle and ships the access log', async () => {
    revisions[1] = bundle(k1, 1, denyCallers(1, ['shop/evil']));
    stub.serve(revisions[1]);
    await waitFor('revision 1 to be enforced', async () => (await probe('shop/evil')) === 403);
    expect(await probe('shop/web')).toBe(200);
    for (let i = 0; i < 5; i++) expect(await call(`/before/${i}`, 'shop/web')).toBe(200);
    await waitFor('the log to be shipped', () => [0, 1, 2, 3, 4].every((i) => stub.shipped.get(`/before/${i}`) === 1));
    await waitFor('the heartbeat to report revision 1', () => stub.counters.bundles_applied === 1);
  }, 30_000);

  it('through a console outage of many retry cycles, a restart and 503s, every logged request is shipped exactly once', async () => {
    await stub.down();
    const during: string[] = [];
    for (let i = 0; i < 40; i++) {
      during.push(`/outage/${i}`);
      expect(await call(`/outage/${i}`, 'shop/web')).toBe(200);
    }
    // enforcement goes on without the console
    expect(await probe('shop/evil')).toBe(403);
    await waitFor('the agent to retry through many cycles', () => stub.droppedConnections >= 30);
    // the agent restarts while the console is still down: it resumes where it had shipped
    await stopAgent();
    for (let i = 40; i < 60; i++) {
      during.push(`/outage/${i}`);
      expect(await call(`/outage/${i}`, 'shop/web')).toBe(200);
    }
    const dropped = stub.droppedConnections;
    startAgent();
    await waitFor('the restarted agent to retry too', () => stub.droppedConnections >= dropped + 10);
    // back, but busy: 503 + Retry-After
    stub.ingest = 'busy';
    await stub.up();
    await waitFor('the agent to be told to wait', () => stub.busyAnswers >= 2);
    expect([...stub.shipped.keys()].filter((p) => p.startsWith('/outage/'))).toEqual([]);
    stub.ingest = 'ok';
    await waitFor('the outage log to arrive', () => during.every((p) => stub.shipped.has(p)), 20_000);
    // nothing twice, nothing unasked: every path nginx served is there exactly once
    await waitFor('the probes to be shipped too', () => requested.every((p) => stub.shipped.has(p)));
    const counts = new Map<string, number>();
    for (const p of requested) counts.set(p, (counts.get(p) ?? 0) + 1);
    expect(Object.fromEntries(stub.shipped)).toEqual(Object.fromEntries(counts));
    // the agent said so once per outage, not once per retry
    expect(agentLines().filter((l) => l.msg === 'the console is unreachable; the log batch waits').length).toBeLessThanOrEqual(2);
  }, 60_000);

  it('refuses a replayed older revision, also after a restart, and keeps the newer rules', async () => {
    revisions[2] = bundle(k1, 2, denyCallers(2, ['shop/evil', 'shop/admin']));
    stub.serve(revisions[2]);
    await waitFor('revision 2 to be enforced', async () => (await probe('shop/admin')) === 403);
    await expectRefused(revisions[1], 'replay');
    expect(await probe('shop/admin')).toBe(403);
    // the applied revision survives a restart
    await stopAgent();
    startAgent();
    await expectRefused(revisions[1], 'replay');
    expect(await probe('shop/admin')).toBe(403);
    expect(await probe('shop/web')).toBe(200);
    expect(JSON.parse(readFileSync(path.join(prefix, 'meshward/applied.json'), 'utf8'))).toMatchObject({ revision: 2 });
  }, 30_000);

  it('refuses an expired bundle and one issued too far ahead; the last good rules stay', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    await expectRefused(bundle(k1, 3, denyCallers(3, []), hourAgo), 'expired');
    await expectRefused(bundle(k1, 3, denyCallers(3, []), new Date(Date.now() + 3_600_000)), 'future');
    expect(await probe('shop/admin')).toBe(403);
  }, 30_000);

  it('keeps the last good rules when nginx -t refuses a bundle, and applies the next good one', async () => {
    const broken = bundle(k1, 3, { http: 'meshward_no_such_directive on;\n', server: denyCallers(3, []).server });
    const line = await expectRefused(broken, 'nginx');
    expect(String(line?.problem)).toMatch(/nginx -t refused the rules/);
    expect(await probe('shop/admin')).toBe(403);
    expect(readFileSync(path.join(prefix, 'meshward/meshward-http.conf'), 'utf8')).toContain('$meshward_deny_r2');
    stub.serve(bundle(k1, 4, denyCallers(4, ['shop/evil'])));
    await waitFor('revision 4 to be enforced', async () => (await probe('shop/admin')) === 200);
    expect(await probe('shop/evil')).toBe(403);
    await waitFor('the heartbeat to count the refusals', () => stub.counters.refused_replay >= 1 && stub.counters.refused_expired >= 1 && stub.counters.refused_nginx >= 1);
  }, 30_000);

  it('learns a rotated key from a key set its trusted key signed, never from one a man in the middle signed', async () => {
    const mitm = signingKeyFromPem(generateSigningPem());
    stub.keySetDoc = () => signedKeySet(keySet(mitm), new Date());
    await expectRefused(bundle(mitm, 5, denyCallers(5, [])), 'key');
    expect(agentLines().some((l) => l.msg === 'refused the console key set: keeping the keys trusted so far')).toBe(true);
    expect(await probe('shop/evil')).toBe(403);

    const k2 = signingKeyFromPem(generateSigningPem());
    stub.keySetDoc = () => signedKeySet(keySet(k2, null, [k1]), new Date());
    stub.serve(bundle(k2, 5, denyCallers(5, ['shop/web'])));
    await waitFor('revision 5, signed by the new key, to be enforced', async () => (await probe('shop/web')) === 403);
    const trusted = JSON.parse(readFileSync(path.join(prefix, 'meshward/trusted-keys.json'), 'utf8')) as { keys: Record<string, { status: string }> };
    expect(Object.fromEntries(Object.entries(trusted.keys).map(([id, k]) => [id, k.status]))).toEqual({ [k1.keyId]: 'retired', [k2.keyId]: 'active' });
    // the retired key signs nothing the agent accepts any more
    await expectRefused(bundle(k1, 6, denyCallers(6, [])), 'key');
  }, 30_000);
});
