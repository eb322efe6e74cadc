import { describe, expect, it } from 'vitest';
import type { AccessEventInput, ParseDefaults } from './event';
import { ipOf, isoToMs, nanosToMs, normalizeRecord, sensitiveMatches, type RawRecord } from './normalize';
import { OTLP_FIELD_NAMES } from './otlp';

const NOW = 1_700_000_000_000 + 3_600_000; // 2023-11-14T23:13:20Z
const DAY = 86_400_000;
const defaults: ParseDefaults = { proxyId: 'proxy-default', now: NOW, retentionDays: 30 };
const NAMES = OTLP_FIELD_NAMES;

const base: RawRecord = {
  ts: '1700000000123456789',
  tsFormat: 'unix-nanos',
  method: 'GET',
  path: '/api/users/7',
  status: 200,
};

function ok(over: Partial<RawRecord> = {}): AccessEventInput {
  const r = normalizeRecord({ ...base, ...over }, 'otlp', defaults, NAMES);
  if (!r.event) throw new Error(`expected a valid record, got: ${r.error}`);
  return r.event;
}

function fails(over: Partial<RawRecord>): string {
  const r = normalizeRecord({ ...base, ...over }, 'otlp', defaults, NAMES);
  if (r.event) throw new Error('expected the record to be rejected');
  return r.error;
}

describe('normalizeRecord: defaults', () => {
  it('fills absent fields with nulls and the documented defaults', () => {
    const e = ok();
    expect(e).toMatchObject({
      ts: 1_700_000_000_123,
      proxyId: 'proxy-default',
      source: 'otlp',
      srcService: 'external',
      dstService: 'unknown',
      method: 'GET',
      path: '/api/users/7',
      query: null,
      status: 200,
      durationMs: null,
      bytesIn: null,
      bytesOut: null,
      clientIp: null,
      mtls: null,
      sensitive: null,
      sample: null,
      cluster: null,
      namespace: null,
    });
    expect(e.requestId).toMatch(/^d:[0-9a-f]{32}$/);
  });
});

describe('normalizeRecord: time', () => {
  it('converts nanoseconds beyond 2^53 to milliseconds exactly', () => {
    expect(nanosToMs('1700000000123456789')).toBe(1_700_000_000_123);
    expect(nanosToMs('1700000000123999999')).toBe(1_700_000_000_123);
    expect(nanosToMs(1_700_000_000_123_000_000)).toBe(1_700_000_000_123);
    expect(nanosToMs(1_700_000_000_123_456_789n)).toBe(1_700_000_000_123);
    expect(nanosToMs('-5')).toBeNull();
    expect(nanosToMs('1.5e18')).toBeNull();
    expect(nanosToMs({})).toBeNull();
  });

  it('parses ISO-8601 with zones and sub-millisecond digits, refusing impossible dates', () => {
    expect(isoToMs('2023-11-14T22:13:20.123Z')).toBe(1_700_000_000_123);
    expect(isoToMs('2023-11-14T22:13:20.123456Z')).toBe(1_700_000_000_123);
    expect(isoToMs('2023-11-15T00:13:20.1+02:00')).toBe(1_700_000_000_100);
    expect(isoToMs('2023-02-30T00:00:00Z')).toBeNull();
    expect(isoToMs('2023-11-14T22:13:20')).toBeNull(); // no zone: ambiguous
    expect(isoToMs('May 1 2023')).toBeNull();
  });

  it('accepts the window [now - retention, now + 1 day] and names the timestamp otherwise', () => {
    const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
    expect(ok({ ts: ns(NOW - 29 * DAY) }).ts).toBe(NOW - 29 * DAY);
    expect(ok({ ts: ns(NOW + DAY - 1) }).ts).toBe(NOW + DAY - 1);
    expect(fails({ ts: ns(NOW - 31 * DAY) })).toMatch(/^timestamp 2023-10-14T23:13:20\.000Z \(`timeUnixNano`\) is outside the accepted window/);
    expect(fails({ ts: ns(NOW + 2 * DAY) })).toContain('outside the accepted window');
    expect(fails({ ts: '9'.repeat(30) })).toContain('outside the accepted window');
  });

  it('requires a timestamp and explains a malformed one', () => {
    expect(fails({ ts: undefined })).toBe('`timeUnixNano` is required');
    expect(fails({ ts: 'yesterday' })).toContain('`timeUnixNano` must be a non-negative integer');
    expect(fails({ ts: 'yesterday', tsFormat: 'iso8601' })).toContain('must be an ISO-8601 timestamp');
  });
});

