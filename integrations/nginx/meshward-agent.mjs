#!/usr/bin/env node
// The Meshward agent beside nginx: ships nginx's JSON access log to the console, heartbeats,
// and long-polls the service's policy bundle, which it verifies (Ed25519 signature over the
// content's SHA-256, service, format, revision, issue time and expiry, by a console key it
// trusts; no lower revision than the one applied), writes atomically, checks with `nginx -t`
// and loads with `nginx -s reload`. When anything fails it keeps the last good rules.
// Node 20+, no dependencies. Configuration by environment (see README.md).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { KeyTrust } from './bundle-trust.mjs';
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
    /** keys learned from the console's key set, signed by a trusted key (rotation) */
    trustedKeysFile: path.resolve(prefix, env('MESHWARD_TRUSTED_KEYS_FILE', 'meshward/trusted-keys.json')),
    /** the revision applied last: a lower one is a replay */
    stateFile: path.resolve(prefix, env('MESHWARD_STATE_FILE', 'meshward/applied.json')),
    /** how far the access log has been shipped */
    positionFile: path.resolve(prefix, env('MESHWARD_POSITION_FILE', 'meshward/log-position.json')),
    heartbeatS: number('MESHWARD_HEARTBEAT_S', 10),
    waitS: number('MESHWARD_WAIT_S', 30),
    /** clock difference to the console tolerated on a bundle's issue time and expiry */
    skewS: number('MESHWARD_CLOCK_SKEW_S', 120),
    /** first wait before a retry (doubling each time, up to MESHWARD_RETRY_MAX_MS); pauses after a failure are 4× this */
    retryBaseMs: number('MESHWARD_RETRY_BASE_MS', 500),
    retryMaxMs: number('MESHWARD_RETRY_MAX_MS', 10_000),
    keySetRefreshS: number('MESHWARD_KEYSET_REFRESH_S', 3600),
    /** how long any request may take (beyond the long-poll wait): a console that hangs is retried */
    timeoutS: number('MESHWARD_TIMEOUT_S', 15),
  };
}

function number(name, fallback) {
  const v = Number(env(name, String(fallback)));
  if (!Number.isFinite(v) || v < 0) throw new Error(`${name} must be a non-negative number`);
  return v;
}

