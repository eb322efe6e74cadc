import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/lib/prng';
import { parseEnvoyNdjson } from './envoy';
import { MalformedBatchError, type AccessEventInput, type ParseDefaults, type ParseResult } from './event';
import { parseOtlp } from './otlp';
import { encodeOtlpLogsRequest } from './otlp-proto';
import { decodedPathProblem } from '@/server/discovery/path-normalize';
import { isHostLike, isNamespace, isProxyId, isServiceName } from '@/server/identity/names';

/**
 * Whatever arrives, a parser either returns events that the writer can store as they are, or
 * throws MalformedBatchError (a 400). Any other exception would be a 500 and a retry storm.
 */

const NOW = 1_700_000_000_000 + 3_600_000;
const DAY = 86_400_000;
const defaults: ParseDefaults = { proxyId: 'fuzz-proxy', now: NOW, retentionDays: 30 };
const DEEP = 10_000;

/** mulberry32: small, seeded, so a failure can be replayed from its iteration number. */
function prng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const NASTY = ['\u0000', '\u0001', '\n', '\u007f', '\ud800', '\udfff', '😀', '?', '/', '%', ',', '"', '\\', '-', ' ', 'é', '%00', '%0a', '%c0', ';', '{', '\u2028', '\u0085'];

function randomString(r: Rng): string {
  if (r.chance(0.02)) return 'x'.repeat(r.pick([8193, 70_000, 300_000]));
  let s = r.chance(0.5) ? '/' : '';
  for (let i = r.int(24); i > 0; i--) s += r.chance(0.3) ? r.pick(NASTY) : String.fromCharCode(32 + r.int(95));
  return s;
}

function randomScalar(r: Rng): unknown {
  switch (r.int(10)) {
    case 0: return randomString(r);
    case 1: return r.int(2000) - 500;
    case 2: return r.next() * 1e20 - 1e10;
    case 3: return String(r.int(1100));
    case 4: return r.chance(0.5);
    case 5: return null;
    case 6: return r.pick(['', '-', 'NaN', '1e400', '-0', '0x10', ' 200', '2023-11-14T22:13:20Z', '1700000000123456789']);
    case 7: return [randomScalar(r), randomScalar(r)];
    case 8: return { [randomString(r)]: randomScalar(r) };
    default: return r.pick(['GET', 'post', '/api/x?y=1', 'spiffe://td/ns/a/sa/b', '10.0.0.1:80', '[::1]:9']);
  }
}

/** Replaces, deletes or retypes a few random nodes of a JSON tree (in place). */
function mutate(root: unknown, r: Rng, times: number): void {
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    for (const key of Object.keys(node)) {
      const k = Array.isArray(node) ? Number(key) : key;
      slots.push([node as Record<string, unknown>, k]);
      stack.push((node as Record<string, unknown>)[key]);
    }
  }
  for (let i = 0; i < times && slots.length > 0; i++) {
    const [parent, key] = r.pick(slots);
    const p = parent as Record<string | number, unknown>;
    if (r.chance(0.2) && !Array.isArray(parent)) delete p[key];
    else p[key] = randomScalar(r);
  }
}

// ---- seeds --------------------------------------------------------------------------------------

const nanos = (r: Rng) => String(BigInt(NOW - r.int(40 * DAY) + DAY) * 1_000_000n + BigInt(r.int(1_000_000)));
const kv = (key: string, value: unknown) => ({ key, value });