describe('normalizeRecord: request line', () => {
  it('upper-cases methods and refuses non-tokens', () => {
    expect(ok({ method: 'patch' }).method).toBe('PATCH');
    expect(ok({ method: 'M-SEARCH' }).method).toBe('M-SEARCH');
    expect(fails({ method: 'GET /' })).toContain('`http.request.method` must be an HTTP method token');
    expect(fails({ method: 'A'.repeat(17) })).toContain('`http.request.method`');
    expect(fails({ method: 42 })).toBe('`http.request.method` must be a string');
    expect(fails({ method: undefined })).toBe('`http.request.method` is required');
  });

  it('splits an embedded query, lets a separate query win, and checks the path', () => {
    expect(ok({ path: '/search?q=1&b=2' })).toMatchObject({ path: '/search', query: 'q=1&b=2' });
    expect(ok({ path: '/search?' }).query).toBeNull();
    expect(ok({ path: '/search?old=1', query: 'new=1' })).toMatchObject({ path: '/search', query: 'new=1' });
    expect(ok({ path: '/a', query: '?x=1' }).query).toBe('x=1');
    expect(ok({ path: '*', method: 'OPTIONS' }).path).toBe('*');
    expect(fails({ path: 'api/users' })).toBe('`url.path` must start with /');
    expect(fails({ path: 'http://evil/x' })).toBe('`url.path` must start with /');
    expect(fails({ path: undefined })).toBe('`url.path` is required');
    expect(fails({ path: '/a\nb' })).toBe('`url.path` must not contain control characters');
    expect(fails({ path: '/a\u0000b' })).toBe('`url.path` must not contain control characters');
    expect(fails({ path: '/a', query: 'x=\u007f' })).toBe('`url.query` must not contain control characters');
    expect(ok({ path: `/${'a'.repeat(8191)}` }).path).toHaveLength(8192);
    expect(fails({ path: `/${'a'.repeat(8192)}` })).toBe('`url.path` is longer than 8192 characters');
    expect(fails({ path: `/a?${'q'.repeat(8193)}` })).toBe('`url.query` is longer than 8192 characters');
  });
});

describe('normalizeRecord: numbers', () => {
  it('accepts numeric strings for the status and refuses anything outside 0–999', () => {
    expect(ok({ status: '404' }).status).toBe(404);
    expect(ok({ status: 0 }).status).toBe(0);
    for (const status of ['abc', 1000, -1, 200.5, true, '2e3', {}]) {
      expect(fails({ status })).toBe('`http.response.status_code` must be an integer 0–999');
    }
    expect(fails({ status: undefined })).toBe('`http.response.status_code` is required');
  });

  it('reads durations and sizes from numbers or strings, null when absent', () => {
    const e = ok({ durationMs: '12.5', bytesIn: '1024', bytesOut: 0 });
    expect(e).toMatchObject({ durationMs: 12.5, bytesIn: 1024, bytesOut: 0 });
    expect(ok({ durationSeconds: 0.25 }).durationMs).toBe(250);
    expect(ok({ durationMs: 7, durationSeconds: 0.25 }).durationMs).toBe(7);
    expect(ok({ bytesIn: '-', durationMs: null }).bytesIn).toBeNull();
    expect(fails({ durationMs: -1 })).toBe('`meshward.duration_ms` must be a non-negative number');
    expect(fails({ durationMs: 'NaN' })).toBe('`meshward.duration_ms` must be a non-negative number');
    expect(fails({ durationSeconds: 'slow' })).toBe('`http.server.request.duration` must be a non-negative number');
    expect(fails({ bytesIn: 1.5 })).toBe('`http.request.body.size` must be a non-negative integer');
    expect(fails({ bytesOut: '-3' })).toBe('`http.response.body.size` must be a non-negative integer');
    expect(fails({ bytesOut: 2 ** 60 })).toBe('`http.response.body.size` must be a non-negative integer');
  });
});

