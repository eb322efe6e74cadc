// Seeded-random request bodies for the two ingest routes: mostly wrong, some partly right.
import { gzipSync } from 'node:zlib';
import { encodeOtlpLogsRequest, type OtlpLogsRequest } from '@/server/ingest/otlp-proto';
import { MeshTraffic, envoyLine, otlpRequest, type AccessRecord, type ProxyIdentity } from './mesh-traffic';
import type { Prng } from '@/simulator/prng';

export type Route = 'otlp' | 'envoy';

export interface FuzzCase {
  kind: string;
  route: Route;
  headers: Record<string, string>;
  body: Buffer;
  /** send without a content-length */
  chunked?: boolean;
  /** set for batches mixing valid and invalid records: the valid ones' request ids must be stored once */
  mixed?: { valid: string[]; invalid: number };
}

/** Limits the console under test runs with (MESHWARD_INGEST_MAX_BYTES). */
export const FUZZ_MAX_BYTES = 262_144;

const CONTENT = { protobuf: 'application/x-protobuf', json: 'application/json', ndjson: 'application/x-ndjson' };
const WRONG_TYPES = ['text/html', 'application/xml', 'multipart/form-data; boundary=x', 'image/png', 'application/grpc', ''];

type Generator = (r: Prng, id: string) => Omit<FuzzCase, 'kind' | 'route'>;

/** What the case generators share: the traffic source and the token. */
export class FuzzCases {
  private readonly traffic: MeshTraffic;
  private readonly proxy: ProxyIdentity;

  constructor(private readonly r: Prng, private readonly token: string) {
    this.traffic = new MeshTraffic(r.int(2 ** 31));
    this.proxy = this.traffic.proxy(7);
  }

  next(n: number): FuzzCase {
    const route: Route = this.r.chance(0.5) ? 'otlp' : 'envoy';
    const table = route === 'otlp' ? this.otlp : this.envoy;
    const [kind, generate] = this.r.weighted(table.map(([k, g, w]) => [[k, g] as const, w] as const));
    const c = generate(this.r, `fz-${n}`);
    const auth: Record<string, string> = c.headers.authorization === undefined && !kind.startsWith('auth') ? { authorization: `Bearer ${this.token}` } : {};
    return { kind, route, ...c, headers: { ...auth, ...c.headers } };
  }

  private records(id: string, n: number): AccessRecord[] {
    return Array.from({ length: n }, (_, i) => this.traffic.record(`${id}-${i}`));
  }

  private otlpJson(id: string, n: number): OtlpLogsRequest {
    return otlpRequest(this.proxy, this.records(id, n));
  }

  private otlpProto(id: string, n: number): Buffer {
    return Buffer.from(encodeOtlpLogsRequest(this.otlpJson(id, n)));
  }

  private ndjson(id: string, n: number): string {
    return this.records(id, n).map((a) => envoyLine(this.proxy, a)).join('\n');
  }

  /** A batch of valid records with some of them broken (each broken one must be rejected). */
  private mixedRecords(r: Prng, id: string) {
    const records = this.records(id, 2 + r.int(30));
    const broken = new Set(records.filter(() => r.chance(0.3)).map((a) => a.requestId));
    if (broken.size === records.length) broken.delete(records[0].requestId);
    return { records, broken, mixed: { valid: records.filter((a) => !broken.has(a.requestId)).map((a) => a.requestId), invalid: broken.size } };
  }