function otlpBatch(r: Rng) {
  const record = () => ({
    timeUnixNano: nanos(r),
    attributes: [
      kv('http.request.method', { stringValue: r.pick(['GET', 'POST', 'delete']) }),
      kv('url.path', { stringValue: r.pick(['/a', '/b?c=1', '/users/7']) }),
      kv('http.response.status_code', { intValue: String(r.pick([200, 404, 500])) }),
      kv('client.address', { stringValue: '10.0.0.1' }),
      kv('http.response.body.size', { intValue: String(r.int(1e6)) }),
      kv('meshward.duration_ms', { doubleValue: r.next() * 100 }),
      kv('meshward.mtls', { boolValue: true }),
      kv('meshward.sensitive', {
        arrayValue: { values: [{ kvlistValue: { values: [kv('class', { stringValue: 'email' }), kv('count', { intValue: '2' })] } }] },
      }),
      kv('meshward.sample', { stringValue: randomString(r) }),
      kv('user_agent.original', { stringValue: randomString(r) }),
    ],
  });
  return {
    resourceLogs: [{
      resource: { attributes: [kv('service.name', { stringValue: 'cart' }), kv('k8s.namespace.name', { stringValue: 'shop' })] },
      scopeLogs: [{ scope: { name: 'envoy' }, logRecords: Array.from({ length: 1 + r.int(4) }, record) }],
    }],
  };
}

function envoyLine(r: Rng): Record<string, unknown> {
  return {
    start_time: new Date(NOW - r.int(40 * DAY) + DAY).toISOString(),
    method: r.pick(['GET', 'PUT', 'get']),
    path: r.pick(['/a', '/b?c=1', '/users/7']),
    protocol: 'HTTP/1.1',
    response_code: r.pick([200, 404, '503']),
    response_flags: '-',
    duration: r.int(100),
    bytes_received: r.int(100),
    bytes_sent: r.int(1e5),
    x_forwarded_for: '198.51.100.4, 10.1.0.7',
    user_agent: randomString(r),
    request_id: r.chance(0.5) ? null : `req-${r.int(1e9)}`,
    authority: 'details:9080',
    upstream_cluster: 'outbound|9080||details.bookinfo.svc.cluster.local',
    downstream_remote_address: '10.1.0.9:52000',
    downstream_peer_uri_san: 'spiffe://cluster.local/ns/bookinfo/sa/productpage',
    sensitive: [{ class: 'ssn', count: 1 }],
  };
}

// ---- bodies that nest 10,000 levels deep ------------------------------------------------------------

const deepJsonValue = (levels: number) =>
  `${'{"arrayValue":{"values":['.repeat(levels)}{"stringValue":"x"}${']}}'.repeat(levels)}`;

function deepOtlpJson(): string {
  const attrs = ['http.request.header.x-request-id', 'meshward.sensitive', 'unknown.key']
    .map((key) => `{"key":"${key}","value":${deepJsonValue(DEEP)}}`)
    .join(',');
  const base = `{"key":"http.request.method","value":{"stringValue":"GET"}},{"key":"url.path","value":{"stringValue":"/"}},`
    + '{"key":"http.response.status_code","value":{"intValue":"200"}}';
  return `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"${BigInt(NOW) * 1_000_000n}","attributes":[${base},${attrs}]}]}]}]}`;
}

/** Protobuf AnyValue{array_value{values{AnyValue{…}}}} nested `levels` deep, written outside-in. */
function deepOtlpProto(levels: number, name = 'k'): Uint8Array {
  const varint = (n: number) => {
    const out: number[] = [];
    for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
    out.push(n);
    return out;
  };
  const headers: number[][] = [];
  let len = 0; // innermost AnyValue is empty
  const wrap = (tag: number) => {
    const h = [tag, ...varint(len)];
    headers.push(h);
    len += h.length;
  };
  for (let i = 0; i < levels; i++) {
    wrap(0x0a); // ArrayValue.values = 1
    wrap(0x2a); // AnyValue.array_value = 5
  }
  const key = [0x0a, name.length, ...Buffer.from(name)]; // KeyValue.key
  const kvHeader = [0x12, ...varint(len)]; // KeyValue.value = 2
  len += kvHeader.length + key.length;
  const outer: number[][] = [[...key, ...kvHeader]];
  for (const tag of [0x32, 0x12, 0x12, 0x0a]) { // LogRecord.attributes, ScopeLogs.log_records, ResourceLogs.scope_logs, request
    const h = [tag, ...varint(len)];
    outer.unshift(h);
    len += h.length;
  }
  const bytes = [...outer.flat()];
  for (let i = headers.length - 1; i >= 0; i--) bytes.push(...headers[i]);
  return Uint8Array.from(bytes);
}

