import { gzipSync } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rows, type Database } from '@/db/client';
import { proxies } from '@/db/schema';
import { handleHeartbeat } from '@/server/fleet/http';
import { ProxyOwnership } from '@/server/fleet/ownership';
import { createProxyToken, revokeProxyToken } from '@/server/fleet/tokens';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { testRuntime } from '@/server/testing/runtime';
import type { Runtime } from '@/server/runtime';
import { handleIngest } from './http';
import { decodeExportLogsResponse, encodeOtlpLogsRequest } from './otlp-proto';

const s = (v: string) => ({ stringValue: v });
function otlpBatch(ids: string[], over: Record<string, unknown> = {}) {
  const ns = `${BigInt(Date.now()) * 1_000_000n}`;
  return {
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: s('users') }, { key: 'k8s.namespace.name', value: s('shop') }, { key: 'host.name', value: s('users-abc') }] },
      scopeLogs: [{
        logRecords: ids.map((id) => ({
          timeUnixNano: ns,
          attributes: [
            { key: 'http.request.method', value: s('GET') },
            { key: 'url.path', value: s(`/api/users/${id}`) },
            { key: 'http.response.status_code', value: { intValue: '200' } },
            { key: 'meshward.request_id', value: s(id) },
            ...Object.entries(over).map(([key, value]) => ({ key, value })),
          ],
        })),
      }],
    }],
  };
}
const envoyLine = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ start_time: new Date().toISOString(), method: 'POST', path: '/login', response_code: 401, request_id: id, ...extra });

