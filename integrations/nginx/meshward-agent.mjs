#!/usr/bin/env node
// The Meshward agent beside nginx: ships nginx's JSON access log to the console, heartbeats,
// and long-polls the service's policy bundle, which it verifies (Ed25519 signature over the
// content's SHA-256, service, format, revision, issue time and expiry, by a console key it
// trusts; no lower revision than the one applied), writes atomically, checks with `nginx -t`
// and loads with `nginx -s reload`. When anything fails it keeps the last good rules.
// It also long-polls the content filter's classifier set (`?format=classifiers`), verified the
// same way with its own applied revision, validated with the filter's own code, written beside
// nginx.conf and loaded with a reload; the filter's findings ride in the access log it ships.
// Node 20+, no dependencies. Configuration by environment (see README.md).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { KeyTrust } from './bundle-trust.mjs';
import { buildInspectModule, loadFilterInNode } from './inspect-build.mjs';
import { LogFollower } from './log-follower.mjs';
import { DEFAULT_JS_MODULE, NO_POLICY, renderInspectConf, renderNginxConf } from './nginx-conf.mjs';

const run = promisify(execFile);
const env = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined || v === '') {
    if (fallback === undefined) throw new Error(`${name} is required`);
    return fallback;
  }
  return v;
};

/** What the filter runs before the first classifier set arrives: nothing. */
/**
 * Until the console has published a classifier set (its bundle answers 404), the filter runs
 * the built-in set, revision 0: every built-in class reported, nothing redacted or blocked.
 */
export const NO_CLASSIFIERS = {
  revision: null,
  builtins: ['credit_card', 'iban', 'ssn', 'email', 'phone', 'jwt', 'bearer_token', 'api_key', 'private_key', 'password'],
  custom: [], rules: [], maxBodyBytes: 65536,
};