  private readonly otlp: [string, Generator, number][] = [
    ['random bytes', (r) => ({ headers: { 'content-type': r.pick([CONTENT.protobuf, CONTENT.json]) }, body: Buffer.from(r.bytes(r.int(4096))) }), 3],
    ['truncated protobuf', (r, id) => {
      const body = this.otlpProto(id, 1 + r.int(20));
      return { headers: { 'content-type': CONTENT.protobuf }, body: body.subarray(0, r.int(body.length)) };
    }, 3],
    ['bit-flipped protobuf', (r, id) => ({ headers: { 'content-type': CONTENT.protobuf }, body: flipBits(r, this.otlpProto(id, 1 + r.int(10))) }), 3],
    ['truncated json', (r, id) => {
      const body = Buffer.from(JSON.stringify(this.otlpJson(id, 1 + r.int(10))));
      return { headers: { 'content-type': CONTENT.json }, body: body.subarray(0, r.int(body.length)) };
    }, 2],
    ['wrong-typed json', (r, id) => ({ headers: { 'content-type': CONTENT.json }, body: json(mutate(r, this.otlpJson(id, 1 + r.int(5)))) }), 6],
    ['deeply nested json', (r) => ({ headers: { 'content-type': CONTENT.json }, body: Buffer.from(nestedOtlpJson(r)) }), 1],
    ['deeply nested protobuf', (r) => ({ headers: { 'content-type': CONTENT.protobuf }, body: nestedOtlpProto(r) }), 1],
    ['huge strings', (r, id) => {
      const batch = this.otlpJson(id, 1 + r.int(3));
      hugeAttribute(r, batch);
      const proto = r.chance(0.5);
      return { headers: { 'content-type': proto ? CONTENT.protobuf : CONTENT.json }, body: proto ? Buffer.from(encodeOtlpLogsRequest(batch)) : json(batch) };
    }, 2],
    ['wrong content type', (r, id) => ({ headers: { 'content-type': r.pick(WRONG_TYPES) }, body: this.otlpProto(id, 1) }), 2],
    ['mixed protobuf', (r, id) => this.otlpMixed(r, id, true), 5],
    ['mixed json', (r, id) => this.otlpMixed(r, id, false), 5],
    ...this.bodyCases(CONTENT.protobuf, (id) => this.otlpProto(id, 3)),
  ];

  private readonly envoy: [string, Generator, number][] = [
    ['random bytes', (r) => ({ headers: { 'content-type': CONTENT.ndjson }, body: Buffer.from(r.bytes(r.int(4096))) }), 3],
    ['random text lines', (r) => ({ headers: { 'content-type': CONTENT.ndjson }, body: Buffer.from(randomText(r)) }), 2],
    ['truncated ndjson', (r, id) => {
      const body = Buffer.from(this.ndjson(id, 1 + r.int(20)));
      return { headers: { 'content-type': CONTENT.ndjson }, body: body.subarray(0, r.int(body.length)) };
    }, 3],
    ['wrong-typed fields', (r, id) => ({
      headers: { 'content-type': CONTENT.ndjson },
      body: Buffer.from(this.records(id, 1 + r.int(5)).map((a) => JSON.stringify(mutate(r, JSON.parse(envoyLine(this.proxy, a))))).join('\n')),
    }), 6],
    ['json array', (r, id) => ({ headers: { 'content-type': CONTENT.json }, body: json(this.records(id, 1 + r.int(5)).map((a) => mutate(r, JSON.parse(envoyLine(this.proxy, a))))) }), 2],
    ['deeply nested json', (r) => ({ headers: { 'content-type': CONTENT.ndjson }, body: Buffer.from(nestedEnvoyLine(r)) }), 1],
    ['huge strings', (r, id) => {
      const line = JSON.parse(envoyLine(this.proxy, this.records(id, 1)[0]));
      line[r.pick(['path', 'user_agent', 'request_id', 'authority', 'x_forwarded_for', 'start_time', 'method'])] = 'x'.repeat(10_000 + r.int(200_000));
      return { headers: { 'content-type': CONTENT.ndjson }, body: json(line) };
    }, 2],
    ['wrong content type', (r, id) => ({ headers: { 'content-type': r.pick(WRONG_TYPES.filter(Boolean)) }, body: Buffer.from(this.ndjson(id, 1)) }), 2],
    ['mixed ndjson', (r, id) => this.envoyMixed(r, id), 8],
    ...this.bodyCases(CONTENT.ndjson, (id) => Buffer.from(this.ndjson(id, 3))),
  ];

  private otlpMixed(r: Prng, id: string, proto: boolean) {
    const { records, broken, mixed } = this.mixedRecords(r, id);
    const batch = otlpRequest(this.proxy, records) as { resourceLogs: [{ scopeLogs: [{ logRecords: OtlpRecord[] }] }] };
    batch.resourceLogs[0].scopeLogs[0].logRecords.forEach((rec, i) => {
      if (broken.has(records[i].requestId)) breakOtlpRecord(r, rec);
    });
    return {
      headers: { 'content-type': proto ? CONTENT.protobuf : CONTENT.json },
      body: proto ? Buffer.from(encodeOtlpLogsRequest(batch)) : json(batch),
      mixed,
    };
  }

