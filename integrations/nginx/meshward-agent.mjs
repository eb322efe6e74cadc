#!/usr/bin/env node
// The Meshward agent beside nginx: ships nginx's JSON access log to the console, heartbeats,
// and long-polls the service's policy bundle, which it verifies (Ed25519 signature over the
// content's SHA-256, service, format and revision), writes atomically, checks with `nginx -t`
// and loads with `nginx -s reload`. When anything fails it keeps the last good rules.
// Node 20+, no dependencies. Configuration by environment (see README.md).
import { createHash, createPublicKey, verify } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LogFollower } from './log-follower.mjs';
import { NO_POLICY, renderNginxConf } from './nginx-conf.mjs';

const run = promisify(execFile);
const env = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined || v === '') {
    if (fallback === undefined) throw new Error(`${name} is required`);
    return fallback;
  }
  return v;
};

export function loadConfig() {
  const prefix = path.resolve(env('NGINX_PREFIX'));
  return {
    console: env('MESHWARD_URL').replace(/\/$/, ''),
    token: env('MESHWARD_TOKEN'),
    service: env('MESHWARD_SERVICE'),
    proxyId: env('MESHWARD_PROXY_ID', `nginx-${process.pid}`),
    cluster: env('MESHWARD_CLUSTER', null),
    node: env('MESHWARD_NODE', null),
    nginx: env('NGINX_BIN', 'nginx'),
    prefix,
    conf: path.resolve(prefix, env('NGINX_CONF', 'nginx.conf')),
    rulesDir: path.resolve(prefix, env('MESHWARD_RULES_DIR', 'meshward')),
    accessLog: path.resolve(prefix, env('NGINX_ACCESS_LOG', 'logs/meshward-access.log')),
    /** the console's public key, pinned; fetched once from the console (and saved here) when missing */
    publicKeyFile: path.resolve(prefix, env('MESHWARD_PUBLIC_KEY_FILE', 'meshward/signing-key.pem')),
    stateFile: path.resolve(prefix, env('MESHWARD_STATE_FILE', 'meshward/applied.json')),
    /** how far the access log has been shipped */
    positionFile: path.resolve(prefix, env('MESHWARD_POSITION_FILE', 'meshward/log-position.json')),
    heartbeatS: Number(env('MESHWARD_HEARTBEAT_S', '10')),
    waitS: Number(env('MESHWARD_WAIT_S', '30')),
  };
}

