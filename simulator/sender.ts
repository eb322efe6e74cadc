import { setMaxListeners } from 'node:events';
import type { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeExportLogsResponse } from '@/server/ingest/otlp-proto';
import { keepAliveAgent, post, type PostResult } from './http-post';
import type { WireBatch } from './encode';
import type { Proxy } from './topology';

/** The console refused the credentials (401) or the proxy ids (403): retrying cannot help. */
export class FatalSendError extends Error {}

export interface SendStats {
  events: number;
  batches: number;
  bytes: number;
  /** 429/503 answers and network errors that were retried */
  retries: number;
  /** events the console refused (partial success, or a 4xx batch) */
  rejected: number;
  heartbeats: number;
}

export interface SenderOptions {
  /** console base URL, `http://localhost:3000` */
  target: string;
  /** the proxy token a cluster's proxies use */
  tokenFor(cluster: string): string;
  /** requests in flight at once */
  sockets?: number;
  /** stops retries and waits when aborted */
  signal?: AbortSignal;
  /** network errors in a row before giving up (the console is not there); Infinity to wait forever */
  maxNetworkRetries?: number;
  warn?(message: string): void;
}

const MAX_RETRY_AFTER_S = 30;

function retryAfterMs(res: PostResult): number {
  const header = Number(res.headers['retry-after']);
  return (Number.isFinite(header) && header > 0 ? Math.min(header, MAX_RETRY_AFTER_S) : 1) * 1000;
}

function rejectedIn(batch: WireBatch, res: PostResult): number {
  try {
    if (batch.headers['content-type'] === 'application/x-protobuf') return decodeExportLogsResponse(res.body).rejected;
    // OTLP/JSON: lowerCamelCase, the int64 count as a number or a string
    const json = JSON.parse(res.body.toString('utf8')) as { partialSuccess?: { rejectedLogRecords?: number | string } };
    return Number(json.partialSuccess?.rejectedLogRecords ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Posts batches and heartbeats the way a proxy's log shipper does: bearer token, 429/503
 * honoured with Retry-After, network errors retried with backoff, 4xx batches dropped (a
 * resend would be refused again).
 */
export class TelemetrySender {
  readonly stats: SendStats = { events: 0, batches: 0, bytes: 0, retries: 0, rejected: 0, heartbeats: 0 };
  /** events accepted per proxy id, reported in heartbeats */
  readonly perProxy = new Map<string, number>();
  private readonly agent: Agent;

  constructor(private readonly opts: SenderOptions) {
    this.agent = keepAliveAgent(opts.sockets ?? 4);
    // Every request waiting on a retry listens to the signal: a whole fleet's heartbeats at once is normal.
    if (opts.signal) setMaxListeners(0, opts.signal);
  }

  private async request(path: string, body: Uint8Array, headers: Record<string, string>, cluster: string): Promise<PostResult> {
    const url = `${this.opts.target}${path}`;
    const auth = { ...headers, authorization: `Bearer ${this.opts.tokenFor(cluster)}` };
    for (let attempt = 0; ; attempt++) {
      this.opts.signal?.throwIfAborted();
      let res: PostResult;
      try {
        res = await post(url, body, auth, this.agent);
      } catch (e) {
        if (attempt >= (this.opts.maxNetworkRetries ?? 10)) throw new FatalSendError(`cannot reach ${this.opts.target}: ${(e as Error).message}`);
        this.stats.retries += 1;
        await sleep(Math.min(5000, 250 * 2 ** Math.min(attempt, 5)), undefined, { signal: this.opts.signal });
        continue;
      }
      if (res.status === 429 || res.status === 503) {
        this.stats.retries += 1;
        await sleep(retryAfterMs(res), undefined, { signal: this.opts.signal });
        continue;
      }
      if (res.status === 401 || res.status === 403) {
        throw new FatalSendError(`${path} answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
      }
      return res;
    }
  }

  async send(batch: WireBatch): Promise<void> {
    const res = await this.request(batch.path, batch.body, batch.headers, batch.cluster);
    if (res.status !== 200) {
      this.stats.rejected += batch.events;
      this.opts.warn?.(`a batch of ${batch.events} events was refused with ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
      return;
    }
    const rejected = rejectedIn(batch, res);
    this.stats.rejected += rejected;
    this.stats.events += batch.events - rejected;
    this.stats.batches += 1;
    this.stats.bytes += batch.body.byteLength;
    for (const [proxy, n] of batch.proxies) this.perProxy.set(proxy, (this.perProxy.get(proxy) ?? 0) + n);
  }

  /** Sends batches with up to `parallel` in flight, in the order given. */
  async sendAll(batches: WireBatch[], parallel = 2): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < batches.length) await this.send(batches[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(parallel, batches.length) }, worker));
  }

  private bundles = new Map<string, { etag: string | null; revision: number | null; checkedAt: number }>();

  /**
   * The service's newest published policy revision, as a proxy's agent would have applied it:
   * the bundle is polled with If-None-Match at most every few seconds per service (a simulated
   * proxy takes what the console serves; a real agent verifies its signature first).
   */
  private async appliedRevision(service: string, cluster: string): Promise<number | null> {
    const known = this.bundles.get(service);
    if (known && Date.now() - known.checkedAt < 5000) return known.revision;
    const entry = { etag: known?.etag ?? null, revision: known?.revision ?? null, checkedAt: Date.now() };
    this.bundles.set(service, entry);
    try {
      const res = await fetch(`${this.opts.target}/api/fleet/v1/bundles/${service.split('/').map(encodeURIComponent).join('/')}?format=meshward`, {
        headers: { authorization: `Bearer ${this.opts.tokenFor(cluster)}`, ...(entry.etag ? { 'if-none-match': entry.etag } : {}) },
        signal: AbortSignal.timeout(5000),
      });
      if (res.status === 200) {
        entry.revision = ((await res.json()) as { revision: number }).revision;
        entry.etag = res.headers.get('etag');
      } else {
        await res.arrayBuffer();
        if (res.status === 404) entry.revision = null;
      }
    } catch {
      // the console did not answer: the proxy keeps what it has
    }
    return entry.revision;
  }

  /** `POST /api/fleet/v1/status`: who the proxy is, what it runs, what it has sent. */
  async heartbeat(proxy: Proxy): Promise<void> {
    const revision = await this.appliedRevision(proxy.service.name, proxy.service.cluster);
    const body = Buffer.from(JSON.stringify({
      proxy_id: proxy.id,
      version: proxy.version,
      cluster: proxy.service.cluster,
      node: proxy.node,
      service: proxy.service.name,
      interval_s: proxy.heartbeatS,
      ...(revision ? { policy_revision: String(revision) } : {}),
      counters: { events_reported: this.perProxy.get(proxy.id) ?? 0 },
    }));
    const res = await this.request('/api/fleet/v1/status', body, { 'content-type': 'application/json' }, proxy.service.cluster);
    if (res.status === 200) this.stats.heartbeats += 1;
    else this.opts.warn?.(`heartbeat of ${proxy.id} answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`);
  }

  close() {
    this.agent.destroy();
  }
}