  private envoyMixed(r: Prng, id: string) {
    const { records, broken, mixed } = this.mixedRecords(r, id);
    // A first line that is a JSON array would make the whole body read as the JSON-array form
    // (parseEnvoyNdjson looks at the first character): the array-shaped break is kept off line 1.
    const lines = records.map((a, i) => (broken.has(a.requestId) ? breakEnvoyLine(r, JSON.parse(envoyLine(this.proxy, a)), i > 0) : envoyLine(this.proxy, a)));
    return { headers: { 'content-type': CONTENT.ndjson }, body: Buffer.from(lines.join(r.chance(0.5) ? '\n' : '\r\n\n')), mixed };
  }

  /** Cases about the body as a whole: size, compression, authentication. */
  private bodyCases(contentType: string, valid: (id: string) => Buffer): [string, Generator, number][] {
    const h = { 'content-type': contentType };
    return [
      ['over the size limit', (r) => ({ headers: h, body: Buffer.from(r.bytes(FUZZ_MAX_BYTES + 1 + r.int(100_000))), chunked: r.chance(0.5) }), 1],
      ['gzip bomb', () => ({ headers: { ...h, 'content-encoding': 'gzip' }, body: gzipBomb() }), 1],
      ['truncated gzip', (r, id) => {
        const gz = gzipSync(valid(id));
        return { headers: { ...h, 'content-encoding': 'gzip' }, body: gz.subarray(0, r.int(gz.length)) };
      }, 2],
      ['gzip header then garbage', (r) => ({ headers: { ...h, 'content-encoding': 'gzip' }, body: Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from(r.bytes(r.int(2000)))]) }), 2],
      ['plain body sent as gzip', (_r, id) => ({ headers: { ...h, 'content-encoding': 'gzip' }, body: valid(id) }), 1],
      ['unsupported encoding', (r, id) => ({ headers: { ...h, 'content-encoding': r.pick(['br', 'deflate', 'zstd', 'gzip, br', 'x'.repeat(300)]) }, body: valid(id) }), 1],
      ['auth: none', (_r, id) => ({ headers: h, body: valid(id) }), 1],
      ['auth: wrong', (r, id) => ({
        headers: { ...h, authorization: r.pick([`Bearer mwp_${'A'.repeat(43)}`, 'Basic dXNlcjpwYXNz', 'Bearer', `Bearer ${'x'.repeat(5000)}`, 'bearer  mwp_x y']) },
        body: valid(id),
      }), 1],
    ];
  }
}

type OtlpRecord = { timeUnixNano?: unknown; observedTimeUnixNano?: unknown; attributes: { key: string; value: Record<string, unknown> }[] };

/** Breaks one record so that normalizeRecord must reject it (and only it). */
function breakOtlpRecord(r: Prng, rec: OtlpRecord) {
  const set = (key: string, value: Record<string, unknown> | null) => {
    rec.attributes = rec.attributes.filter((a) => a.key !== key);
    if (value) rec.attributes.push({ key, value });
  };
  switch (r.int(5)) {
    case 0: return set('http.request.method', null);
    case 1: return set('url.path', { stringValue: 'no-leading-slash' });
    case 2: return set('http.response.status_code', { stringValue: 'two hundred' });
    case 3:
      rec.timeUnixNano = '1000';
      rec.observedTimeUnixNano = '1000';
      return;
    default: return set('http.request.method', { stringValue: 'GET /x' });
  }
}

function breakEnvoyLine(r: Prng, o: Record<string, unknown>, mayBeArray: boolean): string {
  switch (r.int(6)) {
    case 0: return `${JSON.stringify(o).slice(0, -3)}`; // not JSON
    case 1: return mayBeArray ? JSON.stringify([o]) : JSON.stringify(o).slice(1);
    case 2: return JSON.stringify({ ...o, start_time: 'yesterday' });
    case 3: return JSON.stringify({ ...o, response_code: { code: 200 } });
    case 4: return JSON.stringify({ ...o, method: undefined });
    default: return JSON.stringify({ ...o, path: 42 });
  }
}

let bomb: Buffer | undefined;
/** ~2 KB that inflates to 9× the body limit (past the 8× the console allows) */
const gzipBomb = () => (bomb ??= gzipSync(Buffer.alloc(FUZZ_MAX_BYTES * 9, 0x7b)));

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

