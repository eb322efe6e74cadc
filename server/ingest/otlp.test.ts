import { describe, expect, it } from 'vitest';
import { MalformedBatchError, type ParseDefaults } from './event';
import { parseOtlp } from './otlp';
import {
  decodeExportLogsResponse, decodeOtlpLogsProto, encodeExportLogsResponse, encodeOtlpLogsRequest,
} from './otlp-proto';

const NOW = 1_700_000_000_000 + 3_600_000;
const defaults: ParseDefaults = { proxyId: 'token-proxy', now: NOW, retentionDays: 30 };
const T = '1700000000123456789';

type Value = string | number | boolean | { arrayValue: unknown } | { kvlistValue: unknown } | { intValue: unknown }
  | { doubleValue: unknown } | { stringValue: unknown };
const v = (x: Value) =>
  typeof x === 'string' ? { stringValue: x }
  : typeof x === 'boolean' ? { boolValue: x }
  : typeof x === 'number' ? (Number.isInteger(x) ? { intValue: String(x) } : { doubleValue: x })
  : x;
const attrs = (o: Record<string, Value>) => Object.entries(o).map(([key, x]) => ({ key, value: v(x) }));

const request = { 'http.request.method': 'GET', 'url.path': '/api/cart', 'http.response.status_code': 200 };
const record = (a: Record<string, Value> = {}, extra: object = {}) => ({
  timeUnixNano: T, attributes: attrs({ ...request, ...a }), ...extra,
});
const batch = (records: unknown[], resource: Record<string, Value> = {}) => ({
  resourceLogs: [{ resource: { attributes: attrs(resource) }, scopeLogs: [{ scope: { name: 'envoy' }, logRecords: records }] }],
});
const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const parseJson = (o: unknown) => parseOtlp(json(o), 'json', defaults);
const malformed = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedBatchError);
    return (err as Error).message;
  }
  throw new Error('expected MalformedBatchError');
};

const full = {
  'http.request.method': 'post',
  'url.path': '/api/users/7/cards',
  'url.query': 'expand=1',
  'http.response.status_code': 201,
  'client.address': '203.0.113.7',
  'server.address': 'shop.example.com',
  'user_agent.original': 'curl/8.4',
  'http.request.body.size': 120,
  'http.response.body.size': 4096,
  'meshward.src_service': 'web/frontend',
  'meshward.dst_service': 'shop/users',
  'meshward.token_id': 'tok_1',
  'meshward.user': 'alice',
  'meshward.sample': '{"card":"[redacted]"}',
  'meshward.request_id': 'req-1',
  'meshward.mtls': true,
  'meshward.duration_ms': 12.5,
  'network.protocol.name': 'http',
  'network.protocol.version': '2',
  'meshward.response_flags': 'UF',
  'meshward.sensitive': {
    arrayValue: {
      values: [{
        kvlistValue: {
          values: attrs({ class: 'credit_card', direction: 'request', count: 2, path: '$.card' }),
        },
      }],
    },
  },
};
const resource = {
  'service.name': 'users', 'k8s.cluster.name': 'eu-1', 'k8s.namespace.name': 'shop',
  'host.name': 'node-1', 'service.instance.id': 'users-abc', 'meshward.proxy_id': 'sidecar-9',
};
const expected = {
  ts: 1_700_000_000_123, proxyId: 'sidecar-9', requestId: 'req-1', source: 'otlp', cluster: 'eu-1', namespace: 'shop',
  srcService: 'web/frontend', dstService: 'shop/users', method: 'POST', path: '/api/users/7/cards', route: '/api/users/{id}/cards', query: 'expand=1',
  status: 201, responseFlags: 'UF', durationMs: 12.5, bytesIn: 120, bytesOut: 4096, clientIp: '203.0.113.7',
  serverAddress: 'shop.example.com', userAgent: 'curl/8.4', protocol: 'HTTP/2', tokenId: 'tok_1', userId: 'alice',
  mtls: true, sensitive: [{ class: 'credit_card', direction: 'request', count: 2, path: '$.card' }],
  sample: '{"card":"[redacted]"}',
};