const log = (msg, fields = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), svc: 'meshward-nginx-agent', msg, ...fields })}\n`);
const sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The same check the console's tests make: content hash, then the signature over what names the bundle. */
export function verifyBundle(publicPem, b, expect) {
  if (b.service !== expect.service) return `bundle is for ${b.service}, not ${expect.service}`;
  if (b.format !== 'nginx') return `bundle is in format ${b.format}, not nginx`;
  if (!Number.isInteger(b.revision) || b.revision < 1) return 'bundle has no revision';
  if (typeof b.content !== 'string' || sha256Hex(b.content) !== b.sha256) return 'content does not match its SHA-256';
  const signed = `meshward-bundle-v1\n${b.service}\n${b.revision}\n${b.format}\n${b.sha256}`;
  let ok = false;
  try {
    ok = verify(null, Buffer.from(signed, 'utf8'), createPublicKey(publicPem), Buffer.from(String(b.signature), 'base64'));
  } catch {
    ok = false;
  }
  return ok ? null : 'signature does not verify with the console key';
}

export class Agent {
  constructor(cfg) {
    this.cfg = cfg;
    this.applied = 0;
    this.etag = null;
    this.counters = { lines_shipped: 0, batches_failed: 0, bundles_applied: 0, bundles_refused: 0, reloads_failed: 0 };
    this.stopped = false;
    this.publicPem = null;
    this.follower = new LogFollower({ file: cfg.accessLog, positionFile: cfg.positionFile });
  }

  headers(extra = {}) {
    return { authorization: `Bearer ${this.cfg.token}`, 'x-meshward-proxy-id': this.cfg.proxyId, ...extra };
  }

  /** Writes nginx.conf and empty rules when missing (first start). */
  init({ listen, upstream }) {
    const { cfg } = this;
    for (const d of [cfg.rulesDir, path.dirname(cfg.accessLog), path.dirname(cfg.positionFile), path.join(cfg.prefix, 'temp'), path.join(cfg.prefix, 'logs')]) mkdirSync(d, { recursive: true });
    if (!existsSync(path.join(cfg.rulesDir, 'meshward-http.conf'))) {
      writeFileSync(path.join(cfg.rulesDir, 'meshward-http.conf'), NO_POLICY.http);
      writeFileSync(path.join(cfg.rulesDir, 'meshward-server.conf'), NO_POLICY.server);
    }
    if (!existsSync(cfg.conf)) {
      writeFileSync(cfg.conf, renderNginxConf({
        listen, upstream, rulesDir: cfg.rulesDir, accessLog: cfg.accessLog, errorLog: path.join(cfg.prefix, 'logs/error.log'),
        pidFile: path.join(cfg.prefix, 'logs/nginx.pid'), tempDir: path.join(cfg.prefix, 'temp'),
      }));
    }
    if (existsSync(cfg.stateFile)) this.applied = JSON.parse(readFileSync(cfg.stateFile, 'utf8')).revision ?? 0;
  }

  async publicKey() {
    if (this.publicPem) return this.publicPem;
    if (existsSync(this.cfg.publicKeyFile)) {
      this.publicPem = readFileSync(this.cfg.publicKeyFile, 'utf8');
      return this.publicPem;
    }
    const r = await fetch(`${this.cfg.console}/api/fleet/v1/signing-key`);
    if (!r.ok) throw new Error(`signing key: HTTP ${r.status}`);
    this.publicPem = await r.text();
    writeFileSync(this.cfg.publicKeyFile, this.publicPem);
    log('pinned the console signing key', { key_id: r.headers.get('x-meshward-key-id') });
    return this.publicPem;
  }

  async nginx(...args) {
    return run(this.cfg.nginx, ['-p', this.cfg.prefix, '-c', this.cfg.conf, ...args]);
  }

  /** Writes the bundle's rules, keeps them only if nginx accepts them; returns an error text or null. */
  async apply(bundle) {
    let parts;
    try {
      parts = JSON.parse(bundle.content);
    } catch {
      return 'content is not the nginx rules document';
    }
    if (typeof parts.http !== 'string' || typeof parts.server !== 'string') return 'content lacks the http and server rules';
    const dir = this.cfg.rulesDir;
    const files = { 'meshward-http.conf': parts.http, 'meshward-server.conf': parts.server };
    const previous = {};
    for (const name of Object.keys(files)) previous[name] = existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name), 'utf8') : '';
    const put = (content) => {
      for (const [name, text] of Object.entries(content)) {
        const tmp = path.join(dir, `.${name}.tmp`);
        writeFileSync(tmp, text);
        renameSync(tmp, path.join(dir, name));
      }
    };
    put(files);
    try {
      await this.nginx('-t');
    } catch (e) {
      put(previous);
      return `nginx -t refused the rules: ${String(e.stderr ?? e.message).trim().split('\n').slice(-2).join(' ')}`;
    }
    try {
      await this.nginx('-s', 'reload');
    } catch (e) {
      put(previous);
      this.counters.reloads_failed++;
      return `nginx reload failed: ${String(e.stderr ?? e.message).trim()}`;
    }
    this.applied = bundle.revision;
    writeFileSync(this.cfg.stateFile, JSON.stringify({ revision: bundle.revision, sha256: bundle.sha256, applied_at: new Date().toISOString() }));
    return null;
  }

  async pollOnce() {
    const url = `${this.cfg.console}/api/fleet/v1/bundles/${this.cfg.service.split('/').map(encodeURIComponent).join('/')}?format=nginx&wait=${this.cfg.waitS}`;
    const r = await fetch(url, { headers: this.headers(this.etag ? { 'if-none-match': this.etag } : {}), signal: AbortSignal.timeout((this.cfg.waitS + 15) * 1000) });
    if (r.status === 304 || r.status === 404) return r.status;
    if (!r.ok) throw new Error(`bundle: HTTP ${r.status}`);
    const bundle = await r.json();
    const etag = r.headers.get('etag');
    if (bundle.revision === this.applied) {
      this.etag = etag;
      return 200;
    }
    const problem = verifyBundle(await this.publicKey(), bundle, { service: this.cfg.service }) ?? (await this.apply(bundle));
    if (problem) {
      this.counters.bundles_refused++;
      log('refused a bundle: keeping the last good rules', { revision: bundle.revision, applied: this.applied, problem });
      return 'refused';
    }
    this.etag = etag;
    this.counters.bundles_applied++;
    log('applied policy', { revision: bundle.revision });
    void this.heartbeat();
    return 200;
  }

  async heartbeat() {
    const body = {
      proxy_id: this.cfg.proxyId, version: 'meshward-nginx-agent/0.1', service: this.cfg.service,
      ...(this.cfg.cluster ? { cluster: this.cfg.cluster } : {}), ...(this.cfg.node ? { node: this.cfg.node } : {}),
      policy_revision: this.applied ? String(this.applied) : null,
      // the console flags a proxy silent after two intervals; it accepts 5 s to an hour
      interval_s: Math.min(3600, Math.max(5, Math.round(this.cfg.heartbeatS))), counters: this.counters,
    };
    const r = await fetch(`${this.cfg.console}/api/fleet/v1/status`, { method: 'POST', headers: this.headers({ 'content-type': 'application/json' }), body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`heartbeat: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
  }

  /** nginx's JSON line → an Envoy/Istio-style access log entry for /api/ingest/envoy. */
  toEnvoy(line) {
    const n = JSON.parse(line);
    const durationMs = Math.round(Number(n.request_time) * 1000);
    const startMs = Math.round(Number(n.msec) * 1000) - durationMs;
    const present = (v) => (v && v !== '-' ? v : undefined);
    return {
      start_time: new Date(startMs).toISOString(), method: n.method, path: n.path, response_code: Number(n.status),
      duration: durationMs, bytes_received: Number(n.bytes_received) || 0, bytes_sent: Number(n.bytes_sent) || 0,
      user_agent: present(n.user_agent), request_id: n.request_id, authority: present(n.authority),
      downstream_remote_address: present(n.remote_addr), x_forwarded_for: present(n.x_forwarded_for),
      proxy_id: this.cfg.proxyId, cluster: this.cfg.cluster ?? undefined, namespace: this.cfg.service.split('/')[0],
      src_service: present(n.caller) ?? 'external', dst_service: this.cfg.service,
      token_id: present(n.token_id), user: present(n.user), mtls: n.ssl_client_verify === 'SUCCESS',
    };
  }

  /** Ships what nginx wrote since the last shipped line; true when there was something. */
  async shipOnce() {
    const read = await this.follower.read();
    if (!read) return false;
    const entries = [];
    for (const l of read.lines) {
      try {
        entries.push(JSON.stringify(this.toEnvoy(l)));
      } catch {
        // a line nginx did not write in the meshward format
      }
    }
    for (let i = 0; i < entries.length; i += 500) await this.send(entries.slice(i, i + 500));
    if (this.stopped) return false; // what was not sent is read again on the next start
    this.follower.commit(read.next);
    return true;
  }

  /** One batch, retried while the console is unreachable or busy; refused batches are counted and dropped. */
  async send(lines) {
    for (let attempt = 0; !this.stopped; attempt++) {
      let waitS = Math.min(10, 0.5 * 2 ** attempt);
      try {
        const r = await fetch(`${this.cfg.console}/api/ingest/envoy`, {
          method: 'POST', headers: this.headers({ 'content-type': 'application/x-ndjson' }), body: lines.join('\n'), signal: AbortSignal.timeout(30_000),
        });
        if (r.ok) {
          this.counters.lines_shipped += lines.length;
          return;
        }
        if (r.status !== 429 && r.status !== 503) {
          this.counters.batches_failed++;
          log('the console refused a log batch', { status: r.status, body: (await r.text()).slice(0, 300) });
          return;
        }
        await r.arrayBuffer();
        const retryAfter = Number(r.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) waitS = Math.min(60, retryAfter);
        if (attempt === 0) log('the console is busy; the log batch waits', { status: r.status, retry_after_s: waitS });
      } catch (e) {
        if (attempt === 0) log('the console is unreachable; the log batch waits', { err: e.message });
      }
      await new Promise((r) => setTimeout(r, waitS * 1000));
    }
  }

  async loop(name, body, pauseMs) {
    while (!this.stopped) {
      try {
        await body();
      } catch (e) {
        log(`${name} failed, retrying`, { err: e.message });
        await new Promise((r) => setTimeout(r, 2000));
      }
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    }
  }

  start() {
    void this.loop('log shipping', async () => {
      // a full read means more is waiting: read again at once
      if (!(await this.shipOnce())) await new Promise((r) => setTimeout(r, 250));
    }, 0);
    void this.loop('heartbeat', () => this.heartbeat(), this.cfg.heartbeatS * 1000);
    void this.loop('bundle poll', async () => {
      const s = await this.pollOnce();
      // a refused or missing bundle is asked for again after a pause, not in a tight loop
      if (s === 'refused' || s === 404) await new Promise((r) => setTimeout(r, 2000));
    }, 0);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cfg = loadConfig();
  const agent = new Agent(cfg);
  agent.init({ listen: process.env.NGINX_LISTEN ?? '8080', upstream: process.env.NGINX_UPSTREAM ?? 'http://127.0.0.1:8081' });
  if (process.argv[2] === 'init') process.exit(0);
  log('started', { service: cfg.service, proxy_id: cfg.proxyId, console: cfg.console, applied: agent.applied });
  agent.start();
  const stop = () => {
    agent.stopped = true;
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