describe('normalizeRecord: addresses and strings', () => {
  it('takes the first forwarded address, strips ports, and nulls what is not an IP', () => {
    expect(ipOf('10.0.0.1:4567')).toBe('10.0.0.1');
    expect(ipOf('[::1]:80')).toBe('::1');
    expect(ipOf('::ffff:1.2.3.4')).toBe('::ffff:1.2.3.4');
    expect(ipOf('2001:db8::1')).toBe('2001:db8::1');
    expect(ipOf('fe80::1%eth0')).toBeNull();
    expect(ipOf('envoy://internal')).toBeNull();
    expect(ok({ forwardedFor: '203.0.113.9, 10.0.0.2', clientAddress: '10.0.0.3:1' }).clientIp).toBe('203.0.113.9');
    expect(ok({ forwardedFor: 'unknown, 10.0.0.2', clientAddress: '10.0.0.3:1' }).clientIp).toBe('10.0.0.3');
    expect(ok({ clientAddress: 'not-an-ip' }).clientIp).toBeNull();
  });

  it('truncates long strings and strips NULs', () => {
    const e = ok({ userAgent: 'u'.repeat(600), serverAddress: 's'.repeat(300), tokenId: 'a\u0000b', sample: 'x'.repeat(5000) });
    expect(e.userAgent).toHaveLength(512);
    expect(e.serverAddress).toHaveLength(255);
    expect(e.tokenId).toBe('ab');
    expect(e.sample).toHaveLength(4096);
    expect(ok({ userId: '\u0000' }).userId).toBeNull();
  });

  it('does not leave half a surrogate pair when truncating', () => {
    const e = ok({ userAgent: `${'u'.repeat(511)}😀` });
    expect(e.userAgent).toHaveLength(512);
    expect(e.userAgent!.isWellFormed()).toBe(true);
  });

  it('reads mtls from booleans or their strings only', () => {
    expect(ok({ mtls: true }).mtls).toBe(true);
    expect(ok({ mtls: 'false' }).mtls).toBe(false);
    expect(ok({ mtls: 'yes' }).mtls).toBeNull();
  });
});

describe('normalizeRecord: services', () => {
  it('derives the destination from namespace and service name', () => {
    expect(ok({ namespace: 'shop', serviceName: 'cart' }).dstService).toBe('shop/cart');
    expect(ok({ namespace: 'shop', serviceName: 'billing/api' }).dstService).toBe('billing/api');
    expect(ok({ serviceName: 'cart' }).dstService).toBe('cart');
    expect(ok({ namespace: 'shop', serviceName: 'cart', dstService: 'shop/orders' }).dstService).toBe('shop/orders');
  });

  it('spells SPIFFE ids as every route does: Istio ids as namespace/account, others whole', () => {
    expect(ok({ srcService: 'spiffe://td/ns/a/sa/b' }).srcService).toBe('a/b');
    expect(ok({ srcService: 'spiffe://td/workload/42' }).srcService).toBe('spiffe://td/workload/42');
    expect(ok({ dstService: 'spiffe://cluster.local/ns/shop/sa/cart' }).dstService).toBe('shop/cart');
    expect(ok({ serviceName: 'spiffe://cluster.local/ns/shop/sa/cart', namespace: 'other' }).dstService).toBe('shop/cart');
    expect(ok({ srcService: 'URI:spiffe://cluster.local/ns/shop/sa/web,DNS:web.shop.svc' }).srcService).toBe('shop/web');
    // a SAN list without a SPIFFE id names nobody: the caller is external, the destination falls back to service.name
    expect(ok({ srcService: 'DNS:web.example.com' }).srcService).toBe('external');
    expect(ok({ dstService: 'DNS:web.example.com', namespace: 'shop', serviceName: 'web' }).dstService).toBe('shop/web');
  });
});