describe('parseOtlp: field mapping', () => {
  it('maps every semantic-convention and meshward attribute (JSON)', () => {
    const r = parseJson(batch([record(full)], resource));
    expect(r).toEqual({ events: [expected], rejected: 0, errors: [] });
  });

  it('maps the same batch identically from protobuf, with nanosecond precision intact', () => {
    const body = encodeOtlpLogsRequest(batch([record(full)], resource));
    expect(parseOtlp(body, 'protobuf', defaults).events).toEqual([expected]);
    const decoded = decodeOtlpLogsProto(body) as { resourceLogs: { scopeLogs: { logRecords: { timeUnixNano: string }[] }[] }[] };
    expect(decoded.resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano).toBe(T);
  });

  it('accepts numbers as intValue strings or numbers, doubleValue and stringValue', () => {
    const r = parseJson(batch([
      record({ 'http.response.status_code': { intValue: 404 }, 'http.request.body.size': { stringValue: '10' } }),
      record({ 'http.response.status_code': { doubleValue: 503 }, 'http.response.body.size': { intValue: '77' } }),
      record({ 'http.response.status_code': '302', 'http.server.request.duration': 0.25 }),
    ]));
    expect(r.events.map((e) => [e.status, e.bytesIn, e.bytesOut, e.durationMs])).toEqual([
      [404, 10, null, null], [503, null, 77, null], [302, null, null, 250],
    ]);
  });

  it('accepts the proto field names (snake_case) that proto3 JSON allows', () => {
    const body = {
      resource_logs: [{
        resource: { attributes: [{ key: 'k8s.namespace.name', value: { string_value: 'shop' } }] },
        scope_logs: [{
          log_records: [{
            time_unix_nano: T,
            attributes: [
              { key: 'http.request.method', value: { string_value: 'GET' } },
              { key: 'url.path', value: { string_value: '/x' } },
              { key: 'http.response.status_code', value: { int_value: 200 } },
            ],
          }],
        }],
      }],
    };
    expect(parseJson(body).events[0]).toMatchObject({ namespace: 'shop', method: 'GET', path: '/x', status: 200, ts: 1_700_000_000_123 });
  });

  it('chooses the proxy id from the resource, then the defaults', () => {
    const proxyOf = (res: Record<string, Value>) => parseJson(batch([record()], res)).events[0].proxyId;
    expect(proxyOf({ 'meshward.proxy_id': 'p', 'service.instance.id': 'i', 'host.name': 'h' })).toBe('p');
    expect(proxyOf({ 'service.instance.id': 'i', 'host.name': 'h' })).toBe('i');
    expect(proxyOf({ 'host.name': 'h' })).toBe('h');
    expect(proxyOf({})).toBe('token-proxy');
  });

  it('lets record attributes override the resource and derives the destination from it', () => {
    const res = { 'k8s.namespace.name': 'shop', 'service.name': 'cart', 'meshward.src_service': 'shop/web' };
    const [a, b] = parseJson(batch([record(), record({ 'meshward.src_service': 'ops/cron', 'k8s.namespace.name': 'ops' })], res)).events;
    expect([a.srcService, a.dstService, a.namespace]).toEqual(['shop/web', 'shop/cart', 'shop']);
    expect([b.srcService, b.dstService, b.namespace]).toEqual(['ops/cron', 'ops/cart', 'ops']);
  });

  it('does not take per-request attributes from the resource', () => {
    const rec = { timeUnixNano: T, attributes: attrs({ 'url.path': '/a', 'http.response.status_code': 200 }) };
    expect(malformed(() => parseJson(batch([rec], { 'http.request.method': 'GET' })))).toContain('`http.request.method` is required');
  });

  it('falls back to observedTimeUnixNano when timeUnixNano is 0 or absent', () => {
    const r = parseJson(batch([
      record({}, { timeUnixNano: '0', observedTimeUnixNano: '1700000000999000000' }),
      { observedTimeUnixNano: 1_700_000_000_500_000_000, attributes: attrs(request) },
    ]));
    expect(r.events.map((e) => e.ts)).toEqual([1_700_000_000_999, 1_700_000_000_500]);
    expect(malformed(() => parseJson(batch([record({}, { timeUnixNano: 0 })])))).toContain('`timeUnixNano` is required');
  });

  it('reads meshward.sensitive from a JSON string and the request id from the x-request-id header array', () => {
    const sensitive = JSON.stringify([{ class: 'email', count: 3 }]);
    const e = parseJson(batch([record({
      'meshward.sensitive': sensitive,
      'http.request.header.x-request-id': { arrayValue: { values: [{ stringValue: 'hdr-1' }] } },
    })])).events[0];
    expect(e.sensitive).toEqual([{ class: 'email', direction: 'response', count: 3 }]);
    expect(e.requestId).toBe('hdr-1');
  });

  it('ignores unknown attributes, even ten thousand of them', () => {
    const noise = Array.from({ length: 10_000 }, (_, i) => ({ key: `x.${i}`, value: { stringValue: 'y'.repeat(10) } }));
    const r = parseJson(batch([{ timeUnixNano: T, attributes: [...noise, ...attrs(request)] }]));
    expect(r.events).toHaveLength(1);
  });

  it('gives the same digest request id for a retried record, from either encoding', () => {
    const b = batch([record()]);
    const fromJson = parseJson(b).events[0].requestId;
    expect(parseJson(b).events[0].requestId).toBe(fromJson);
    expect(parseOtlp(encodeOtlpLogsRequest(b), 'protobuf', defaults).events[0].requestId).toBe(fromJson);
    expect(parseJson(batch([record({ 'http.response.status_code': 500 })])).events[0].requestId).not.toBe(fromJson);
  });
});

