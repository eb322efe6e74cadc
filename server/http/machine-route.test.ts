import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase, rows, type Database, type Engine } from '@/db/client';
import { handleHeartbeat } from '@/server/fleet/http';
import { ProxyOwnership } from '@/server/fleet/ownership';
import { ProxyTokenCache } from '@/server/fleet/token-cache';
import { createProxyToken } from '@/server/fleet/tokens';
import { handleEnvoyIngest, handleOtlpIngest } from '@/server/ingest/http';
import { decodeRpcStatus, encodeOtlpLogsRequest } from '@/server/ingest/otlp-proto';
import { readiness } from '@/server/ops/health';
import { handleBundle } from '@/server/policy/http';
import type { Runtime } from '@/server/runtime';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { testRuntime } from '@/server/testing/runtime';
import { createTempDatabase } from '@/scripts/lib/temp-database';

const envoyLine = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ start_time: new Date().toISOString(), method: 'GET', path: '/orders/1', response_code: 200, request_id: id, ...extra });

const otlp = (id: string) => ({
  resourceLogs: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }, { key: 'k8s.namespace.name', value: { stringValue: 'shop' } }] },
    scopeLogs: [{ logRecords: [{
      timeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
      attributes: [
        { key: 'http.request.method', value: { stringValue: 'GET' } },
        { key: 'url.path', value: { stringValue: '/orders/1' } },
        { key: 'http.response.status_code', value: { intValue: '200' } },
        { key: 'meshward.request_id', value: { stringValue: id } },
      ],
    }] }],
  }],
});

/** google.rpc.Status { int32 code = 1; string message = 2; } */

type Call = (token: string) => Promise<Response>;

/** Every machine route, with a valid request for `token`. */
function machineCalls(rt: () => Runtime): Record<string, Call> {
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    'otlp protobuf': (t) => handleOtlpIngest(new Request('http://console/v1/logs', {
      method: 'POST', body: Buffer.from(encodeOtlpLogsRequest(otlp('p1'))), headers: { ...auth(t), 'content-type': 'application/x-protobuf' },
    }), rt()),
    'otlp json': (t) => handleOtlpIngest(new Request('http://console/v1/logs', {
      method: 'POST', body: JSON.stringify(otlp('j1')), headers: { ...auth(t), 'content-type': 'application/json' },
    }), rt()),
    envoy: (t) => handleEnvoyIngest(new Request('http://console/api/ingest/envoy', {
      method: 'POST', body: envoyLine('e1', { upstream_cluster: 'outbound|80||orders.shop.svc.cluster.local' }), headers: auth(t),
    }), rt()),
    heartbeat: (t) => handleHeartbeat(new Request('http://console/api/fleet/v1/status', {
      method: 'POST', body: JSON.stringify({ proxy_id: 'gw-1', service: 'shop/orders' }), headers: auth(t),
    }), rt()),
    bundle: (t) => handleBundle(new Request('http://console/api/fleet/v1/bundles/shop/orders', { headers: auth(t) }), rt()),
  };
}

/** A database of its own, which the test can take away (close) under a running runtime. */
async function ownDatabase(engine: Engine): Promise<{ database: Database; drop(): Promise<void> }> {
  if (engine === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, drop: async () => undefined };
  }
  const temp = await createTempDatabase(process.env.TEST_DATABASE_URL!, 'meshward_outage');
  const database = await openDatabase({ databaseUrl: temp.url, poolSize: 3 });
  return { database, drop: () => temp.drop() };
}

