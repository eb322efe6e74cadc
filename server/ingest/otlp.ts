import { MAX_ERRORS_REPORTED, MalformedBatchError, type ParseDefaults, type ParseResult } from './event';
import { normalizeRecord, type FieldNames, type NormalizeResult, type RawRecord } from './normalize';
import { decodeOtlpLogsProto } from './otlp-proto';

type Obj = Record<string, unknown>;

const NAMES: FieldNames = {
  ts: 'timeUnixNano',
  method: 'http.request.method',
  path: 'url.path',
  query: 'url.query',
  status: 'http.response.status_code',
  durationMs: 'meshward.duration_ms',
  durationSeconds: 'http.server.request.duration',
  bytesIn: 'http.request.body.size',
  bytesOut: 'http.response.body.size',
};
const NAMES_OBSERVED: FieldNames = { ...NAMES, ts: 'observedTimeUnixNano' };

/** Only these attributes are kept while scanning, so a record with 10k unknown attributes costs one pass. */
const KNOWN = new Set([
  'http.request.method', 'url.path', 'url.query', 'http.response.status_code', 'client.address',
  'server.address', 'user_agent.original', 'http.request.body.size', 'http.response.body.size',
  'meshward.src_service', 'meshward.dst_service', 'meshward.token_id', 'meshward.user', 'meshward.sensitive',
  'meshward.sample', 'meshward.request_id', 'http.request.header.x-request-id', 'meshward.mtls',
  'meshward.duration_ms', 'http.server.request.duration', 'network.protocol.name', 'network.protocol.version',
  'meshward.response_flags', 'service.name', 'k8s.cluster.name', 'k8s.namespace.name', 'host.name',
  'service.instance.id', 'meshward.proxy_id',
]);

/** Describe the proxy rather than one request, so a resource may set them for all its records. */
const RESOURCE_LEVEL = new Set([
  'service.name', 'k8s.cluster.name', 'k8s.namespace.name', 'host.name', 'service.instance.id',
  'meshward.proxy_id', 'meshward.src_service', 'meshward.dst_service', 'meshward.mtls', 'server.address',
  'network.protocol.name', 'network.protocol.version',
]);

export function parseOtlp(body: Uint8Array, format: 'protobuf' | 'json', defaults: ParseDefaults): ParseResult {
  const batch = format === 'protobuf' ? decodeOtlpLogsProto(body) : parseJson(body);
  const result: ParseResult = { events: [], rejected: 0, errors: [] };
  const resourceLogs = list(batch, 'resourceLogs', 'resource_logs', '');
  resourceLogs.forEach((rl, i) => {
    const rlAt = `resourceLogs[${i}]`;
    const resource = member(rl, 'resource', 'resource', rlAt);
    const resourceAttrs = attributes(resource?.attributes, `${rlAt}.resource`);
    if (typeof resourceAttrs === 'string') throw new MalformedBatchError(resourceAttrs);
    list(rl, 'scopeLogs', 'scope_logs', rlAt).forEach((sl, j) => {
      const slAt = `${rlAt}.scopeLogs[${j}]`;
      list(sl, 'logRecords', 'log_records', slAt).forEach((record, k) => {
        const at = `${slAt}.logRecords[${k}]`;
        const outcome = parseRecord(record, resourceAttrs, defaults);
        if (outcome.event) result.events.push(outcome.event);
        else {
          result.rejected += 1;
          if (result.errors.length < MAX_ERRORS_REPORTED) result.errors.push(`${at}: ${outcome.error}`);
        }
      });
    });
  });
  if (result.events.length === 0 && result.rejected > 0) {
    throw new MalformedBatchError(`no valid log records (${result.rejected} rejected): ${result.errors.join('; ')}`);
  }
  return result;
}

const utf8 = new TextDecoder('utf-8');

function parseJson(body: Uint8Array): Obj {
  // Lenient like the protobuf path: a stray byte inside one string must not cost the whole batch.
  const text = utf8.decode(body); // also drops a leading BOM
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MalformedBatchError(`body is not valid JSON: ${err instanceof Error ? err.message : 'parse error'}`);
  }
  if (!isObj(value)) throw new MalformedBatchError('body must be a JSON object (an OTLP ExportLogsServiceRequest)');
  return value;
}