describe('parseOtlp: partial and malformed batches', () => {
  it('counts rejected records and names the record and field', () => {
    const records = [record(), record({ 'url.path': 'nope' }), record(), ...Array.from({ length: 6 }, () => ({ timeUnixNano: T, attributes: [] }))];
    const b = { resourceLogs: [{ scopeLogs: [{ logRecords: [] }, { logRecords: records }] }] };
    const r = parseJson(b);
    expect(r.events).toHaveLength(2);
    expect(r.rejected).toBe(7);
    expect(r.errors).toHaveLength(5);
    expect(r.errors[0]).toBe('resourceLogs[0].scopeLogs[1].logRecords[1]: `url.path` must start with /');
    expect(r.errors[1]).toMatch(/^resourceLogs\[0\]\.scopeLogs\[1\]\.logRecords\[3\]: `http\.request\.method`, `url\.path`, `http\.response\.status_code` are missing; /);
  });

  it('names the identity attribute that is outside the grammar, including the one the proxy id was read from', () => {
    const r = parseJson({ resourceLogs: [
      { resource: { attributes: attrs({ 'host.name': 'node 1' }) }, scopeLogs: [{ logRecords: [record()] }] },
      { resource: { attributes: attrs({ 'service.name': 'cart\n- rules: [{}]', 'k8s.namespace.name': 'shop' }) }, scopeLogs: [{ logRecords: [record()] }] },
      { resource: { attributes: attrs({ 'k8s.cluster.name': 'prod;' }) }, scopeLogs: [{ logRecords: [record()] }] },
      { scopeLogs: [{ logRecords: [record({ 'meshward.dst_service': 'shop/cart' })] }] },
    ] });
    expect(r.events.map((e) => e.dstService)).toEqual(['shop/cart']);
    expect(r.errors).toEqual([
      expect.stringMatching(/^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]: `host\.name` must be a proxy id/),
      expect.stringMatching(/^resourceLogs\[1\]\.scopeLogs\[0\]\.logRecords\[0\]: `service\.name` must be a service name/),
      expect.stringMatching(/^resourceLogs\[2\]\.scopeLogs\[0\]\.logRecords\[0\]: `k8s\.cluster\.name` must be a cluster name/),
    ]);
  });

  it('names the offending attribute for wrong types', () => {
    const r = parseJson(batch([record(), record({ 'http.response.status_code': 'OK' }), 'junk', record({}, { attributes: {} })]));
    expect(r.errors).toEqual([
      'resourceLogs[0].scopeLogs[0].logRecords[1]: `http.response.status_code` must be an integer 0–999',
      'resourceLogs[0].scopeLogs[0].logRecords[2]: a log record must be an object',
      'resourceLogs[0].scopeLogs[0].logRecords[3]: `attributes` must be an array',
    ]);
  });

  it('rejects a batch in which no record is valid, listing why', () => {
    const msg = malformed(() => parseJson(batch([record({ 'http.request.method': '' })])));
    expect(msg).toBe('no valid log records (1 rejected): resourceLogs[0].scopeLogs[0].logRecords[0]: `http.request.method` is required');
  });

  it('returns nothing for an empty batch', () => {
    expect(parseJson({})).toEqual({ events: [], rejected: 0, errors: [] });
    expect(parseJson({ resourceLogs: [] }).events).toEqual([]);
    expect(parseOtlp(new Uint8Array(0), 'protobuf', defaults).events).toEqual([]);
  });

  it('explains malformed envelopes', () => {
    const body = (s: string) => new TextEncoder().encode(s);
    expect(malformed(() => parseOtlp(body('{"resourceLogs": ['), 'json', defaults))).toMatch(/^body is not valid JSON/);
    expect(malformed(() => parseOtlp(new Uint8Array([0x7b, 0xff, 0x7d]), 'json', defaults))).toMatch(/^body is not valid JSON/);
    expect(malformed(() => parseJson([1, 2]))).toMatch(/^body must be a JSON object/);
    expect(malformed(() => parseJson({ resourceLogs: {} }))).toBe('resourceLogs must be an array');
    expect(malformed(() => parseJson({ resourceLogs: [5] }))).toBe('resourceLogs[0] must be an object');
    expect(malformed(() => parseJson({ resourceLogs: [{ scopeLogs: 'x' }] }))).toBe('resourceLogs[0].scopeLogs must be an array');
    expect(malformed(() => parseJson({ resourceLogs: [{ scopeLogs: [{ logRecords: {} }] }] })))
      .toBe('resourceLogs[0].scopeLogs[0].logRecords must be an array');
    expect(malformed(() => parseJson({ resourceLogs: [{ resource: { attributes: 1 } }] })))
      .toBe('resourceLogs[0].resource.attributes must be an array');
  });

  it('replaces invalid UTF-8 inside strings instead of refusing the batch', () => {
    const body = encodeOtlpLogsRequest(batch([record({ 'user_agent.original': 'Zz' })]));
    const at = Buffer.from(body).indexOf('Zz');
    body[at] = 0xff;
    expect(parseOtlp(body, 'protobuf', defaults).events[0].userAgent).toBe('\uFFFDz');
    const text = Buffer.from(JSON.stringify(batch([record({ 'user_agent.original': 'Zz' })])));
    text[text.indexOf('Zz')] = 0xff;
    expect(parseOtlp(text, 'json', defaults).events[0].userAgent).toBe('\uFFFDz');
  });

  it('explains undecodable protobuf', () => {
    const msg = malformed(() => parseOtlp(new TextEncoder().encode('{"resourceLogs":[]}'), 'protobuf', defaults));
    expect(msg).toMatch(/^body is not a valid OTLP ExportLogsServiceRequest protobuf: /);
    const valid = encodeOtlpLogsRequest(batch([record(full)], resource));
    expect(malformed(() => parseOtlp(valid.subarray(0, valid.length - 3), 'protobuf', defaults)))
      .toMatch(/^body is not a valid OTLP ExportLogsServiceRequest protobuf: /);
  });
});