describeEachEngine('machine routes when the database fails', (h) => {
  it('answer 503 with Retry-After, never 500, whether the token lookup, the ownership check or the write fails', async () => {
    const own = await ownDatabase(h.engine);
    const { database } = own;
    const admin = ctxFor(database.db, actor('admin'));
    const cached = (await createProxyToken(admin, { name: 'cached', services: ['*'] })).token;
    const fresh = (await createProxyToken(admin, { name: 'fresh', services: ['*'] })).token;
    const rt = testRuntime(database, {}, {});
    const calls = machineCalls(() => rt);
    try {
      expect(await rt.tokens.verify(cached)).not.toBeNull(); // in the cache from now on
      await database.close(); // PostgreSQL: the pool is gone; PGlite: the engine is closed. Every statement fails.

      for (const [name, call] of Object.entries(calls)) {
        for (const [which, token] of [['token lookup', fresh], ['ownership, write or read', cached]] as const) {
          const r = await call(token);
          const what = `${name}, failing at the ${which}`;
          expect(r.status, what).toBe(503);
          expect(r.headers.get('retry-after'), what).toMatch(/^[1-9]\d*$/);
          const body = name === 'otlp protobuf' ? decodeRpcStatus(new Uint8Array(await r.arrayBuffer())) : await r.json();
          if (name.startsWith('otlp')) expect(body, what).toMatchObject({ code: 14, message: expect.stringMatching(/retry later/) });
          else expect(body, what).toEqual({ error: expect.stringMatching(/retry later/) });
          expect(JSON.stringify(body), what).not.toMatch(/Failed query|params|select|insert/i);
        }
      }

      // Readiness says so without the database's own words.
      const ready = await readiness(rt);
      expect(ready).toEqual({ ok: false, engine: h.engine, error: 'the database is unavailable', queue: 0 });
    } finally {
      await rt.shutdown().catch(() => undefined);
      await own.drop();
    }
  });
});