// ---- invariants ---------------------------------------------------------------------------------------

function strings(e: AccessEventInput): string[] {
  const out = Object.values(e).filter((v): v is string => typeof v === 'string');
  for (const m of e.sensitive ?? []) out.push(m.class, m.direction, m.path ?? '', m.partial ?? '');
  return out;
}

function violation(e: AccessEventInput): string | null {
  if (!isServiceName(e.srcService) || !isServiceName(e.dstService)) return `service ${JSON.stringify([e.srcService, e.dstService])}`;
  if (!isProxyId(e.proxyId)) return `proxy id ${JSON.stringify(e.proxyId)}`;
  if (e.namespace !== null && !isNamespace(e.namespace)) return `namespace ${JSON.stringify(e.namespace)}`;
  if (e.cluster !== null && !isHostLike(e.cluster)) return `cluster ${JSON.stringify(e.cluster)}`;
  if (decodedPathProblem(e.path)) return `path ${JSON.stringify(e.path.slice(0, 40))} decodes to control characters`;
  if (!/^[A-Z][A-Z0-9_-]{0,15}$/.test(e.method)) return `method ${JSON.stringify(e.method)}`;
  if (!(e.path.startsWith('/') || e.path === '*') || e.path.length > 8192) return `path ${JSON.stringify(e.path.slice(0, 40))}`;
  if (!Number.isInteger(e.status) || e.status < 0 || e.status > 999) return `status ${e.status}`;
  if (!(e.ts >= NOW - 30 * DAY && e.ts <= NOW + DAY)) return `ts ${e.ts}`;
  if (!e.requestId || e.requestId.length > 128) return `requestId ${e.requestId}`;
  for (const n of [e.durationMs, e.bytesIn, e.bytesOut]) if (n !== null && !(Number.isFinite(n) && n >= 0)) return `number ${n}`;
  for (const s of strings(e)) {
    if (s.includes('\u0000')) return 'NUL in a string';
    if (!s.isWellFormed()) return 'lone surrogate in a string';
  }
  if (e.sensitive !== null && (e.sensitive.length === 0 || e.sensitive.length > 64)) return 'sensitive size';
  return null;
}

type Tally = { ok: number; malformed: number; events: number };

