// The content filter end to end: a real nginx with njs in front of a stub service that answers
// with a card number and an SSN, the agent (a child process, as in production) applying signed
// classifier sets from a stub console, and the access log it ships. Checks what the service
// received, what the client received, and what reached the console.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NJS_FORBIDDEN } from '@/server/dataclass/njs-bundle';
import { sensitiveMatches } from '@/server/ingest/normalize';
import { BUNDLE_TTL_S, generateSigningPem, sha256Hex, signBundle, signingKeyFromPem, type SigningKey } from '@/server/policy/signing';
import { buildInspectModule } from './inspect-build.mjs';
import { DEFAULT_JS_MODULE } from './nginx-conf.mjs';

const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
const JS_MODULE = process.env.NGINX_JS_MODULE ?? DEFAULT_JS_MODULE;
const SERVICE = 'shop/orders';
const AGENT = path.resolve('integrations/nginx/meshward-agent.mjs');
const missing = !existsSync(NGINX) ? `${NGINX} (apt-get install -y nginx)` : JS_MODULE !== 'none' && !existsSync(JS_MODULE) ? `${JS_MODULE} (apt-get install -y libnginx-mod-http-js)` : null;
if (missing) console.warn(`content-filter.test.ts: skipped, it runs a real nginx with njs and ${missing} is missing`);

const CARD = '4111 1111 1111 1111';
const SSN = '123-45-6789';
/** What the stub service answers: a card number and an SSN, in JSON. */
const SERVICE_BODY = JSON.stringify({ customer: { name: 'Ann', card: CARD, ssn: SSN }, items: [{ sku: 'A-1', qty: 2 }] });

interface Envelope {
  service: string; revision: number; format: string; content_type: string; content: string; sha256: string; issued_at: string; expires_at: string; signature: string; key_id: string;
}

interface ClassifierSet {
  builtins: string[];
  custom: { name: string; pattern: string; validator?: string; jsonPathHints?: string[]; ignoreCase?: boolean }[];
  rules: { class: string; direction: 'request' | 'response' | 'both'; action: 'report' | 'redact' | 'block'; services: string[]; exceptCallers: string[] }[];
  maxBodyBytes: number;
}

const ALL = ['credit_card', 'iban', 'ssn', 'email', 'phone', 'jwt', 'bearer_token', 'api_key', 'private_key', 'password'];

/** A classifiers bundle as the console signs it (server/classifiers/revisions.ts). */
function classifierBundle(key: SigningKey, revision: number, set: ClassifierSet, issued = new Date()): Envelope {
  const content = JSON.stringify({ revision, ...set });
  const fields = {
    service: SERVICE, revision, format: 'classifiers' as const, sha256: sha256Hex(content),
    issued_at: issued.toISOString(), expires_at: new Date(issued.getTime() + BUNDLE_TTL_S * 1000).toISOString(),
  };
  return { ...fields, content_type: 'application/json', content, signature: signBundle(key, fields), key_id: key.keyId };
}

const listen = (s: Server) => new Promise<number>((resolve, reject) => {
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
});

type Falsy = undefined | null | false | '' | 0;

