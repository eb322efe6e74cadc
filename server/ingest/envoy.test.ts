import { describe, expect, it } from 'vitest';
import { parseEnvoyNdjson, serviceFromCluster } from './envoy';
import { MalformedBatchError, type ParseDefaults } from './event';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const defaults: ParseDefaults = { proxyId: 'token-proxy', now: NOW, retentionDays: 30 };

/** A line as Istio's default JSON access log format writes it. */
const istio = {
  start_time: '2024-05-01T11:59:58.123Z',
  method: 'GET',
  path: '/api/v1/products/42?fields=name,price',
  protocol: 'HTTP/1.1',
  response_code: 200,
  response_flags: '-',
  response_code_details: 'via_upstream',
  connection_termination_details: null,
  upstream_transport_failure_reason: null,
  duration: 14,
  upstream_service_time: '12',
  bytes_received: 0,
  bytes_sent: 1534,
  x_forwarded_for: '198.51.100.4, 10.1.0.7',
  user_agent: 'Mozilla/5.0',
  request_id: '6a1b3c9e-0f5d-4e3a-9c1b-2d7e8f9a0b1c',
  authority: 'productpage:9080',
  upstream_host: '10.1.2.3:9080',
  upstream_cluster: 'outbound|9080||details.bookinfo.svc.cluster.local',
  upstream_local_address: '10.1.0.9:41234',
  downstream_local_address: '10.1.2.3:9080',
  downstream_remote_address: '10.1.0.9:52000',
  requested_server_name: null,
  route_name: 'default',
  downstream_peer_uri_san: 'spiffe://cluster.local/ns/bookinfo/sa/productpage',
};
const line = (over: Record<string, unknown> = {}) => JSON.stringify({ ...istio, ...over });
const parse = (body: string) => parseEnvoyNdjson(body, defaults);
const one = (over: Record<string, unknown> = {}) => {
  const r = parse(line(over));
  expect(r.errors).toEqual([]);
  return r.events[0];
};
const malformed = (body: string) => {
  try {
    parse(body);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedBatchError);
    return (err as Error).message;
  }
  throw new Error('expected MalformedBatchError');
};

describe('parseEnvoyNdjson: field mapping', () => {
  it('maps an Istio default access log line', () => {
    expect(parse(line())).toEqual({
      rejected: 0,
      errors: [],
      events: [{
        ts: Date.parse('2024-05-01T11:59:58.123Z'), proxyId: 'token-proxy', requestId: istio.request_id,
        source: 'envoy', cluster: null, namespace: null, srcService: 'bookinfo/productpage',
        dstService: 'bookinfo/details', method: 'GET', path: '/api/v1/products/42', route: '/api/v1/products/{id}', query: 'fields=name,price',
        status: 200, responseFlags: null, durationMs: 14, bytesIn: 0, bytesOut: 1534, clientIp: '198.51.100.4',
        serverAddress: 'productpage:9080', userAgent: 'Mozilla/5.0', protocol: 'HTTP/1.1', tokenId: null,
        userId: null, mtls: true, sensitive: null, sample: null,
      }],
    });
  });

  it('accepts the Meshward extension fields over derived values', () => {
    const e = one({
      src_service: 'web/frontend', dst_service: 'shop/api', token_id: 'tok_9', user: 'bob', mtls: 'false',
      cluster: 'eu-1', namespace: 'shop', proxy_id: 'gw-1', sample: 'redacted',
      sensitive: JSON.stringify([{ class: 'iban', direction: 'request' }]), response_flags: 'UF,URX',
    });
    expect(e).toMatchObject({
      srcService: 'web/frontend', dstService: 'shop/api', tokenId: 'tok_9', userId: 'bob', mtls: false,
      cluster: 'eu-1', namespace: 'shop', proxyId: 'gw-1', sample: 'redacted', responseFlags: 'UF,URX',
      sensitive: [{ class: 'iban', direction: 'request', count: 1 }],
    });
    expect(one({ sensitive: [{ class: 'ssn', count: 2 }] }).sensitive).toEqual([{ class: 'ssn', direction: 'response', count: 2 }]);
  });

  it('accepts strings for numbers', () => {
    expect(one({ response_code: '503', duration: '7', bytes_received: '12', bytes_sent: '34' }))
      .toMatchObject({ status: 503, durationMs: 7, bytesIn: 12, bytesOut: 34 });
  });

  it('falls back to the downstream address without its port', () => {
    expect(one({ x_forwarded_for: null }).clientIp).toBe('10.1.0.9');
    expect(one({ x_forwarded_for: null, downstream_remote_address: '[2001:db8::5]:443' }).clientIp).toBe('2001:db8::5');
  });

  it('reads mTLS from the peer certificate fields', () => {
    expect(one({ downstream_peer_uri_san: null }).mtls).toBe(false);
    expect(one({ downstream_peer_uri_san: null, downstream_peer_subject: 'CN=client' }).mtls).toBe(true);
    const { downstream_peer_uri_san: _san, ...plain } = istio;
    expect(parse(JSON.stringify(plain)).events[0]).toMatchObject({ mtls: null, srcService: 'external' });
  });
});