describe('normalizeRecord: sensitive matches', () => {
  it('accepts an array or a JSON string and applies defaults', () => {
    const list = [{ class: 'credit_card', direction: 'request', count: '2', path: '$.card', partial: 'ab12' }, { class: 'email' }];
    const expected = [
      { class: 'credit_card', direction: 'request', count: 2, path: '$.card', partial: 'ab12' },
      { class: 'email', direction: 'response', count: 1 },
    ];
    expect(ok({ sensitive: list }).sensitive).toEqual(expected);
    expect(ok({ sensitive: JSON.stringify(list) }).sensitive).toEqual(expected);
  });

  it('drops invalid entries, not the record', () => {
    const sensitive = [
      { class: 'Credit-Card' }, { class: 'ssn', direction: 'sideways' }, { class: 'ssn', count: 0 },
      { class: 'ssn', count: 1.5 }, 'email', null, [], { class: 'x'.repeat(65) }, { class: 'jwt', count: 3 },
    ];
    expect(ok({ sensitive }).sensitive).toEqual([{ class: 'jwt', direction: 'response', count: 3 }]);
    expect(ok({ sensitive: '[not json' }).sensitive).toBeNull();
    expect(ok({ sensitive: [] }).sensitive).toBeNull();
    expect(sensitiveMatches(Array.from({ length: 100 }, () => ({ class: 'email' })))).toHaveLength(64);
    expect(sensitiveMatches([{ class: 'email', path: `$.${'p'.repeat(600)}`, partial: 'h'.repeat(70) }])![0])
      .toMatchObject({ path: expect.stringMatching(/^.{512}$/), partial: 'h'.repeat(64) });
  });
});

describe('normalizeRecord: request ids', () => {
  it('keeps a given id and hashes an overlong one', () => {
    expect(ok({ requestId: 'abc-123' }).requestId).toBe('abc-123');
    const long = ok({ requestId: 'r'.repeat(200) }).requestId;
    expect(long).toMatch(/^h:[0-9a-f]{32}$/);
    expect(ok({ requestId: 'r'.repeat(200) }).requestId).toBe(long);
  });

  it('derives a stable digest from the identifying content', () => {
    const first = ok().requestId;
    expect(ok().requestId).toBe(first);
    expect(ok({ status: 500 }).requestId).not.toBe(first);
    expect(ok({ ts: '1700000000123456788' }).requestId).not.toBe(first); // same ms, different ns
    expect(ok({ proxyId: 'other' }).requestId).not.toBe(first);
    expect(ok({ sample: 'not part of identity' }).requestId).toBe(first);
  });
});

