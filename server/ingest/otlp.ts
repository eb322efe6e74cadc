import { MAX_ERRORS_REPORTED, MalformedBatchError, type ParseDefaults, type ParseResult } from './event';
import { normalizeRecord, type FieldNames, type NormalizeResult, type RawRecord } from './normalize';
import { asMalformed, readOtlpLogsRequest } from './otlp-proto-reader';

type Obj = Record<string, unknown>;

/** How OTLP spells the fields normalizeRecord may reject (its messages quote these). */
export const OTLP_FIELD_NAMES: FieldNames = {
  ts: 'timeUnixNano',
  method: 'http.request.method',
  path: 'url.path',
  query: 'url.query',
  status: 'http.response.status_code',
  durationMs: 'meshward.duration_ms',
  durationSeconds: 'http.server.request.duration',
  bytesIn: 'http.request.body.size',
  bytesOut: 'http.response.body.size',
  proxyId: 'meshward.proxy_id',
  cluster: 'k8s.cluster.name',
  namespace: 'k8s.namespace.name',
  srcService: 'meshward.src_service',
  dstService: 'meshward.dst_service',
  serviceName: 'service.name',
};
const NAMES_OBSERVED: FieldNames = { ...OTLP_FIELD_NAMES, ts: 'observedTimeUnixNano' };

/** The attributes read, each with its slot in a record's value array; everything else is ignored. */
const KEYS = [
  'http.request.method', 'url.path', 'url.query', 'http.response.status_code', 'client.address', 'server.address',
  'user_agent.original', 'http.request.body.size', 'http.response.body.size', 'meshward.src_service',
  'meshward.dst_service', 'meshward.token_id', 'meshward.user', 'meshward.sensitive', 'meshward.sample',
  'meshward.request_id', 'http.request.header.x-request-id', 'meshward.mtls', 'meshward.duration_ms',
  'http.server.request.duration', 'network.protocol.name', 'network.protocol.version', 'meshward.response_flags',
  'service.name', 'k8s.cluster.name', 'k8s.namespace.name', 'host.name', 'service.instance.id', 'meshward.proxy_id',
] as const;
type Key = (typeof KEYS)[number];
const SLOT = new Map<string, number>(KEYS.map((k, i) => [k, i]));
const KNOWN = new Set<string>(KEYS);

/** Describe the proxy rather than one request, so a resource may set them for all its records. */
const RESOURCE_LEVEL: ReadonlySet<string> = new Set<Key>([
  'service.name', 'k8s.cluster.name', 'k8s.namespace.name', 'host.name', 'service.instance.id',
  'meshward.proxy_id', 'meshward.src_service', 'meshward.dst_service', 'meshward.mtls', 'server.address',
  'network.protocol.name', 'network.protocol.version',
]);
const RESOURCE_SLOTS = [...RESOURCE_LEVEL].map((k) => SLOT.get(k)!);

/** A record's (or resource's) attribute values, indexed by slot. */
type Values = unknown[];