const log = (msg, fields = {}) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), svc: 'meshward-nginx-agent', msg, ...fields })}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function writeAtomic(file, text) {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export class Agent {
  constructor(cfg) {
    this.cfg = cfg;
    this.applied = 0;
    this.etag = null;
    this.counters = {
      lines_shipped: 0, batches_failed: 0, bundles_applied: 0, bundles_refused: 0, reloads_failed: 0,
      // why bundles were refused: replayed (lower revision), expired, issued in the future,
      // bad signature or hash, untrusted or retired key, malformed, refused by nginx -t
      refused_replay: 0, refused_expired: 0, refused_future: 0, refused_signature: 0, refused_key: 0, refused_invalid: 0, refused_nginx: 0,
    };
    this.stopped = false;
    this.trust = null;
    this.keySetFetchedAt = 0;
    this.follower = new LogFollower({ file: cfg.accessLog, positionFile: cfg.positionFile });
  }

  /** A deadline for one request: `extraS` (the long-poll wait, a large upload) on top of MESHWARD_TIMEOUT_S. */
  timeout(extraS = 0) {
    return AbortSignal.timeout((this.cfg.timeoutS + extraS) * 1000);
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
    if (existsSync(cfg.stateFile)) {
      try {
        const revision = JSON.parse(readFileSync(cfg.stateFile, 'utf8')).revision;
        this.applied = Number.isSafeInteger(revision) && revision > 0 ? revision : 0;
      } catch {
        // the expiry of bundles still bounds what could be replayed until the next one is applied
        log('the state file is unreadable: any current bundle will be accepted', { file: cfg.stateFile });
      }
    }
  }

  /** The keys the agent trusts, starting from the pinned one (fetched on first contact when not given). */
  async keys() {
    if (this.trust) return this.trust;
    if (!existsSync(this.cfg.publicKeyFile)) {
      const r = await fetch(`${this.cfg.console}/api/fleet/v1/signing-key`, { signal: this.timeout() });
      if (!r.ok) throw new Error(`signing key: HTTP ${r.status}`);
      writeAtomic(this.cfg.publicKeyFile, await r.text());
      log('pinned the console signing key', { key_id: r.headers.get('x-meshward-key-id') });
    }
    this.trust = new KeyTrust({ pinnedPem: readFileSync(this.cfg.publicKeyFile, 'utf8'), file: this.cfg.trustedKeysFile });
    return this.trust;
  }

  /** Learns the console's key set, if a key the agent trusts signed it; true when learned. */
  async refreshKeySet() {
    const trust = await this.keys();
    this.keySetFetchedAt = Date.now();
    const r = await fetch(`${this.cfg.console}/api/fleet/v1/signing-keys`, { signal: this.timeout() });
    if (!r.ok) throw new Error(`signing keys: HTTP ${r.status}`);
    const refused = trust.learn(await r.json(), Date.now(), this.cfg.skewS);
    if (refused) {
      log('refused the console key set: keeping the keys trusted so far', { problem: refused.message });
      return false;
    }
    return true;
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
    writeAtomic(this.cfg.stateFile, JSON.stringify({ revision: bundle.revision, sha256: bundle.sha256, issued_at: bundle.issued_at, applied_at: new Date().toISOString() }));
    return null;
  }

  /** Verifies a bundle, learning the console's key set first when it names a key not yet known. */
  async check(bundle) {
    const trust = await this.keys();
    const expect = () => ({ service: this.cfg.service, applied: this.applied, now: Date.now(), skewS: this.cfg.skewS });
    let refused = trust.check(bundle, expect());
    if (refused?.reason === 'key' && !trust.knows(bundle.key_id)) {
      try {
        if (await this.refreshKeySet()) refused = trust.check(bundle, expect());
      } catch (e) {
        log('could not fetch the console key set', { err: e.message });
      }
    }
    return refused;
  }

  async pollOnce() {
    const url = `${this.cfg.console}/api/fleet/v1/bundles/${this.cfg.service.split('/').map(encodeURIComponent).join('/')}?format=nginx&wait=${this.cfg.waitS}${this.cfg.cluster ? `&cluster=${encodeURIComponent(this.cfg.cluster)}` : ''}`;
    const r = await fetch(url, { headers: this.headers(this.etag ? { 'if-none-match': this.etag } : {}), signal: this.timeout(this.cfg.waitS) });
    if (r.status === 304 || r.status === 404) return r.status;
    if (!r.ok) throw new Error(`bundle: HTTP ${r.status}`);
    const bundle = await r.json();
    const etag = r.headers.get('etag');
    if (bundle.revision === this.applied) {
      this.etag = etag;
      return 200;
    }
    let refused = await this.check(bundle);
    if (!refused) {
      const problem = await this.apply(bundle);
      if (problem) refused = { reason: 'nginx', message: problem };
    }
    if (refused) {
      this.counters.bundles_refused++;
      this.counters[`refused_${refused.reason}`]++;
      log('refused a bundle: keeping the last good rules', { revision: bundle.revision, applied: this.applied, reason: refused.reason, problem: refused.message });
      return 'refused';
    }
    this.etag = etag;
    this.counters.bundles_applied++;
    log('applied policy', { revision: bundle.revision });
    // report the new revision at once; the heartbeat loop retries if the console is busy
    this.heartbeat().catch(() => undefined);
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
    const r = await fetch(`${this.cfg.console}/api/fleet/v1/status`, { method: 'POST', headers: this.headers({ 'content-type': 'application/json' }), body: JSON.stringify(body), signal: this.timeout() });
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
      let waitMs = Math.min(this.cfg.retryMaxMs, this.cfg.retryBaseMs * 2 ** Math.min(attempt, 30));
      try {
        const r = await fetch(`${this.cfg.console}/api/ingest/envoy`, {
          method: 'POST', headers: this.headers({ 'content-type': 'application/x-ndjson' }), body: lines.join('\n'), signal: this.timeout(15),
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
        if (Number.isFinite(retryAfter) && retryAfter > 0) waitMs = Math.min(60, retryAfter) * 1000;
        if (attempt === 0) log('the console is busy; the log batch waits', { status: r.status, retry_after_s: waitMs / 1000 });
      } catch (e) {
        if (attempt === 0) log('the console is unreachable; the log batch waits', { err: e.message });
      }
      await sleep(waitMs);
    }
  }

  /** The pause after a failed or refused step, so nothing retries in a tight loop. */
  get pauseMs() {
    return this.cfg.retryBaseMs * 4;
  }

  async loop(name, body, pauseMs) {
    let failing = false;
    while (!this.stopped) {
      try {
        await body();
        if (failing) log(`${name} recovered`);
        failing = false;
      } catch (e) {
        // said once per outage, not once per retry
        if (!failing) log(`${name} failed, retrying`, { err: e.message });
        failing = true;
        await sleep(this.pauseMs);
      }
      if (pauseMs) await sleep(pauseMs);
    }
  }

  start() {
    void this.loop('log shipping', async () => {
      // a full read means more is waiting: read again at once
      if (!(await this.shipOnce())) await sleep(250);
    }, 0);
    void this.loop('heartbeat', () => this.heartbeat(), this.cfg.heartbeatS * 1000);
    void this.loop('bundle poll', async () => {
      // keys announced ahead of a rotation are learned before they sign anything
      if (Date.now() - this.keySetFetchedAt > this.cfg.keySetRefreshS * 1000) {
        await this.refreshKeySet().catch((e) => log('could not fetch the console key set', { err: e.message }));
      }
      const s = await this.pollOnce();
      // a refused or missing bundle is asked for again after a pause, not in a tight loop
      if (s === 'refused' || s === 404) await sleep(this.pauseMs);
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