describe('ExportLogsServiceResponse', () => {
  it('is empty on full success and carries partial_success otherwise', () => {
    expect(encodeExportLogsResponse({ rejected: 0 })).toHaveLength(0);
    expect(decodeExportLogsResponse(encodeExportLogsResponse({ rejected: 3, message: 'bad path' })))
      .toEqual({ rejected: 3, message: 'bad path' });
  });
});

describe('parseOtlp: text bodies (Istio envoyOtelAls)', () => {
  const line = '[2024-05-01T11:59:58.123Z] "GET /api/cart HTTP/1.1" 200 - via_upstream - "-" 0 12 3 2 "-" "curl/8.4" "r-1" "cart:8080" "10.1.2.3:8080" inbound|8080|| 127.0.0.6:41234 10.1.2.3:8080 10.1.0.9:52000 - default';
  const text = { body: { stringValue: line } };

  it('reads a record with a text body from its attributes and ignores the body', () => {
    const r = parseJson(batch([record({ 'meshward.src_service': 'spiffe://cluster.local/ns/shop/sa/web' }, text)], { 'service.name': 'cart', 'k8s.namespace.name': 'shop' }));
    expect(r.errors).toEqual([]);
    expect(r.events[0]).toMatchObject({ method: 'GET', path: '/api/cart', status: 200, srcService: 'shop/web', dstService: 'shop/cart' });
    const pb = parseOtlp(encodeOtlpLogsRequest(batch([record({}, text)])), 'protobuf', defaults);
    expect(pb.events.map((e) => e.path)).toEqual(['/api/cart']);
  });

  it('refuses a text body without the attributes, naming each missing one and where the fix is documented', () => {
    const bare = { timeUnixNano: T, ...text, attributes: attrs({ 'http.response.status_code': 200 }) };
    for (const body of [json(batch([bare])), encodeOtlpLogsRequest(batch([bare]))]) {
      const msg = malformed(() => parseOtlp(body, body[0] === 0x7b ? 'json' : 'protobuf', defaults));
      expect(msg).toContain('logRecords[0]: `http.request.method`, `url.path` are missing; its body is a text access-log line');
      expect(msg).toContain('logFormat.labels');
      expect(msg).toContain('"Sending telemetry"');
      expect(msg).not.toContain('http.response.status_code`');
    }
    const none = malformed(() => parseJson(batch([{ timeUnixNano: T, body: { stringValue: line } }])));
    expect(none).toContain('`http.request.method`, `url.path`, `http.response.status_code` are missing; its body is a text access-log line');
  });

  it('keeps the short message for one attribute left out of an otherwise configured record', () => {
    const r = parseJson(batch([record(), record({ 'url.path': '' })]));
    expect(r.errors).toEqual(['resourceLogs[0].scopeLogs[0].logRecords[1]: `url.path` is required']);
  });
});