export function parseOtlp(body: Uint8Array, format: 'protobuf' | 'json', defaults: ParseDefaults): ParseResult {
  const batch = format === 'protobuf' ? parseProtobuf(body) : parseJson(body);
  const result: ParseResult = { events: [], rejected: 0, errors: [] };
  const resourceLogs = list(batch, 'resourceLogs', 'resource_logs', '');
  resourceLogs.forEach((rl, i) => {
    const rlAt = `resourceLogs[${i}]`;
    const resource = member(rl, 'resource', 'resource', rlAt);
    const resourceAttrs = slots(resource?.attributes, true);
    if (resourceAttrs === null) throw new MalformedBatchError(`${rlAt}.resource.attributes must be an array`);
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
const isKnown = (key: string) => KNOWN.has(key);

function parseProtobuf(body: Uint8Array): Obj {
  try {
    return readOtlpLogsRequest(body, isKnown);
  } catch (err) {
    throw asMalformed(err);
  }
}

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

function parseRecord(record: unknown, resource: Values, defaults: ParseDefaults): NormalizeResult {
  if (!isObj(record)) return { error: 'a log record must be an object' };
  const own = slots(record.attributes, false);
  if (own === null) return { error: '`attributes` must be an array' };
  for (const i of RESOURCE_SLOTS) if (own[i] === undefined) own[i] = resource[i];
  const a = (key: Key) => own[SLOT.get(key)!];
  const missing = REQUIRED.filter((k) => absent(a(k)));
  if (missing.length > 0) {
    const text = hasTextBody(record);
    // One attribute left out is a sender's slip, said as normalizeRecord says it; a record with
    // none of them (or a text body) was sent by a logger not configured for Meshward.
    if (text || missing.length === REQUIRED.length) return { error: attributesMissing(missing, text) };
  }

  // 0 means "unknown" in OTLP, so the collector's observed time stands in
  const time = pick(record, 'timeUnixNano', 'time_unix_nano');
  const observed = pick(record, 'observedTimeUnixNano', 'observed_time_unix_nano');
  const useObserved = unsetTime(time) && !unsetTime(observed);
  const proxyKey = PROXY_ID_KEYS.find((k) => isText(a(k)));
  const raw: RawRecord = {
    ts: useObserved ? observed : unsetTime(time) ? undefined : time,
    tsFormat: 'unix-nanos',
    proxyId: proxyKey === undefined ? undefined : a(proxyKey),
    proxyIdFrom: proxyKey,
    requestId: a('meshward.request_id') ?? a('http.request.header.x-request-id'),
    cluster: a('k8s.cluster.name'),
    namespace: a('k8s.namespace.name'),
    srcService: a('meshward.src_service'),
    dstService: a('meshward.dst_service'),
    serviceName: a('service.name'),
    method: a('http.request.method'),
    path: a('url.path'),
    query: a('url.query'),
    status: a('http.response.status_code'),
    responseFlags: a('meshward.response_flags'),
    durationMs: a('meshward.duration_ms'),
    durationSeconds: a('http.server.request.duration'),
    bytesIn: a('http.request.body.size'),
    bytesOut: a('http.response.body.size'),
    clientAddress: a('client.address'),
    serverAddress: a('server.address'),
    userAgent: a('user_agent.original'),
    protocol: protocol(a('network.protocol.name'), a('network.protocol.version')),
    tokenId: a('meshward.token_id'),
    userId: a('meshward.user'),
    mtls: a('meshward.mtls'),
    sensitive: a('meshward.sensitive'),
    sample: a('meshward.sample'),
  };
  return normalizeRecord(raw, 'otlp', defaults, useObserved ? NAMES_OBSERVED : OTLP_FIELD_NAMES);
}

/** What a record must carry as attributes; the text of its body is never parsed. */
const REQUIRED = ['http.request.method', 'url.path', 'http.response.status_code'] as const satisfies readonly Key[];

const absent = (v: unknown) => v === undefined || v === null || v === '';

/**
 * A body that is a string: how Istio's `envoyOtelAls` provider sends each access log (its text
 * format, `[%START_TIME%] "%REQ(:METHOD)% …`). The protobuf reader marks only its kind.
 */
function hasTextBody(record: Obj): boolean {
  const body = record.body;
  return isObj(body) && typeof pick(body, 'stringValue', 'string_value') === 'string';
}

const quoted = (keys: readonly string[]) => keys.map((k) => `\`${k}\``).join(', ');

/** Says what is missing, that the body is not read, and where the fix is documented. */
function attributesMissing(missing: readonly string[], textBody: boolean): string {
  const why = textBody
    ? "its body is a text access-log line (Istio's envoyOtelAls default), which Meshward does not parse: it reads a request from the log record's attributes"
    : "Meshward reads a request from the log record's attributes";
  return `${quoted(missing)} ${missing.length === 1 ? 'is' : 'are'} missing; ${why}. Add them with OpenTelemetry semantic-convention keys `
    + "(Istio: the provider's `logFormat.labels`; Envoy: the access logger's `attributes`; plus `meshward.src_service: \"%DOWNSTREAM_PEER_URI_SAN%\"` for the caller): "
    + 'see the README, "Sending telemetry", and docs/telemetry/';
}

/**
 * One pass over a list of KeyValues into the record's slots (later duplicates win). For a
 * resource only proxy-level keys count. Null when the list is not a list.
 */
function slots(v: unknown, resourceLevel: boolean): Values | null {
  const out: Values = new Array(KEYS.length);
  if (v === undefined || v === null) return out;
  if (!Array.isArray(v)) return null;
  for (const kv of v) {
    if (!isObj(kv) || typeof kv.key !== 'string') continue;
    const slot = SLOT.get(kv.key);
    if (slot === undefined || (resourceLevel && !RESOURCE_LEVEL.has(kv.key))) continue;
    out[slot] = kv.key === 'meshward.sensitive' ? sensitive(kv.value) : scalar(kv.value);
  }
  return out;
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
  // The common spellings first: this runs for every attribute of every record.
  if (any.stringValue !== undefined && any.stringValue !== null) return any.stringValue;
  if (any.intValue !== undefined && any.intValue !== null) return any.intValue;
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

/** Where a record's proxy id is read, first present wins. */
const PROXY_ID_KEYS = ['meshward.proxy_id', 'service.instance.id', 'host.name'] as const satisfies readonly Key[];

function isText(v: unknown): boolean {
  return typeof v === 'string' && v !== '';
}

/** Envoy logs say "HTTP/1.1"; semconv splits it into name "http" and version "1.1". */
function protocol(name: unknown, version: unknown): unknown {
  if (typeof version !== 'string' && typeof version !== 'number') return name;
  return `${typeof name === 'string' && name ? name.toUpperCase() : 'HTTP'}/${version}`;
}