describeEachEngine('ingest routes', (h) => {
  let rt: Runtime;
  let token: string;
  const count = async () => (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from access_events`))[0].n;
  const post = (path: 'otlp' | 'envoy', body: BodyInit | null, headers: Record<string, string> = {}, useToken = true) =>
    handleIngest(new Request(`http://console${path === 'otlp' ? '/v1/logs' : '/api/ingest/envoy'}`, {
      method: 'POST', body, headers: { ...(useToken ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit), path, rt);

  beforeEach(async () => {
    rt = testRuntime(h.database as Database, { MESHWARD_INGEST_MAX_BYTES: '65536' });
    token = (await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'edge', services: ['*'] })).token;
  });
  afterEach(() => rt.shutdown());

  it('refuses a missing, unknown or revoked token with 401 and a Bearer challenge', async () => {
    const body = JSON.stringify(otlpBatch(['a']));
    const none = await post('otlp', body, { 'content-type': 'application/json' }, false);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toMatchObject({ code: 16, message: expect.stringContaining('proxy token') });
    const wrong = await post('envoy', envoyLine('x'), { authorization: 'Bearer mwp_forged' });
    expect(wrong.status).toBe(401);
    expect(await count()).toBe(0);
  });

  it('stores an OTLP/JSON batch and answers {} once it is committed; a retry stores nothing twice', async () => {
    const body = JSON.stringify(otlpBatch(['a', 'b', 'c']));
    const r = await post('otlp', body, { 'content-type': 'application/json; charset=utf-8' });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({});
    expect(await count()).toBe(3);
    expect((await post('otlp', body, { 'content-type': 'application/json' })).status).toBe(200);
    expect(await count()).toBe(3);
    const [p] = await h.db.select().from(proxies).where(eq(proxies.id, 'users-abc'));
    expect(p).toMatchObject({ service: 'shop/users' });
  });

  it('answers protobuf with protobuf: an empty response, or partial_success naming the rejected record (proto field names)', async () => {
    const ok = await post('otlp', Buffer.from(encodeOtlpLogsRequest(otlpBatch(['p1']))), { 'content-type': 'application/x-protobuf' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-protobuf');
    expect(decodeExportLogsResponse(new Uint8Array(await ok.arrayBuffer()))).toEqual({ rejected: 0, message: '' });
    const mixed = otlpBatch(['p2', 'p3']);
    (mixed.resourceLogs[0].scopeLogs[0].logRecords[1].attributes[2] as { value: unknown }).value = s('teapot');
    const partial = await post('otlp', Buffer.from(encodeOtlpLogsRequest(mixed)), { 'content-type': 'application/x-protobuf' });
    expect(partial.status).toBe(200);
    const decoded = decodeExportLogsResponse(new Uint8Array(await partial.arrayBuffer()));
    expect(decoded.rejected).toBe(1);
    expect(decoded.message).toContain('logRecords[1]');
    expect(decoded.message).toContain('http.response.status_code');
    expect(await count()).toBe(2);
  });

  it('answers OTLP/JSON partial success in the JSON mapping\'s lowerCamelCase, nothing else', async () => {
    const mixed = otlpBatch(['j1', 'j2', 'j3']);
    (mixed.resourceLogs[0].scopeLogs[0].logRecords[1].attributes[2] as { value: unknown }).value = s('teapot');
    const r = await post('otlp', JSON.stringify(mixed), { 'content-type': 'application/json' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const json = await r.json();
    expect(json).toEqual({ partialSuccess: { rejectedLogRecords: 1, errorMessage: expect.stringContaining('logRecords[1]: `http.response.status_code`') } });
    expect(await count()).toBe(2);
  });

  it('keeps the valid lines of a partly valid Envoy batch and says which lines failed', async () => {
    const body = [envoyLine('e1'), '{"start_time":"yesterday"}', 'garbage', envoyLine('e2', { response_code: '503' })].join('\n');
    const r = await post('envoy', body, { 'content-type': 'application/x-ndjson' });
    expect(r.status).toBe(200);
    const json = await r.json();
    expect(json).toEqual({ partialSuccess: { rejectedLogRecords: 2, errorMessage: expect.any(String) } });
    expect(json.partialSuccess.errorMessage).toMatch(/line 2: .*start_time/);
    expect(json.partialSuccess.errorMessage).toContain('line 3: not valid JSON');
    expect(await count()).toBe(2);
  });

  it('answers 400 with a precise message for a malformed batch, as a google.rpc.Status for protobuf', async () => {
    const r = await post('otlp', '{"resourceLogs": 7}', { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ code: 3, message: expect.stringContaining('resourceLogs') });
    const pb = await post('otlp', Buffer.from([0xff, 0xff, 0xff, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(pb.status).toBe(400);
    expect(pb.headers.get('content-type')).toBe('application/x-protobuf');
    expect(Buffer.from(await pb.arrayBuffer()).toString('latin1')).toContain('not a valid OTLP');
    const nothingValid = await post('envoy', 'not json\nalso not', { 'content-type': 'application/x-ndjson' });
    expect(nothingValid.status).toBe(400);
    expect((await nothingValid.json()).error).toContain('line 1: not valid JSON');
  });

  it('refuses unsupported media types and encodings with 415', async () => {
    expect((await post('otlp', 'x', { 'content-type': 'text/xml' })).status).toBe(415);
    expect((await post('envoy', 'x', { 'content-type': 'image/png' })).status).toBe(415);
    const br = await post('otlp', 'x', { 'content-type': 'application/json', 'content-encoding': 'br' });
    expect(br.status).toBe(415);
  });

  it('accepts gzip, refuses broken gzip (400), oversized bodies and gzip bombs (413)', async () => {
    const gz = gzipSync(JSON.stringify(otlpBatch(['g1', 'g2'])));
    expect((await post('otlp', gz, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(200);
    expect(await count()).toBe(2);
    expect((await post('otlp', gz.subarray(0, 20), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(400);
    const big = `${envoyLine('big')}\n${' '.repeat(70_000)}`;
    const declared = await post('envoy', big, { 'content-type': 'application/x-ndjson' });
    expect(declared.status).toBe(413);
    const streamed = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(new Uint8Array(8192).fill(32));
        c.close();
      },
    });
    expect((await post('envoy', streamed, { 'content-type': 'application/x-ndjson' })).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(65536 * 9, 32));
    expect(bomb.length).toBeLessThan(65536);
    expect((await post('envoy', bomb, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' })).status).toBe(413);
    expect(await count()).toBe(2);
  });

  it('answers 429 with Retry-After when the write queue is full, instead of growing', async () => {
    // The writer's statements wait at a gate, so the queue stays full for as long as the test needs.
    let open = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const gated = new Proxy(h.db, {
      get: (target, key) => (key === 'execute' ? async (q: unknown) => (await gate, target.execute(q as never)) : Reflect.get(target, key)),
    });
    rt = testRuntime({ ...h.database, db: gated } as Database, {}, { maxQueuedEvents: 50 });
    rt.ownership = new ProxyOwnership(h.db);
    const principal = (await rt.tokens.verify(token))!;
    const hold = rt.writer.submit(Array.from({ length: 45 }, (_, i) => ({ ...heldEvent(), requestId: `hold-${i}` })), principal);
    const lines = Array.from({ length: 6 }, (_, i) => envoyLine(`q${i}`)).join('\n');
    const r = await post('envoy', lines);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(rt.writer.queuedEvents).toBe(45);
    open();
    await hold;
    expect((await post('envoy', lines)).status).toBe(200);
    expect(await count()).toBe(51);
  });

  it('answers 503 with Retry-After when the database is down', async () => {
    const broken = { ...h.database, db: { execute: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) } } as unknown as Database;
    const down = testRuntime(broken);
    down.tokens = rt.tokens;
    down.ownership = rt.ownership;
    const r = await handleIngest(new Request('http://console/api/ingest/envoy', { method: 'POST', body: envoyLine('d1'), headers: { authorization: `Bearer ${token}` } }), 'envoy', down);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    await down.shutdown();
  });

  it('records heartbeats: 401 without a token, 400 with a message for bad bodies, 200 otherwise', async () => {
    const hb = (body: string, auth = true) =>
      handleHeartbeat(new Request('http://console/api/fleet/v1/status', { method: 'POST', body, headers: auth ? { authorization: `Bearer ${token}` } : {} }), rt);
    expect((await hb('{}', false)).status).toBe(401);
    const notJson = await hb('{');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'body is not valid JSON' });
    const bad = await hb(JSON.stringify({ proxy_id: 'gw 1', interval_s: 'soon' }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/`proxy_id`.*`interval_s`/);
    const ok = await hb(JSON.stringify({ proxy_id: 'gw-1', version: '1.2.3', policy_revision: 'r1' }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true });
    const [p] = await h.db.select().from(proxies).where(eq(proxies.id, 'gw-1'));
    expect(p).toMatchObject({ version: '1.2.3', policyRevision: 'r1', tokenId: expect.stringMatching(/^pt_/) });
    // a workload's SPIFFE id is stored as ingest spells the same identity
    expect((await hb(JSON.stringify({ proxy_id: 'gw-2', service: 'spiffe://cluster.local/ns/shop/sa/web' }))).status).toBe(200);
    const [spiffe] = await h.db.select().from(proxies).where(eq(proxies.id, 'gw-2'));
    expect(spiffe.service).toBe('shop/web');
  });

  it('keeps a proxy id to the token that registered it until that token is revoked', async () => {
    const other = (await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'intruder', services: ['*'] })).token;
    const hb = (t: string) => handleHeartbeat(new Request('http://console/api/fleet/v1/status', {
      method: 'POST', body: JSON.stringify({ proxy_id: 'gw-9', version: '1.0' }), headers: { authorization: `Bearer ${t}` },
    }), rt);
    expect((await hb(token)).status).toBe(200);
    const stolen = await hb(other);
    expect(stolen.status).toBe(403);
    expect((await stolen.json()).error).toContain('"gw-9" belongs to another proxy token');
    const asIntruder = await post('envoy', envoyLine('i1', { proxy_id: 'gw-9' }), { authorization: `Bearer ${other}` });
    expect(asIntruder.status).toBe(403);
    expect(await count()).toBe(0);
    const [p] = await h.db.select().from(proxies).where(eq(proxies.id, 'gw-9'));
    expect(p.version).toBe('1.0');
    const owner = (await rt.tokens.verify(token))!;
    await revokeProxyToken(ctxFor(h.db, actor('admin')), { tokenId: owner.tokenId, reason: 'rotating' });
    expect((await hb(other)).status).toBe(200);
    expect((await post('envoy', envoyLine('i2', { proxy_id: 'gw-9' }), { authorization: `Bearer ${other}` })).status).toBe(200);
  });
});

function heldEvent() {
  return {
    ts: Date.now(), proxyId: 'holder', requestId: 'x', source: 'envoy' as const, cluster: null, namespace: null,
    srcService: 'external', dstService: 'unknown', method: 'GET', path: '/', route: '/', query: null, status: 200, responseFlags: null,
    durationMs: null, bytesIn: null, bytesOut: null, clientIp: null, serverAddress: null, userAgent: null, protocol: null,
    tokenId: null, userId: null, mtls: null, sensitive: null, sample: null,
  };
}