async function waitFor<T>(what: string, probe: () => T | Falsy | Promise<T | Falsy>, timeoutMs = 15_000): Promise<T> {
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

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

/** The console's routes the agent uses: classifier bundles (long poll, ETag), no policy, key, heartbeats, ingest. */
class StubConsole {
  port = 0;
  classifiers: Envelope | null = null;
  heartbeats: Record<string, unknown>[] = [];
  /** shipped records by request path */
  records = new Map<string, Record<string, unknown>>();
  rawIngest = '';
  private server = createServer((req, res) => void this.handle(req, res));
  private waiters = new Set<() => void>();

  constructor(private key: SigningKey) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.port = await listen(this.server);
  }

  serve(b: Envelope) {
    this.classifiers = b;
    for (const w of this.waiters) w();
  }

  get lastHeartbeat() {
    return this.heartbeats[this.heartbeats.length - 1];
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/api/fleet/v1/signing-key') {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' });
      res.end(this.key.publicPem);
      return;
    }
    if (url.pathname === '/api/fleet/v1/signing-keys') return json(404, { error: 'none' });
    if (url.pathname === '/api/fleet/v1/status') {
      this.heartbeats.push(JSON.parse(await readBody(req)) as Record<string, unknown>);
      return json(200, { ok: true });
    }
    if (url.pathname === '/api/ingest/envoy') {
      const text = await readBody(req);
      this.rawIngest += text;
      for (const line of text.split('\n').filter(Boolean)) {
        const r = JSON.parse(line) as Record<string, unknown>;
        this.records.set(String(r.path), r);
      }
      return json(200, {});
    }
    if (url.pathname === `/api/fleet/v1/bundles/${SERVICE}`) {
      const wait = Number(url.searchParams.get('wait') ?? 0);
      if (url.searchParams.get('format') !== 'classifiers') {
        await new Promise((r) => setTimeout(r, wait * 1000));
        return json(404, { error: 'no policy' });
      }
      const etag = () => (this.classifiers ? `"c${this.classifiers.revision}-${this.classifiers.sha256.slice(0, 16)}-${this.classifiers.signature.slice(0, 8)}"` : null);
      if (this.classifiers && req.headers['if-none-match'] === etag() && wait > 0) {
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
      if (!this.classifiers) return json(404, { error: 'none' });
      if (req.headers['if-none-match'] === etag()) {
        res.writeHead(304, { etag: etag()! });
        res.end();
        return;
      }
      return json(200, this.classifiers, { etag: etag()! });
    }
    json(404, { error: 'not here' });
  }

  async close() {
    for (const w of this.waiters) w();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

describe.skipIf(missing !== null)('the nginx content filter (real nginx + njs)', () => {
  const key = signingKeyFromPem(generateSigningPem());
  const stub = new StubConsole(key);
  let prefix: string;
  let nginxPort: number;
  let upstream: Server;
  let nginx: ChildProcess;
  let agent: ChildProcess;
  let agentOut = '';
  /** what the stub service received, by path */
  const received = new Map<string, { method: string; body: string; headers: IncomingMessage['headers'] }>();

  let agentEnv: NodeJS.ProcessEnv;

  function startAgent() {
    agent = spawn(process.execPath, [AGENT], { env: agentEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    agent.stdout!.on('data', (d: Buffer) => (agentOut += d.toString()));
    agent.stderr!.on('data', (d: Buffer) => (agentOut += d.toString()));
  }

  const agentLines = (from = 0) => agentOut.slice(from).split('\n').filter(Boolean).map((l) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      return { msg: l };
    }
  });

  async function call(p: string, opts: { caller?: string; body?: string; contentType?: string } = {}) {
    const headers: Record<string, string> = {};
    if (opts.caller) headers['x-meshward-caller'] = opts.caller;
    if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const r = await fetch(`http://127.0.0.1:${nginxPort}${p}`, { method: opts.body === undefined ? 'GET' : 'POST', headers, body: opts.body });
    return { status: r.status, text: await r.text(), headers: r.headers };
  }

  let probes = 0;
  /** Waits until nginx's workers run classifier revision `rev` (a reload takes effect a moment after the agent reports it). */
  async function inForce(rev: number) {
    await waitFor(`the heartbeat to report classifier revision ${rev}`, () => stub.lastHeartbeat?.classifier_revision === rev);
    await waitFor(`nginx to run classifier revision ${rev}`, async () => {
      const p = `/probe/${probes++}`;
      await call(p);
      const log = readFileSync(path.join(prefix, 'logs/meshward-access.log'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
      return log.find((l) => l.path === p)?.classifier_revision === String(rev);
    });
  }

  /** Publishes `b` and waits until the agent refuses it for `reason`. */
  async function expectRefused(b: Envelope, reason: string) {
    const from = agentOut.length;
    stub.serve(b);
    const line = await waitFor(`the agent to refuse classifier revision ${b.revision} (${reason})`, () =>
      agentLines(from).find((l) => l.msg === 'refused a classifier set: keeping the last good one' && l.revision === b.revision));
    expect(line).toMatchObject({ reason });
  }

  const REDACT_CARDS_BLOCK_SSN: ClassifierSet = {
    builtins: ALL,
    custom: [{ name: 'employee_id', pattern: 'EMP-[0-9]{6}', validator: 'none', jsonPathHints: ['$..employee'], ignoreCase: false }],
    rules: [
      { class: 'credit_card', direction: 'response', action: 'redact', services: ['shop/*'], exceptCallers: ['shop/billing'] },
      { class: 'ssn', direction: 'request', action: 'block', services: ['shop/orders'], exceptCallers: ['shop/hr'] },
      { class: 'email', direction: 'request', action: 'redact', services: ['shop/*'], exceptCallers: [] },
      { class: 'ssn', direction: 'response', action: 'block', services: ['shop/orders'], exceptCallers: ['shop/web', 'shop/billing', 'shop/hr'] },
    ],
    maxBodyBytes: 65536,
  };

  beforeAll(async () => {
    prefix = mkdtempSync(path.join(tmpdir(), 'meshward-filter-'));
    // nginx's workers (www-data when the master runs as root) read the classifier set
    chmodSync(prefix, 0o755);
    upstream = createServer((req, res) => void (async () => {
      const body = await readBody(req);
      received.set(new URL(req.url ?? '/', 'http://x').pathname, { method: req.method ?? '', body, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(SERVICE_BODY)) });
      res.end(SERVICE_BODY);
    })());
    const upstreamPort = await listen(upstream);
    await stub.start();
    const probe = createServer();
    nginxPort = await listen(probe);
    await new Promise((r) => probe.close(r));
    const env = {
      ...process.env,
      MESHWARD_URL: stub.url, MESHWARD_TOKEN: 'mwp_test', MESHWARD_SERVICE: SERVICE, MESHWARD_PROXY_ID: 'orders-nginx-filter',
      NGINX_PREFIX: prefix, NGINX_LISTEN: `127.0.0.1:${nginxPort}`, NGINX_UPSTREAM: `http://127.0.0.1:${upstreamPort}`, NGINX_BIN: NGINX, NGINX_JS_MODULE: JS_MODULE,
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
    agentEnv = env;
    startAgent();
  }, 30_000);

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((r) => agent.once('exit', r));
      agent.kill('SIGTERM');
      await exited;
    }
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await stub.close();
    if (upstream) {
      upstream.closeAllConnections();
      await new Promise((r) => upstream.close(r));
    }
    if (prefix && !process.env.MESHWARD_KEEP_TEST_PREFIX) rmSync(prefix, { recursive: true, force: true });
  });

  it('builds the module nginx loads from the engine, in the JavaScript njs 0.7.9 runs', () => {
    const module = readFileSync(path.join(prefix, 'meshward/meshward-inspect.js'), 'utf8');
    expect(module).toBe(buildInspectModule({ classifiersFile: path.join(prefix, 'meshward-classifiers.json') }));
    for (const f of NJS_FORBIDDEN) expect(f.re.test(module), f.what).toBe(false);
    expect(module).toMatch(/var MESHWARD_ENGINE = \{[^}]*createScanner: createScanner/);
  });

  it('reports with the built-in set before a signed set arrives, then per class, direction and path with it', async () => {
    const before = await call('/before', { body: JSON.stringify({ pan: CARD }) });
    expect(before.status).toBe(200);
    expect(received.get('/before')!.body).toContain(CARD);
    const first = await waitFor('the first line to be shipped', () => stub.records.get('/before'));
    expect((first.sensitive as { class: string; direction: string }[]).map((s) => [s.class, s.direction])).toEqual(expect.arrayContaining([['credit_card', 'request']]));

    stub.serve(classifierBundle(key, 0, { builtins: ALL, custom: [], rules: [], maxBodyBytes: 65536 }));
    await inForce(0);
    const r = await call('/orders/1', { caller: 'shop/web', body: JSON.stringify({ order: { pan: '5555-5555-5555-4444' }, contact: 'ann@example.org' }) });
    expect(r.status).toBe(200);
    expect(r.text).toBe(SERVICE_BODY);
    expect(received.get('/orders/1')!.body).toContain('5555-5555-5555-4444');
    const rec = await waitFor('the inspected line to be shipped', () => stub.records.get('/orders/1'));
    expect(rec.src_service).toBe('shop/web');
    const sensitive = rec.sensitive as { class: string; direction: string; count: number; path?: string; partial?: string }[];
    expect(sensitive.map((s) => [s.class, s.direction, s.count, s.path])).toEqual(expect.arrayContaining([
      ['credit_card', 'request', 1, '$.order.pan'],
      ['email', 'request', 1, '$.contact'],
      ['credit_card', 'response', 1, '$.customer.card'],
      ['ssn', 'response', 1, '$.customer.ssn'],
    ]));
    // what the console's Envoy route makes of it: the same list, nothing dropped
    expect(sensitiveMatches(rec.sensitive)).toHaveLength(sensitive.length);
    // never a matched value: the redacted sample at most
    expect(stub.rawIngest).not.toContain('5555-5555-5555-4444');
    expect(stub.rawIngest).not.toContain(CARD);
    expect(stub.rawIngest).not.toContain(SSN);
    expect(sensitive.find((s) => s.class === 'credit_card' && s.direction === 'response')!.partial).toBe('4111 **** **** 1111');
  }, 30_000);

  it('redacts cards in responses, blocks SSNs in requests and redacts e-mails before they reach the service', async () => {
    stub.serve(classifierBundle(key, 1, REDACT_CARDS_BLOCK_SSN));
    await inForce(1);

    const red = await call('/orders/2', { caller: 'shop/web' });
    expect(red.status).toBe(200);
    const doc = JSON.parse(red.text) as { customer: { card: string; ssn: string } };
    expect(doc.customer.card).toBe('**** **** **** ****');
    // the SSN has a request-only rule: reported, not redacted
    expect(doc.customer.ssn).toBe(SSN);
    expect(red.text).toHaveLength(SERVICE_BODY.length);
    expect(received.get('/orders/2')).toBeDefined();

    // the billing service may receive card numbers
    const billing = await call('/orders/3', { caller: 'shop/billing' });
    expect(billing.text).toBe(SERVICE_BODY);
    // also named by its SPIFFE id, as a mesh sidecar may set it
    const spiffe = await call('/orders/3s', { caller: 'spiffe://cluster.local/ns/shop/sa/billing' });
    expect(spiffe.text).toBe(SERVICE_BODY);

    // an SSN in a request body: 403, and the service never sees it
    const blocked = await call('/orders/4', { caller: 'shop/web', body: JSON.stringify({ employee: { ssn: SSN } }) });
    expect(blocked.status).toBe(403);
    expect(JSON.parse(blocked.text).error).toMatch(/ssn/);
    expect(received.has('/orders/4')).toBe(false);
    // calling it binary does not get it past the rule
    const disguised = await call('/orders/4b', { caller: 'shop/web', body: JSON.stringify({ employee: { ssn: SSN } }), contentType: 'application/octet-stream' });
    expect(disguised.status).toBe(403);
    expect(received.has('/orders/4b')).toBe(false);
    // ... except from the caller the rule names
    const hr = await call('/orders/5', { caller: 'shop/hr', body: JSON.stringify({ employee: { ssn: SSN } }) });
    expect(hr.status).toBe(200);
    expect(received.get('/orders/5')!.body).toContain(SSN);

    // an e-mail address in a request body is masked before it is proxied, same length
    const sent = JSON.stringify({ contact: 'ann@example.org', note: 'hi' });
    expect((await call('/orders/6', { caller: 'shop/web', body: sent })).status).toBe(200);
    const got = received.get('/orders/6')!;
    expect(JSON.parse(got.body)).toEqual({ contact: '***@*******.***', note: 'hi' });
    expect(got.headers['content-length']).toBe(String(Buffer.byteLength(sent)));

    // an SSN in a response to a caller not allowed it: the body is withheld (the status has gone out already)
    const partner = await call('/orders/10', { caller: 'shop/partner' });
    expect(partner.status).toBe(200);
    expect(partner.text).not.toContain(SSN);
    expect(JSON.parse(partner.text).error).toMatch(/withheld by the Meshward content filter/);

    const lines = await waitFor('the lines to be shipped', () => ['/orders/2', '/orders/4', '/orders/6', '/orders/10'].every((p) => stub.records.has(p)) && stub.records);
    expect(lines.get('/orders/4')!.response_code).toBe(403);
    expect(lines.get('/orders/4')!.sensitive).toEqual([{ class: 'ssn', direction: 'request', count: 1, path: '$.employee.ssn', partial: '*********** (11 chars)' }]);
    await waitFor('the heartbeat to count what the filter did', () => {
      const c = stub.lastHeartbeat?.counters as Record<string, number>;
      return c.requests_blocked >= 1 && c.responses_blocked >= 1 && c.bodies_redacted >= 2 && c.bodies_scanned >= 4;
    });
  }, 30_000);

  it('refuses a tampered, a replayed and an unrunnable set, and keeps the last good one working', async () => {
    const tampered = classifierBundle(key, 2, { ...REDACT_CARDS_BLOCK_SSN, rules: [] });
    tampered.content = tampered.content.replace('"rules":[]', `"rules":[{"class":"ssn","direction":"both","action":"report","services":["*"],"exceptCallers":[]}]`);
    await expectRefused(tampered, 'signature');
    const forged = classifierBundle(signingKeyFromPem(generateSigningPem()), 2, { ...REDACT_CARDS_BLOCK_SSN, rules: [] });
    await expectRefused(forged, 'key');
    await expectRefused(classifierBundle(key, 0, { builtins: ALL, custom: [], rules: [], maxBodyBytes: 65536 }), 'replay');
    await expectRefused(classifierBundle(key, 2, { ...REDACT_CARDS_BLOCK_SSN, custom: [{ name: 'bad', pattern: '(a{1,9}){1,9}' }] }), 'invalid');

    const still = await call('/orders/7', { caller: 'shop/web' });
    expect(JSON.parse(still.text).customer.card).toBe('**** **** **** ****');
    expect(JSON.parse(readFileSync(path.join(prefix, 'meshward/applied.json'), 'utf8'))).toMatchObject({ classifiers: { revision: 1 } });
    await waitFor('the heartbeat to count the refusals', () => {
      const hb = stub.lastHeartbeat;
      const c = hb?.counters as Record<string, number>;
      return hb?.classifier_revision === 1 && c.classifiers_refused >= 4 && c.classifiers_refused_signature >= 1 && c.classifiers_refused_replay >= 1
        && c.classifiers_refused_key >= 1 && c.classifiers_refused_invalid >= 1 && c.bundles_refused === 0;
    });

    // the next good revision applies, and lifts the redaction
    stub.serve(classifierBundle(key, 2, { ...REDACT_CARDS_BLOCK_SSN, rules: [] }));
    await inForce(2);
    expect((await call('/orders/9', { caller: 'shop/web' })).text).toBe(SERVICE_BODY);
  }, 40_000);

  it('passes bodies over maxBodyBytes through uninspected, and says so', async () => {
    stub.serve(classifierBundle(key, 3, { ...REDACT_CARDS_BLOCK_SSN, maxBodyBytes: 1024 }));
    await inForce(3);
    const big = JSON.stringify({ employee: { ssn: SSN }, pad: 'x'.repeat(4000) });
    const r = await call('/orders/8', { caller: 'shop/web', body: big });
    expect(r.status).toBe(200);
    expect(received.get('/orders/8')!.body).toBe(big);
    const rec = await waitFor('the line to be shipped', () => stub.records.get('/orders/8'));
    // the (small) response was read; the request was not
    const sensitive = rec.sensitive as { direction: string }[];
    expect(sensitive.filter((s) => s.direction === 'request')).toEqual([]);
    expect(sensitive.filter((s) => s.direction === 'response').length).toBeGreaterThan(0);
    await waitFor('the heartbeat to count it', () => (stub.lastHeartbeat?.counters as Record<string, number>).bodies_oversize >= 1);
  }, 30_000);

  it('writes the applied set again when its file was lost while the agent was down', async () => {
    const exited = new Promise((r) => agent.once('exit', r));
    agent.kill('SIGTERM');
    await exited;
    rmSync(path.join(prefix, 'meshward-classifiers.json'));
    const from = agentOut.length;
    startAgent();
    await waitFor('the agent to apply revision 3 again', () => agentLines(from).some((l) => l.msg === 'applied classifier set' && l.revision === 3));
    expect(JSON.parse(readFileSync(path.join(prefix, 'meshward-classifiers.json'), 'utf8')).revision).toBe(3);
    await inForce(3);
  }, 30_000);
});