function flipBits(r: Prng, body: Buffer): Buffer {
  const out = Buffer.from(body);
  for (let i = 1 + r.int(8); i > 0; i--) out[r.int(out.length)] ^= 1 << r.int(8);
  return out;
}

function randomValue(r: Prng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 6 : 8)) {
    case 0: return null;
    case 1: return r.chance(0.5);
    case 2: return r.pick([0, -1, 1.5, 1e308, -1e-300, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER]);
    case 3: return r.pick(['', '-', 'x', '\u0000', '\ud800', '😀', '1e999', '-5', ' 200 ', 'GET']);
    case 4: return String(r.int(10 ** 9));
    case 5: return 'y'.repeat(r.int(2000));
    case 6: return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: r.int(4) }, (_, i) => [r.pick(['stringValue', 'intValue', 'values', 'key', 'value', `k${i}`]), randomValue(r, depth + 1)]));
  }
}

/** Replaces a few randomly chosen nodes of a JSON value with values of other types. */
function mutate<T>(r: Prng, root: T): T {
  const copy = JSON.parse(JSON.stringify(root));
  for (let n = 1 + r.int(4); n > 0; n--) {
    let node: unknown = copy;
    for (let depth = 0; depth < 12; depth++) {
      if (typeof node !== 'object' || node === null) break;
      const keys = Object.keys(node);
      if (!keys.length) break;
      const key = r.pick(keys);
      const child = (node as Record<string, unknown>)[key];
      if (r.chance(0.3) || typeof child !== 'object' || child === null) {
        (node as Record<string, unknown>)[key] = randomValue(r);
        break;
      }
      node = child;
    }
  }
  return copy;
}

function hugeAttribute(r: Prng, batch: OtlpLogsRequest) {
  const rec = (batch as { resourceLogs: [{ scopeLogs: [{ logRecords: OtlpRecord[] }] }] }).resourceLogs[0].scopeLogs[0].logRecords[0];
  const key = r.pick(['url.path', 'user_agent.original', 'meshward.request_id', 'meshward.sample', 'meshward.sensitive', 'url.query']);
  rec.attributes = rec.attributes.filter((a) => a.key !== key);
  rec.attributes.push({ key, value: { stringValue: `/${'z'.repeat(10_000 + r.int(200_000))}` } });
}

function nestedOtlpJson(r: Prng): string {
  const depth = 1000 + r.int(8000); // stays under FUZZ_MAX_BYTES
  const value = `${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"x"}${']}}'.repeat(depth)}`;
  return `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1","attributes":[{"key":"url.path","value":${value}}]}]}]}]}`;
}

/** AnyValue{array_value{values: AnyValue{…}}} nested, in protobuf, inside a valid envelope. */
function nestedOtlpProto(r: Prng): Buffer {
  const core = Buffer.from([0x0a, 0x01, 0x78]); // string_value "x"
  // Each level only prefixes a tag and a length, so the prefixes are computed inside out, joined once.
  const prefixes: Buffer[] = [];
  let length = core.length;
  for (let depth = r.chance(0.3) ? 10 + r.int(80) : 200 + r.int(20_000); depth > 0 && length < 200_000; depth--) {
    for (const tag of [0x0a, 0x2a]) { // ArrayValue.values, then AnyValue.array_value
      const prefix = Buffer.concat([Buffer.from([tag]), varint(length)]);
      prefixes.push(prefix);
      length += prefix.length;
    }
  }
  const value = Buffer.concat([...prefixes.reverse(), core]);
  const field = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), varint(body.length), body]);
  const kv = Buffer.concat([field(0x0a, Buffer.from('url.path')), field(0x12, value)]);
  const record = field(0x32, kv); // LogRecord.attributes
  return field(0x0a, field(0x12, field(0x12, record))); // resource_logs → scope_logs → log_records
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

function nestedEnvoyLine(r: Prng): string {
  return r.chance(0.5)
    ? `${'['.repeat(1000 + r.int(100_000))}${']'.repeat(1000 + r.int(100_000))}`
    : `{"start_time":${'{"a":'.repeat(1000 + r.int(40_000))}1${'}'.repeat(1000 + r.int(40_000))}}`;
}

function randomText(r: Prng): string {
  const alphabet = '{}[]":,0123456789abcdefnulltrue \\\n\t-.eE';
  return Array.from({ length: r.int(3000) }, () => alphabet[r.int(alphabet.length)]).join('');
}