describe('services from identities and clusters', () => {
  it('turns the peer SAN into the caller: Istio SPIFFE ids into namespace/account, other SPIFFE ids kept whole', () => {
    const caller = (san: unknown) => one({ downstream_peer_uri_san: san }).srcService;
    expect(caller('spiffe://cluster.local/ns/shop/sa/cart')).toBe('shop/cart');
    expect(caller('dns:x.example, spiffe://td/ns/a/sa/b')).toBe('a/b');
    expect(caller('spiffe://cluster.local/ns/shop/sa/cart,spiffe://cluster.local/ns/shop/sa/cart')).toBe('shop/cart');
    expect(caller('URI:spiffe://cluster.local/ns/shop/sa/cart,DNS:cart.shop.svc')).toBe('shop/cart');
    expect(caller('spiffe://td/workload/42')).toBe('spiffe://td/workload/42');
    expect(caller('https://partner.example/client')).toBe('external'); // a certificate without a SPIFFE id
    expect(caller('-')).toBe('external');
    expect(caller(null)).toBe('external');
    // an explicit src_service is spelled the same way
    expect(one({ src_service: 'spiffe://cluster.local/ns/shop/sa/cart' }).srcService).toBe('shop/cart');
    expect(one({ dst_service: 'spiffe://cluster.local/ns/shop/sa/orders' }).dstService).toBe('shop/orders');
  });

  it('refuses hostile peer SANs instead of trimming them into a caller', () => {
    const hostile = [
      'spiffe://cluster.local/ns/shop/sa/web\n', 'spiffe://cluster.local/ns/shop/sa/web\u2028', 'spiffe://td/ns/../sa/web',
      'spiffe://td/ns/shop/sa/..', ' spiffe://td/ns/shop/sa/web', 'spiffe://td/ns/a/sa/b,spiffe://td/ns/c/sa/d', 'URI:spiffe://td/ns/a/sa/b\r\nDNS:x',
      `spiffe://td/ns/shop/sa/${'w'.repeat(3000)}`, 42,
    ];
    const r = parse([...hostile.map((san) => line({ downstream_peer_uri_san: san })), line()].join('\n'));
    expect(r.events.map((e) => e.srcService)).toEqual(['bookinfo/productpage']);
    expect(r.rejected).toBe(hostile.length);
    for (const e of r.errors) expect(e).toMatch(/^line \d+: `downstream_peer_uri_san` must /);
    // the same for services the line names itself
    for (const field of ['src_service', 'dst_service']) {
      const named = parse([...hostile.slice(0, -1).map((v) => line({ [field]: v })), line()].join('\n'));
      expect(named.events).toHaveLength(1);
      expect(named.rejected).toBe(hostile.length - 1);
      for (const e of named.errors) expect(e).toMatch(new RegExp(`^line \\d+: \`${field}\` must `));
    }
  });

  it('turns outbound clusters into services and leaves inbound ones unknown', () => {
    expect(serviceFromCluster('outbound|9080|v2|reviews.default.svc.cluster.local')).toBe('default/reviews');
    expect(serviceFromCluster('outbound|443||api.stripe.com')).toBe('api.stripe.com');
    expect(serviceFromCluster('inbound|9080||')).toBeUndefined();
    expect(serviceFromCluster('PassthroughCluster')).toBeUndefined();
    expect(one({ upstream_cluster: 'inbound|9080||' }).dstService).toBe('unknown');
    expect(one({ upstream_cluster: 'inbound|9080||', dst_service: 'shop/cart' }).dstService).toBe('shop/cart');
  });
});