function parseRecord(record: unknown, resource: Map<string, unknown>, defaults: ParseDefaults): NormalizeResult {
  if (!isObj(record)) return { error: 'a log record must be an object' };
  const own = attributes(record.attributes, '');
  if (typeof own === 'string') return { error: '`attributes` must be an array' };
  const get = (key: string): unknown => {
    const v = own.has(key) ? own.get(key) : RESOURCE_LEVEL.has(key) ? resource.get(key) : undefined;
    return scalar(v);
  };

  // 0 means "unknown" in OTLP, so the collector's observed time stands in
  const time = pick(record, 'timeUnixNano', 'time_unix_nano');
  const observed = pick(record, 'observedTimeUnixNano', 'observed_time_unix_nano');
  const useObserved = unsetTime(time) && !unsetTime(observed);
  const raw: RawRecord = {
    ts: useObserved ? observed : unsetTime(time) ? undefined : time,
    tsFormat: 'unix-nanos',
    proxyId: firstText(get('meshward.proxy_id'), get('service.instance.id'), get('host.name')),
    requestId: get('meshward.request_id') ?? get('http.request.header.x-request-id'),
    cluster: get('k8s.cluster.name'),
    namespace: get('k8s.namespace.name'),
    srcService: get('meshward.src_service'),
    dstService: get('meshward.dst_service'),
    serviceName: get('service.name'),
    method: get('http.request.method'),
    path: get('url.path'),
    query: get('url.query'),
    status: get('http.response.status_code'),
    responseFlags: get('meshward.response_flags'),
    durationMs: get('meshward.duration_ms'),
    durationSeconds: get('http.server.request.duration'),
    bytesIn: get('http.request.body.size'),
    bytesOut: get('http.response.body.size'),
    clientAddress: get('client.address'),
    serverAddress: get('server.address'),
    userAgent: get('user_agent.original'),
    protocol: protocol(get('network.protocol.name'), get('network.protocol.version')),
    tokenId: get('meshward.token_id'),
    userId: get('meshward.user'),
    mtls: get('meshward.mtls'),
    sensitive: sensitive(own.get('meshward.sensitive')),
    sample: get('meshward.sample'),
  };
  return normalizeRecord(raw, 'otlp', defaults, useObserved ? NAMES_OBSERVED : NAMES);
}

// ---- envelope ---------------------------------------------------------------------------------

/** proto3 JSON lets a sender use either the lowerCamelCase JSON name or the proto field name. */
function pick(o: Obj, camel: string, snake: string): unknown {
  return o[camel] !== undefined ? o[camel] : o[snake];
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A repeated envelope field; `at` is the parent's location ('' for the request itself). */
function list(parent: unknown, camel: string, snake: string, at: string): unknown[] {
  if (!isObj(parent)) throw new MalformedBatchError(`${at} must be an object`);
  const v = pick(parent, camel, snake);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new MalformedBatchError(`${at ? `${at}.` : ''}${camel} must be an array`);
  return v;
}

function member(parent: unknown, camel: string, snake: string, at: string): Obj | undefined {
  if (!isObj(parent)) throw new MalformedBatchError(`${at} must be an object`);
  const v = pick(parent, camel, snake);
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw new MalformedBatchError(`${at}.${camel} must be an object`);
  return v;
}

/** The known attributes' AnyValues by key (later duplicates win); an error message if not a list. */
function attributes(v: unknown, at: string): Map<string, unknown> | string {
  const out = new Map<string, unknown>();
  if (v === undefined || v === null) return out;
  if (!Array.isArray(v)) return `${at}.attributes must be an array`;
  for (const kv of v) {
    if (isObj(kv) && typeof kv.key === 'string' && KNOWN.has(kv.key)) out.set(kv.key, kv.value);
  }
  return out;
}

// ---- values -----------------------------------------------------------------------------------

/**
 * An AnyValue as a primitive. Numbers may come as intValue (string or number), doubleValue or
 * stringValue; normalizeRecord accepts all three. A one-element array (how semconv spells request
 * headers) stands for its element. Plain primitives are tolerated from lax JSON senders.
 */
function scalar(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return undefined;
  const any = v as Obj;
  for (const [camel, snake] of SCALAR_KEYS) {
    const x = pick(any, camel, snake);
    if (x !== undefined && x !== null) return x;
  }
  const array = pick(any, 'arrayValue', 'array_value');
  if (isObj(array) && Array.isArray(array.values) && array.values.length > 0) {
    const first: unknown = array.values[0];
    return isObj(first) && isObj(pick(first, 'arrayValue', 'array_value')) ? undefined : scalar(first);
  }
  return undefined;
}

const SCALAR_KEYS: [string, string][] = [
  ['stringValue', 'string_value'], ['intValue', 'int_value'], ['doubleValue', 'double_value'],
  ['boolValue', 'bool_value'],
];

/**
 * `meshward.sensitive`: an arrayValue of kvlistValues, or a stringValue holding a JSON array
 * (Envoy's OpenTelemetry access logger can only send strings). Each entry becomes a plain object.
 */
function sensitive(v: unknown): unknown {
  const s = scalar(v);
  if (typeof s === 'string') return s;
  if (!isObj(v)) return undefined;
  const array = pick(v, 'arrayValue', 'array_value');
  if (!isObj(array) || !Array.isArray(array.values)) return undefined;
  return array.values.slice(0, 256).map((entry) => {
    const kvlist = isObj(entry) ? pick(entry, 'kvlistValue', 'kvlist_value') : undefined;
    if (!isObj(kvlist) || !Array.isArray(kvlist.values)) return null;
    const out: Obj = Object.create(null);
    for (const kv of kvlist.values.slice(0, 16)) {
      if (isObj(kv) && typeof kv.key === 'string') out[kv.key] = scalar(kv.value);
    }
    return out;
  });
}

function unsetTime(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === '0' || v === 0;
}

function firstText(...values: unknown[]): unknown {
  return values.find((v) => typeof v === 'string' && v !== '');
}

/** Envoy logs say "HTTP/1.1"; semconv splits it into name "http" and version "1.1". */
function protocol(name: unknown, version: unknown): unknown {
  if (typeof version !== 'string' && typeof version !== 'number') return name;
  return `${typeof name === 'string' && name ? name.toUpperCase() : 'HTTP'}/${version}`;
}