export function loadConfig() {
  const prefix = path.resolve(env('NGINX_PREFIX'));
  const conf = path.resolve(prefix, env('NGINX_CONF', 'nginx.conf'));
  const jsModule = env('NGINX_JS_MODULE', existsSync(DEFAULT_JS_MODULE) ? DEFAULT_JS_MODULE : 'none');
  return {
    console: env('MESHWARD_URL').replace(/\/$/, ''),
    token: env('MESHWARD_TOKEN'),
    service: env('MESHWARD_SERVICE'),
    proxyId: env('MESHWARD_PROXY_ID', `nginx-${process.pid}`),
    cluster: env('MESHWARD_CLUSTER', null),
    node: env('MESHWARD_NODE', null),
    nginx: env('NGINX_BIN', 'nginx'),
    prefix,
    conf,
    /** the content filter: on (njs) or off */
    inspect: env('MESHWARD_INSPECT', 'on') !== 'off',
    /** the njs module nginx loads (`load_module`), or none when built in */
    jsModule: jsModule === 'none' ? null : jsModule,
    /** the classifier set the filter reads, beside nginx.conf */
    classifiersFile: path.resolve(path.dirname(conf), env('MESHWARD_CLASSIFIERS_FILE', 'meshward-classifiers.json')),
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

/** The revision in a classifier file, or undefined when it cannot be read. */
function fileRevision(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8')).revision;
  } catch {
    return undefined;
  }
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
    /** the classifier revision applied (0 is the console's default), null before the first */
    this.classifiers = null;
    this.classifiersEtag = null;
    /** the applied set's file is missing or holds another revision: write it again */
    this.classifiersStale = false;
    this.state = {};
    /** applies one bundle at a time: each rewrites files, runs nginx -t and reloads */
    this.applying = Promise.resolve();
    this.filter = null;
    this.counters = {
      lines_shipped: 0, batches_failed: 0, bundles_applied: 0, bundles_refused: 0, reloads_failed: 0,
      // why bundles were refused: replayed (lower revision), expired, issued in the future,
      // bad signature or hash, untrusted or retired key, malformed, refused by nginx -t
      refused_replay: 0, refused_expired: 0, refused_future: 0, refused_signature: 0, refused_key: 0, refused_invalid: 0, refused_nginx: 0,
      // the content filter's classifier sets, and the refusals by the same reasons
      classifiers_applied: 0, classifiers_refused: 0,
      classifiers_refused_replay: 0, classifiers_refused_expired: 0, classifiers_refused_future: 0, classifiers_refused_signature: 0,
      classifiers_refused_key: 0, classifiers_refused_invalid: 0, classifiers_refused_nginx: 0,
      // what the filter did, from the shipped log lines: bodies read, too large or compressed to read, failures, actions
      bodies_scanned: 0, bodies_oversize: 0, bodies_encoded: 0, bodies_binary: 0, inspect_errors: 0, requests_blocked: 0, responses_blocked: 0, bodies_redacted: 0,
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

  get inspectModuleFile() {
    return path.join(this.cfg.rulesDir, 'meshward-inspect.js');
  }

  get inspectConfFile() {
    return path.join(this.cfg.rulesDir, 'meshward-inspect.conf');
  }

  /**
   * Writes nginx.conf and empty rules when missing (first start), and the content filter's
   * module, built from the engine (nginx loads a changed module at its next reload).
   */
  init({ listen, upstream }) {
    const { cfg } = this;
    for (const d of [cfg.rulesDir, path.dirname(cfg.accessLog), path.dirname(cfg.positionFile), path.dirname(cfg.classifiersFile), path.join(cfg.prefix, 'temp'), path.join(cfg.prefix, 'logs')]) mkdirSync(d, { recursive: true });
    if (!existsSync(path.join(cfg.rulesDir, 'meshward-http.conf'))) {
      writeFileSync(path.join(cfg.rulesDir, 'meshward-http.conf'), NO_POLICY.http);
      writeFileSync(path.join(cfg.rulesDir, 'meshward-server.conf'), NO_POLICY.server);
    }
    if (cfg.inspect) {
      const module = buildInspectModule({ classifiersFile: cfg.classifiersFile });
      if (!existsSync(this.inspectModuleFile) || readFileSync(this.inspectModuleFile, 'utf8') !== module) writeAtomic(this.inspectModuleFile, module);
      this.moduleText = module;
      if (!existsSync(cfg.classifiersFile)) writeAtomic(cfg.classifiersFile, `${JSON.stringify(NO_CLASSIFIERS)}\n`);
      if (!existsSync(this.inspectConfFile)) writeAtomic(this.inspectConfFile, renderInspectConf(NO_CLASSIFIERS.maxBodyBytes));
    }
    if (!existsSync(cfg.conf)) {
      writeFileSync(cfg.conf, renderNginxConf({
        listen, upstream, rulesDir: cfg.rulesDir, accessLog: cfg.accessLog, errorLog: path.join(cfg.prefix, 'logs/error.log'),
        pidFile: path.join(cfg.prefix, 'logs/nginx.pid'), tempDir: path.join(cfg.prefix, 'temp'), jsModule: cfg.jsModule, inspect: cfg.inspect,
      }));
    }
    if (cfg.inspect && !readFileSync(cfg.conf, 'utf8').includes('MESHWARD.request')) {
      // written by an older agent, or by hand: classifier sets are applied, nothing reads them
      log('nginx.conf does not run the content filter: see README "A hand-written nginx.conf"', { conf: cfg.conf });
    }
    if (existsSync(cfg.stateFile)) {
      try {
        this.state = JSON.parse(readFileSync(cfg.stateFile, 'utf8'));
        const revision = this.state.revision;
        this.applied = Number.isSafeInteger(revision) && revision > 0 ? revision : 0;
        const c = this.state.classifiers?.revision;
        this.classifiers = Number.isSafeInteger(c) && c >= 0 ? c : null;
        // the file lost or replaced by hand: the same revision is written again when the console serves it
        this.classifiersStale = cfg.inspect && this.classifiers !== null && fileRevision(cfg.classifiersFile) !== this.classifiers;
      } catch {
        // the expiry of bundles still bounds what could be replayed until the next one is applied
        this.state = {};
        log('the state file is unreadable: any current bundle will be accepted', { file: cfg.stateFile });
      }
    }
  }

  /** Policy fields at the top (as before), the classifier set's under `classifiers`. */
  saveState(fields) {
    this.state = { ...this.state, ...fields };
    writeAtomic(this.cfg.stateFile, JSON.stringify(this.state));
  }

  /** Runs `fn` after any apply under way: two bundles never rewrite files or reload nginx at once. */
  exclusive(fn) {
    const next = this.applying.then(fn, fn);
    this.applying = next.catch(() => undefined);
    return next;
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
  apply(bundle) {
    return this.exclusive(() => this.applyRules(bundle));
  }

  async applyRules(bundle) {
    let parts;
    try {
      parts = JSON.parse(bundle.content);
    } catch {
      return 'content is not the nginx rules document';
    }
    if (typeof parts.http !== 'string' || typeof parts.server !== 'string') return 'content lacks the http and server rules';
    const dir = this.cfg.rulesDir;
    const problem = await this.swapAndReload({ [path.join(dir, 'meshward-http.conf')]: parts.http, [path.join(dir, 'meshward-server.conf')]: parts.server }, 'the rules');
    if (problem) return problem;
    this.applied = bundle.revision;
    this.saveState({ revision: bundle.revision, sha256: bundle.sha256, issued_at: bundle.issued_at, applied_at: new Date().toISOString() });
    return null;
  }

  /**
   * Replaces files (atomically, each), runs nginx -t and reloads; puts the previous files back on
   * failure (a file that did not exist comes back empty: nginx.conf includes it). An error text or null.
   */
  async swapAndReload(files, what = 'the configuration') {
    const previous = {};
    for (const file of Object.keys(files)) previous[file] = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const put = (content) => {
      for (const [file, text] of Object.entries(content)) if (text !== null) writeAtomic(file, text);
    };
    put(files);
    try {
      await this.nginx('-t');
    } catch (e) {
      put(previous);
      return `nginx -t refused ${what}: ${String(e.stderr ?? e.message).trim().split('\n').slice(-2).join(' ')}`;
    }
    try {
      await this.nginx('-s', 'reload');
    } catch (e) {
      put(previous);
      this.counters.reloads_failed++;
      return `nginx reload failed: ${String(e.stderr ?? e.message).trim()}`;
    }
    return null;
  }

  /** The filter's own code (the module nginx runs), loaded in Node to validate a set before it is written. */
  async filterInNode() {
    if (!this.filter) this.filter = await loadFilterInNode(this.moduleText ?? readFileSync(this.inspectModuleFile, 'utf8'));
    return this.filter;
  }

  /** Writes a classifier set beside nginx.conf, keeps it only if nginx takes it; returns a refusal or null. */
  applyClassifiers(bundle) {
    return this.exclusive(async () => {
      let set;
      try {
        set = JSON.parse(bundle.content);
      } catch {
        return { reason: 'invalid', message: 'content is not a classifier set' };
      }
      if (typeof set !== 'object' || set === null || set.revision !== bundle.revision) return { reason: 'invalid', message: 'the classifier set names another revision than its bundle' };
      try {
        (await this.filterInNode()).load(bundle.content);
      } catch (e) {
        return { reason: 'invalid', message: `the content filter cannot run this set: ${e.message}` };
      }
      const problem = await this.swapAndReload({
        [this.cfg.classifiersFile]: `${bundle.content}\n`,
        [this.inspectConfFile]: renderInspectConf(set.maxBodyBytes),
      });
      if (problem) return { reason: 'nginx', message: problem };
      this.classifiers = bundle.revision;
      this.classifiersStale = false;
      this.saveState({ classifiers: { revision: bundle.revision, sha256: bundle.sha256, issued_at: bundle.issued_at, applied_at: new Date().toISOString() } });
      return null;
    });
  }

  /** Verifies a bundle, learning the console's key set first when it names a key not yet known. */
  async check(bundle, format = 'nginx') {
    const trust = await this.keys();
    const applied = format === 'classifiers' ? (this.classifiers ?? -1) : this.applied;
    const expect = () => ({ service: this.cfg.service, applied, now: Date.now(), skewS: this.cfg.skewS, format });
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

  /** One long poll for the classifier set: applied, unchanged (304) or refused. */
  async pollClassifiersOnce() {
    const url = `${this.cfg.console}/api/fleet/v1/bundles/${this.cfg.service.split('/').map(encodeURIComponent).join('/')}?format=classifiers&wait=${this.cfg.waitS}`;
    const r = await fetch(url, { headers: this.headers(this.classifiersEtag ? { 'if-none-match': this.classifiersEtag } : {}), signal: this.timeout(this.cfg.waitS) });
    if (r.status === 304 || r.status === 404) return r.status;
    if (!r.ok) throw new Error(`classifier bundle: HTTP ${r.status}`);
    const bundle = await r.json();
    const etag = r.headers.get('etag');
    if (bundle.revision === this.classifiers && !this.classifiersStale) {
      this.classifiersEtag = etag;
      return 200;
    }
    let refused = await this.check(bundle, 'classifiers');
    if (!refused) refused = await this.applyClassifiers(bundle);
    if (refused) {
      this.counters.classifiers_refused++;
      this.counters[`classifiers_refused_${refused.reason}`]++;
      log('refused a classifier set: keeping the last good one', { revision: bundle.revision, applied: this.classifiers, reason: refused.reason, problem: refused.message });
      return 'refused';
    }
    this.classifiersEtag = etag;
    this.counters.classifiers_applied++;
    log('applied classifier set', { revision: bundle.revision });
    this.heartbeat().catch(() => undefined);
    return 200;
  }

  async heartbeat() {
    const body = {
      proxy_id: this.cfg.proxyId, version: 'meshward-nginx-agent/0.1', service: this.cfg.service,
      ...(this.cfg.cluster ? { cluster: this.cfg.cluster } : {}), ...(this.cfg.node ? { node: this.cfg.node } : {}),
      policy_revision: this.applied ? String(this.applied) : null,
      classifier_revision: this.classifiers,
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
      sensitive: this.sensitive(n),
    };
  }

  /** The content filter's findings in a log line, as the console's `sensitive` list (at most 64 entries); counts what it did. */
  sensitive(n) {
    const c = this.counters;
    for (const state of [n.inspect_request, n.inspect_response]) {
      if (state === 'scanned') c.bodies_scanned++;
      else if (state === 'oversize') c.bodies_oversize++;
      else if (state === 'encoded') c.bodies_encoded++;
      else if (state === 'binary') c.bodies_binary++;
      else if (state === 'error') c.inspect_errors++;
    }
    for (const action of String(n.inspect_action ?? '').split(',')) {
      if (action === 'blocked_request') c.requests_blocked++;
      else if (action === 'blocked_response') c.responses_blocked++;
      else if (action === 'redacted_request' || action === 'redacted_response') c.bodies_redacted++;
    }
    const out = [];
    for (const text of [n.sensitive_request, n.sensitive_response]) {
      if (!text) continue;
      try {
        const list = JSON.parse(text);
        if (Array.isArray(list)) out.push(...list);
      } catch {
        c.inspect_errors++;
      }
    }
    return out.length ? out.slice(0, 64) : undefined;
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
    if (this.cfg.inspect) {
      void this.loop('classifier poll', async () => {
        const s = await this.pollClassifiersOnce();
        if (s === 'refused' || s === 404) await sleep(this.pauseMs);
      }, 0);
    }
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