function check(tally: Tally, what: string, run: () => ParseResult): void {
  let result: ParseResult;
  try {
    result = run();
  } catch (err) {
    if (err instanceof MalformedBatchError && err.message.length > 0) {
      tally.malformed += 1;
      return;
    }
    throw new Error(`${what}: threw ${err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err)}`);
  }
  tally.ok += 1;
  tally.events += result.events.length;
  for (const e of result.events) {
    const bad = violation(e);
    if (bad) throw new Error(`${what}: invalid event (${bad})`);
  }
  if (result.errors.length > 5 || result.rejected < result.errors.length) throw new Error(`${what}: error bookkeeping`);
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const ITERATIONS = 1500;

describe('parser fuzzing', () => {
  it('OTLP/JSON: mutated, truncated and random bodies', () => {
    const r = prng(0x5eed01);
    const tally: Tally = { ok: 0, malformed: 0, events: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const batch = otlpBatch(r);
      mutate(batch, r, r.int(6));
      let text = JSON.stringify(batch);
      if (r.chance(0.15)) text = text.slice(0, r.int(text.length));
      check(tally, `otlp-json #${i}`, () => parseOtlp(utf8(text), 'json', defaults));
      const bytes = Uint8Array.from({ length: r.int(64) }, () => r.int(256));
      check(tally, `otlp-json random #${i}`, () => parseOtlp(bytes, 'json', defaults));
    }
    check(tally, 'otlp-json deep', () => parseOtlp(utf8(deepOtlpJson()), 'json', defaults));
    check(tally, 'otlp-json deep body', () => parseOtlp(utf8(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`), 'json', defaults));
    expect(tally.events).toBeGreaterThan(ITERATIONS); // the mutations leave plenty valid
    expect(tally.malformed).toBeGreaterThan(100);
  });

  it('OTLP/protobuf: random bytes, truncations and bit flips', () => {
    const r = prng(0x5eed02);
    const tally: Tally = { ok: 0, malformed: 0, events: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const valid = encodeOtlpLogsRequest(otlpBatch(r));
      check(tally, `otlp-proto valid #${i}`, () => parseOtlp(valid, 'protobuf', defaults));
      check(tally, `otlp-proto truncated #${i}`, () => parseOtlp(valid.subarray(0, r.int(valid.length)), 'protobuf', defaults));
      const flipped = valid.slice();
      for (let f = 1 + r.int(4); f > 0; f--) flipped[r.int(flipped.length)] ^= 1 << r.int(8);
      check(tally, `otlp-proto flipped #${i}`, () => parseOtlp(flipped, 'protobuf', defaults));
      const random = Uint8Array.from({ length: r.int(200) }, () => r.int(256));
      check(tally, `otlp-proto random #${i}`, () => parseOtlp(random, 'protobuf', defaults));
    }
    check(tally, 'otlp-proto deep', () => parseOtlp(deepOtlpProto(DEEP, 'url.path'), 'protobuf', defaults));
    expect(tally.events).toBeGreaterThan(ITERATIONS);
    expect(tally.malformed).toBeGreaterThan(100);
  });

  it('Envoy NDJSON: mutated lines, garbage lines and random text', () => {
    const r = prng(0x5eed03);
    const tally: Tally = { ok: 0, malformed: 0, events: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const lines = Array.from({ length: 1 + r.int(4) }, () => {
        const o = envoyLine(r);
        mutate(o, r, r.int(4));
        const text = JSON.stringify(o);
        return r.chance(0.1) ? text.slice(0, r.int(text.length)) : text;
      });
      if (r.chance(0.2)) lines.splice(r.int(lines.length), 0, randomString(r));
      const body = (r.chance(0.1) ? '\uFEFF' : '') + lines.join(r.chance(0.5) ? '\n' : '\r\n');
      check(tally, `envoy #${i}`, () => parseEnvoyNdjson(body, defaults));
      if (r.chance(0.1)) check(tally, `envoy array #${i}`, () => parseEnvoyNdjson(`[${lines.join(',')}]`, defaults));
      check(tally, `envoy random #${i}`, () => parseEnvoyNdjson(randomString(r), defaults));
    }
    const deep = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
    check(tally, 'envoy deep line', () => parseEnvoyNdjson(deep, defaults));
    const nested = JSON.stringify(envoyLine(r)).replace('"sensitive":[', `"sensitive":[${deep},`);
    check(tally, 'envoy deep field', () => parseEnvoyNdjson(nested, defaults));
    expect(tally.events).toBeGreaterThan(ITERATIONS);
    expect(tally.malformed).toBeGreaterThan(100);
  });

  it('rejects pathological nesting as a malformed batch, not a crash', () => {
    // a value the walker reads is decoded, and refused past a sane depth
    expect(() => parseOtlp(deepOtlpProto(DEEP, 'url.path'), 'protobuf', defaults)).toThrow(/protobuf: .*too deep/);
    // an attribute nobody reads is skipped without being decoded at all
    expect(() => parseOtlp(deepOtlpProto(DEEP), 'protobuf', defaults)).toThrow(/logRecords\[0\]: `http\.request\.method`, `url\.path`, `http\.response\.status_code` are missing/);
    // the same shape, shallow, decodes: only its missing request fields are reported
    expect(() => parseOtlp(deepOtlpProto(3), 'protobuf', defaults)).toThrow(/logRecords\[0\]: `http\.request\.method`, `url\.path`, `http\.response\.status_code` are missing/);
    expect(parseOtlp(utf8(deepOtlpJson()), 'json', defaults).events).toHaveLength(1);
  });
});