describe('parseOtlp: one spelling for identities', () => {
  it('turns SPIFFE callers and destinations into namespace/account, as the Envoy route does', () => {
    const r = parseJson(batch([
      record({ 'meshward.src_service': 'spiffe://cluster.local/ns/shop/sa/web' }),
      record({ 'meshward.src_service': 'URI:spiffe://cluster.local/ns/shop/sa/web,DNS:web.shop.svc', 'meshward.dst_service': 'spiffe://cluster.local/ns/shop/sa/cart' }),
      record({ 'meshward.src_service': 'spiffe://partner.example/workload/7' }),
      record({ 'meshward.src_service': 'DNS:web.example.com' }),
    ], { 'service.name': 'orders', 'k8s.namespace.name': 'shop' }));
    expect(r.errors).toEqual([]);
    expect(r.events.map((e) => [e.srcService, e.dstService])).toEqual([
      ['shop/web', 'shop/orders'], ['shop/web', 'shop/cart'], ['spiffe://partner.example/workload/7', 'shop/orders'], ['external', 'shop/orders'],
    ]);
  });

  it('refuses hostile identities on the OTLP route (JSON and protobuf), never trimming them', () => {
    const hostile = [
      'spiffe://cluster.local/ns/shop/sa/web\n', 'spiffe://cluster.local/ns/shop/sa/web\u2028', 'spiffe://td/ns/../sa/x', 'spiffe://td/ns/a/sa/..',
      ' spiffe://td/ns/a/sa/b', 'shop/web ', 'spiffe://td/ns/a/sa/b,spiffe://td/ns/c/sa/d', `spiffe://td/ns/a/sa/${'b'.repeat(3000)}`,
    ];
    for (const key of ['meshward.src_service', 'meshward.dst_service']) {
      const b = batch([...hostile.map((h) => record({ [key]: h })), record()]);
      for (const r of [parseJson(b), parseOtlp(encodeOtlpLogsRequest(b), 'protobuf', defaults)]) {
        expect(r.events).toHaveLength(1);
        expect(r.rejected).toBe(hostile.length);
        for (const e of r.errors) expect(e).toContain(`\`${key}\` must `);
      }
    }
  });
});