describe('normalizeRecord: identity grammar', () => {
  // The reported attack: a destination whose newline closes an nginx comment and adds a directive.
  const ATTACK = 'shop/x\naccess_log off;';

  it('refuses a record whose service, namespace, cluster or proxy id is outside the grammar, naming the field', () => {
    expect(fails({ dstService: ATTACK })).toMatch(/^`meshward\.dst_service` must be a service name/);
    expect(fails({ srcService: ATTACK })).toMatch(/^`meshward\.src_service` must be a service name/);
    expect(fails({ namespace: 'shop\n' })).toMatch(/^`k8s\.namespace\.name` must be a Kubernetes namespace/);
    expect(fails({ cluster: 'prod eu' })).toMatch(/^`k8s\.cluster\.name` must be a cluster name/);
    expect(fails({ proxyId: 'p;1' })).toMatch(/^`meshward\.proxy_id` must be a proxy id/);
    expect(fails({ serviceName: 'cart"', namespace: 'shop' })).toMatch(/^`service\.name` must be a service name/);
    expect(fails({ proxyId: 'x', proxyIdFrom: 'host.name', dstService: 'ok/ok', cluster: 'a b' })).toMatch(/^`k8s\.cluster\.name`/);
    expect(fails({ proxyId: 'a b', proxyIdFrom: 'host.name' })).toMatch(/^`host\.name` must be a proxy id/);
  });

  it('refuses every hostile spelling rather than cleaning it up', () => {
    const hostile = [
      'shop/web\n', 'shop/web\r', 'shop/web;', 'shop/{web}', 'shop/"web"', "shop/'web'", 'shop/web#x', 'shop/$web', 'shop/we\\b',
      'shop/web\u2028', 'shop/web\u2029', 'shop/web\u0085', 'shop/web\u0000', 'shop/wéb', 'Shop/web', 'shop/Web', 'shop//web',
      'shop/web/x', '/web', 'shop/', ' shop/web', 'shop/web ', '---', '...', 'a: b', 'shop/-web', 'shop/web-', 'shop/.web',
      'spiffe://td/ns/a/sa/b\n', 'spiffe://TD/x', 'spiffe://td/', 'spiffe://td/a/../b', 'spiffe://td/a b', 'spiffe://td/a//b',
      `shop/${'a'.repeat(250)}`, `${'n'.repeat(64)}/web`, 'x'.repeat(10_000), '\ud800',
    ];
    for (const name of hostile) {
      expect(normalizeRecord({ ...base, dstService: name }, 'otlp', defaults, NAMES).error, JSON.stringify(name)).toMatch(/must be a service name/);
      expect(normalizeRecord({ ...base, srcService: name }, 'otlp', defaults, NAMES).error, JSON.stringify(name)).toMatch(/must be a service name/);
    }
    // a value of the wrong type is refused too, not turned into a string
    expect(fails({ dstService: 42 })).toMatch(/`meshward\.dst_service` must be/);
    expect(fails({ namespace: true })).toMatch(/`k8s\.namespace\.name` must be/);
  });

  it('accepts every form of the grammar, at its longest', () => {
    const longest = `${'n'.repeat(63)}/${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(61)}`;
    expect(longest).toHaveLength(253);
    expect(ok({ dstService: longest }).dstService).toBe(longest);
    expect(ok({ dstService: 'api.stripe.com' }).dstService).toBe('api.stripe.com');
    expect(ok({ srcService: 'spiffe://partner.example/ns/acme/sa/sync' }).srcService).toBe('acme/sync');
    expect(ok({ srcService: 'spiffe://partner.example/acme/sync' }).srcService).toBe('spiffe://partner.example/acme/sync');
    expect(ok({ srcService: 'external', dstService: 'unknown' })).toMatchObject({ srcService: 'external', dstService: 'unknown' });
    expect(ok({ namespace: 'n'.repeat(63), serviceName: 'cart' }).dstService).toBe(`${'n'.repeat(63)}/cart`);
    expect(ok({ cluster: 'prod-EU_west.1' }).cluster).toBe('prod-EU_west.1');
    expect(ok({ proxyId: 'sidecar~10.1.0.9~pod-1.shop~shop.svc.cluster.local' }).proxyId).toBe('sidecar~10.1.0.9~pod-1.shop~shop.svc.cluster.local');
  });

  it('derives a valid proxy id from a default that is not one (a token named with spaces, a hostile header)', () => {
    const spaced = normalizeRecord(base, 'otlp', { ...defaults, proxyId: 'orders nginx 1' }, NAMES).event!.proxyId;
    expect(spaced).toMatch(/^orders-nginx-1-[0-9a-f]{12}$/);
    const hostile = normalizeRecord(base, 'otlp', { ...defaults, proxyId: 'p\naccess_log off;' }, NAMES).event!.proxyId;
    expect(hostile).toMatch(/^p-access_log-off-[0-9a-f]{12}$/);
    // two originals that clean up alike keep distinct ids
    expect(normalizeRecord(base, 'otlp', { ...defaults, proxyId: 'orders  nginx 1' }, NAMES).event!.proxyId).not.toBe(spaced);
    expect(normalizeRecord(base, 'otlp', { ...defaults, proxyId: 'orders-nginx-1' }, NAMES).event!.proxyId).toBe('orders-nginx-1');
  });
});

describe('normalizeRecord: percent-decoded paths', () => {
  it('refuses a path whose decoded segments hold NUL or other control characters, or are not UTF-8', () => {
    for (const path of ['/a/%00', '/a%00b/c', '/files/x.php%00.jpg', '/a/%0A', '/a/%0d%0a', '/a/%7F', '/a/%C2%85', '/a/%E2%80%A8', '/a/%1b[31m']) {
      expect(fails({ path }), path).toBe('`url.path` must not contain control characters, even percent-encoded (such as %00 or %0A)');
    }
    for (const path of ['/a/%C0%AF', '/a/%FF', '/a/%E2%80', '/..%c0%af../etc/passwd', '/a/%ED%A0%80']) {
      expect(fails({ path }), path).toBe('`url.path` holds percent-escapes that are not valid UTF-8');
    }
    expect(fails({ path: '/a', query: '%00=1' })).toBe('`url.query` must not name a parameter with control characters, even percent-encoded');
  });

  it('accepts escapes of printable text and stray percent signs, keeping the path as sent', () => {
    for (const path of ['/a%20b', '/a%2Fb', '/%41', '/caf%C3%A9', '/100%', '/a%zz', '/%25', '/%2500', '/a%%20b', '/%F0%9F%98%80']) {
      expect(ok({ path }).path, path).toBe(path);
    }
    expect(ok({ path: '/a', query: 'q=%00' }).query).toBe('q=%00'); // values are not learned or stored decoded
  });
});