describe('identity grammar in Envoy lines', () => {
  it('refuses a line whose services, namespace, cluster or proxy id are outside the grammar, naming the field it came from', () => {
    const r = parse([
      line({ dst_service: 'shop/x\naccess_log off;' }),
      line({ upstream_cluster: 'outbound|80||Bad_Host.example' }),
      line({ downstream_peer_uri_san: 'spiffe://cluster.local/ns/shop/sa/web\u2028x' }),
      line({ src_service: 'shop/web', namespace: 'Shop' }),
      line({ proxy_id: 'p 1' }),
      line(),
    ].join('\n'));
    expect(r.events).toHaveLength(1);
    expect(r.rejected).toBe(5);
    expect(r.errors).toEqual([
      expect.stringMatching(/^line 1: `dst_service` must be a service name/),
      expect.stringMatching(/^line 2: `upstream_cluster` must be a service name/),
      expect.stringMatching(/^line 3: `downstream_peer_uri_san` must be a service name/),
      expect.stringMatching(/^line 4: `namespace` must be a Kubernetes namespace/),
      expect.stringMatching(/^line 5: `proxy_id` must be a proxy id/),
    ]);
  });

  it('refuses a path whose escapes decode to a NUL, which used to poison discovery', () => {
    expect(parse([line({ path: '/api/files/a%00b' }), line()].join('\n')).errors).toEqual([
      'line 1: `path` must not contain control characters, even percent-encoded (such as %00 or %0A)',
    ]);
  });
});

describe('parseEnvoyNdjson: batches', () => {
  it('handles a BOM, CRLF and blank lines, numbering lines from 1', () => {
    const body = `\uFEFF${line()}\r\n\r\n${line({ response_code: 'abc' })}\r\n   \r\n${line({ request_id: 'r2' })}\r\n`;
    const r = parse(body);
    expect(r.events.map((e) => e.requestId)).toEqual([istio.request_id, 'r2']);
    expect(r.rejected).toBe(1);
    expect(r.errors).toEqual(['line 3: `response_code` must be an integer 0–999']);
  });

  it('reports lines that are not JSON or not objects', () => {
    const r = parse([line(), '{"method": "GET",', '[1,2]', line({ path: 'x' }), line({ start_time: '2020-01-01T00:00:00Z' })].join('\n'));
    expect(r.events).toHaveLength(1);
    expect(r.rejected).toBe(4);
    expect(r.errors.slice(0, 3)).toEqual([
      'line 2: not valid JSON', 'line 3: must be a JSON object', 'line 4: `path` must start with /',
    ]);
    expect(r.errors[3]).toMatch(/^line 5: timestamp 2020-01-01T00:00:00\.000Z \(`start_time`\) is outside the accepted window/);
  });

  it('keeps only the first five messages but counts everything', () => {
    const r = parse([line(), ...Array.from({ length: 9 }, () => line({ method: '' }))].join('\n'));
    expect(r.rejected).toBe(9);
    expect(r.errors).toHaveLength(5);
    expect(r.errors[4]).toBe('line 6: `method` is required');
  });

  it('accepts one JSON array of objects', () => {
    const r = parse(` [${line()}, ${line({ method: 'bad method' })}]`);
    expect(r.events).toHaveLength(1);
    expect(r.errors).toEqual(['record 2: `method` must be an HTTP method token (letters, digits, _ or -; at most 16 characters)']);
    expect(malformed('[{"a":1}')).toBe('no valid access log entries (1 rejected): line 1: not valid JSON');
  });

  it('rejects a batch in which nothing is valid, and accepts an empty one', () => {
    expect(malformed('not json\n{}')).toBe('no valid access log entries (2 rejected): line 1: not valid JSON; line 2: `start_time` is required');
    expect(parse('')).toEqual({ events: [], rejected: 0, errors: [] });
    expect(parse('\n\r\n  \n')).toEqual({ events: [], rejected: 0, errors: [] });
  });

  it('survives very long lines', () => {
    const huge = line({ path: `/${'a'.repeat(5_000_000)}` });
    const r = parse(`${huge}\n${line()}\n${'x'.repeat(2_000_000)}`);
    expect(r.events).toHaveLength(1);
    expect(r.errors).toEqual(['line 1: `path` is longer than 8192 characters', 'line 3: not valid JSON']);
  });

  it('gives a retried line the same digest request id', () => {
    const body = line({ request_id: null });
    expect(parse(body).events[0].requestId).toMatch(/^d:/);
    expect(parse(body).events[0].requestId).toBe(parse(body).events[0].requestId);
    expect(parse(line({ request_id: null, response_code: 500 })).events[0].requestId).not.toBe(parse(body).events[0].requestId);
  });
});

describe('NDJSON whose first line is an array', () => {
  it('rejects only that line', () => {
    const now = Date.now();
    const line = JSON.stringify({ start_time: new Date(now).toISOString(), method: 'GET', path: '/a', response_code: 200 });
    const r = parseEnvoyNdjson(`[1, 2]\n${line}`, { proxyId: 'p', now, retentionDays: 30 });
    expect(r.events).toHaveLength(1);
    expect(r.rejected).toBe(1);
    expect(r.errors[0]).toMatch(/^line 1: /);
  });
});