describeEachEngine('machine routes', (h) => {
  let rt: Runtime;
  let token: string;
  let shopToken: string;
  const count = async () => (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from access_events`))[0].n;
  const envoy = (body: BodyInit, t = token, headers: Record<string, string> = {}) =>
    handleEnvoyIngest(new Request('http://console/api/ingest/envoy', {
      method: 'POST', body, headers: { authorization: `Bearer ${t}`, ...headers }, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit), rt);
  const bundle = (path: string, t: string | null = token) =>
    handleBundle(new Request(`http://console/api/fleet/v1/bundles/${path}`, { headers: t ? { authorization: `Bearer ${t}` } : {} }), rt);
  const heartbeat = (body: unknown, t = token) =>
    handleHeartbeat(new Request('http://console/api/fleet/v1/status', { method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${t}` } }), rt);

  async function start(env: Record<string, string> = {}, writer: { maxQueuedEvents?: number } = {}, database: Database = h.database) {
    await rt?.shutdown();
    rt = testRuntime(database, env, writer);
  }

  beforeEach(async () => {
    await start();
    token = (await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'gateway', services: ['*'] })).token;
    shopToken = (await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'shop sidecars', services: ['shop/*'] })).token;
  });
  afterEach(() => rt.shutdown());

  it('answer an unexpected exception with 503 + Retry-After and a message that gives nothing away', async () => {
    rt = { ...rt, discovery: { routeEvents: () => { throw new TypeError('secret internals at line 42'); }, observeEvents: () => undefined } } as unknown as Runtime;
    const r = await envoy(envoyLine('x1'));
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    const body = await r.text();
    expect(body).not.toContain('secret internals');
    expect(JSON.parse(body)).toEqual({ error: 'the console could not handle this request; retry later' });
  });

  it('a bundle path that is not valid percent-encoding is 401 without a token and 400 with one, never 500', async () => {
    expect((await bundle('a/%25', null)).status).toBe(401);
    const percent = await bundle('a/%25'); // decodes to `a/%`: no service is called that
    expect(percent.status).toBe(400);
    expect((await percent.json()).error).toContain('name the service');
    const bad = await bundle('a/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain('percent-encoding');
    expect((await bundle('a/%')).status).toBe(400);
    expect((await bundle('shop/a%2Fb')).status).toBe(400);
    expect((await bundle('shop/or ders')).status).toBe(400);
    expect((await bundle('shop/or%00ders')).status).toBe(400);
    expect((await bundle('')).status).toBe(400);
    expect((await bundle('shop/orders')).status).toBe(404); // valid, nothing published
    expect((await bundle('shop/ord%65rs')).status).toBe(404); // decoded once: shop/orders
  });

  it('keeps a token to its services: bundles and heartbeats outside them are 403, events outside them are not stored', async () => {
    const foreign = await bundle('payments/cards', shopToken);
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error).toBe('service "payments/cards" is outside this proxy token\'s services (shop/*); use a token created for it');
    expect((await bundle('shop/orders', shopToken)).status).toBe(404);
    expect((await bundle('payments/cards', token)).status).toBe(404); // `*`

    expect((await heartbeat({ proxy_id: 'shop-1', service: 'payments/cards' }, shopToken)).status).toBe(403);
    expect((await heartbeat({ proxy_id: 'shop-1', service: 'shop/orders' }, shopToken)).status).toBe(200);
    expect((await heartbeat({ proxy_id: 'shop-1' }, shopToken)).status).toBe(200);

    const lines = [
      envoyLine('s1', { upstream_cluster: 'outbound|80||orders.shop.svc.cluster.local' }),
      envoyLine('s2', { upstream_cluster: 'outbound|80||cards.payments.svc.cluster.local' }),
      envoyLine('s3'), // no destination: attributed to nobody
    ].join('\n');
    const r = await envoy(lines, shopToken, { 'x-meshward-proxy-id': 'shop-1' });
    expect(r.status).toBe(200);
    const json = await r.json();
    expect(json).toEqual({ partialSuccess: { rejectedLogRecords: 2, errorMessage: expect.any(String) } });
    expect(json.partialSuccess.errorMessage).toContain('"payments/cards" is outside');
    expect(await count()).toBe(1);
    expect((await rows<{ dst_service: string }>(h.db, sql`select dst_service from access_events`))[0].dst_service).toBe('shop/orders');
  });

  it('refuses a body past the concurrent-bodies bound with 429 + Retry-After, and gives every byte back', async () => {
    await start({ MESHWARD_INGEST_MAX_BODIES: '2' });
    const held: Array<ReadableStreamDefaultController<Uint8Array>> = [];
    const stream = () => new ReadableStream<Uint8Array>({ start: (c) => void held.push(c) });
    const first = envoy(stream());
    const second = envoy(stream());
    await expect.poll(() => rt.inflight.bodies).toBe(2);
    const third = await envoy(envoyLine('t3'));
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(await third.json()).toEqual({ error: expect.stringContaining('request bodies') });
    held.forEach((c, i) => {
      c.enqueue(new TextEncoder().encode(envoyLine(`held-${i}`)));
      c.close();
    });
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect((await envoy(envoyLine('t4'))).status).toBe(200);
    expect(rt.inflight.bodies).toBe(0);
    expect(rt.inflight.bytes).toBe(0);
  });

  it('counts bytes being read and parsed batches waiting for their commit against one memory bound', async () => {
    // 1 MiB in flight; a batch of 300 events holds ~300 KiB until committed.
    let open = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const gated = new Proxy(h.db, {
      get: (target, key) => (key === 'execute' ? async (q: unknown) => (await gate, target.execute(q as never)) : Reflect.get(target, key)),
    });
    await start({ MESHWARD_INGEST_MAX_BYTES: '32768', MESHWARD_INGEST_INFLIGHT_BYTES: String(1024 * 1024) }, {}, { ...h.database, db: gated } as Database);
    // only the writer waits; the token and ownership checks answer
    rt.tokens.close();
    rt.tokens = new ProxyTokenCache(h.db);
    rt.ownership = new ProxyOwnership(h.db);
    const batch = (b: number) => gzipSync(Array.from({ length: 300 }, (_, i) => envoyLine(`b${b}-${i}`)).join('\n'));
    const waiting = [envoy(batch(1), token, { 'content-encoding': 'gzip' }), envoy(batch(2), token, { 'content-encoding': 'gzip' }), envoy(batch(3), token, { 'content-encoding': 'gzip' })];
    await expect.poll(() => rt.inflight.bytes).toBe(3 * 300 * 1024);
    const over = await envoy(batch(4), token, { 'content-encoding': 'gzip' });
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('1');
    open();
    for (const r of await Promise.all(waiting)) expect(r.status).toBe(200);
    expect(rt.inflight.bytes).toBe(0);
    expect((await envoy(batch(4), token, { 'content-encoding': 'gzip' })).status).toBe(200);
    expect(await count()).toBe(1200);
  });

  it('gives the budget back after every kind of refusal', async () => {
    await start({ MESHWARD_INGEST_MAX_BYTES: '65536' });
    expect((await envoy(envoyLine('a'), 'mwp_unknown')).status).toBe(401);
    expect((await envoy('not json')).status).toBe(400);
    expect((await envoy('x'.repeat(70_000))).status).toBe(413);
    expect((await envoy(gzipSync(Buffer.alloc(65536 * 9, 32)), token, { 'content-encoding': 'gzip' })).status).toBe(413);
    expect((await envoy(Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2]), token, { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await envoy('x', token, { 'content-type': 'image/png' })).status).toBe(415);
    expect((await heartbeat({ proxy_id: 'bad id' })).status).toBe(400);
    expect(rt.inflight.bodies).toBe(0);
    expect(rt.inflight.bytes).toBe(0);
  });
});
