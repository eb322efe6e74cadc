import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { SensitiveMatch } from '@/db/schema';
import { decodedPathProblem, queryKeysUnsafe } from '@/server/discovery/path-normalize';
import {
  EXTERNAL_SERVICE, HOST_LIKE_RULE, isDnsSubdomain, isHostLike, isNamespace, isProxyId, isServiceName, NAMESPACE_RULE,
  PROXY_ID_RULE, SERVICE_RULE, UNKNOWN_SERVICE, UNSAFE_TEXT,
} from '@/server/identity/names';
import { canonicalService, IDENTITY_RULE } from '@/server/identity/service-identity';
import { coarseRoute } from '@/server/rollups/route';
import type { AccessEventInput, IngestSource, ParseDefaults } from './event';

/**
 * One record as a parser found it: values keep whatever type the sender used
 * (numbers as strings, booleans as strings, …). normalizeRecord() decides what is valid.
 */
export interface RawRecord {
  ts?: unknown;
  /** OTLP sends epoch nanoseconds (often as a string, beyond 2^53); Envoy an ISO-8601 string */
  tsFormat: 'unix-nanos' | 'iso8601';
  proxyId?: unknown;
  /** the sender's name of the field `proxyId` came from, when not `FieldNames.proxyId` */
  proxyIdFrom?: string;
  requestId?: unknown;
  cluster?: unknown;
  namespace?: unknown;
  srcService?: unknown;
  dstService?: unknown;
  /** the field a derived service came from (a SPIFFE SAN, an upstream cluster), for messages */
  srcServiceFrom?: string;
  dstServiceFrom?: string;
  /** the workload name (`service.name`), used for the destination when none is explicit */
  serviceName?: unknown;
  method?: unknown;
  path?: unknown;
  query?: unknown;
  status?: unknown;
  responseFlags?: unknown;
  durationMs?: unknown;
  durationSeconds?: unknown;
  bytesIn?: unknown;
  bytesOut?: unknown;
  /** an X-Forwarded-For list: its first entry is the original client */
  forwardedFor?: unknown;
  /** the peer address, possibly with a port */
  clientAddress?: unknown;
  serverAddress?: unknown;
  userAgent?: unknown;
  protocol?: unknown;
  tokenId?: unknown;
  userId?: unknown;
  mtls?: unknown;
  sensitive?: unknown;
  sample?: unknown;
}

/** How the sender spells the fields that can be rejected, so messages quote the sender's own names. */
export interface FieldNames {
  ts: string;
  method: string;
  path: string;
  query: string;
  status: string;
  durationMs: string;
  durationSeconds: string;
  bytesIn: string;
  bytesOut: string;
  proxyId: string;
  cluster: string;
  namespace: string;
  srcService: string;
  dstService: string;
  serviceName: string;
}

export type NormalizeResult = { event: AccessEventInput; error?: undefined } | { event?: undefined; error: string };

const DAY_MS = 86_400_000;
const MAX_PATH = 8192;
const MAX_QUERY = 8192;
const MAX_SENSITIVE = 64;
const METHOD = /^[A-Z][A-Z0-9_-]*$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const SENSITIVE_CLASS = /^[a-z][a-z0-9_]{0,63}$/;
const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

export function normalizeRecord(
  raw: RawRecord,
  source: IngestSource,
  defaults: ParseDefaults,
  names: FieldNames,
): NormalizeResult {
  const ts = timestamp(raw.ts, raw.tsFormat, names.ts, defaults);
  if (typeof ts === 'string') return { error: ts };

  const method = httpMethod(raw.method, names.method);
  if (method.error !== undefined) return { error: method.error };

  const target = pathAndQuery(raw.path, raw.query, names);
  if (target.error !== undefined) return { error: target.error };

  if (raw.status === undefined || raw.status === null || raw.status === '') {
    return { error: `\`${names.status}\` is required` };
  }
  const status = number(raw.status, names.status, 'int');
  if (typeof status !== 'number' || status > 999) return { error: `\`${names.status}\` must be an integer 0–999` };

  const durationMs = duration(raw, names);
  if (typeof durationMs === 'string') return { error: durationMs };
  const bytesIn = number(raw.bytesIn, names.bytesIn, 'int');
  if (typeof bytesIn === 'string') return { error: bytesIn };
  const bytesOut = number(raw.bytesOut, names.bytesOut, 'int');
  if (typeof bytesOut === 'string') return { error: bytesOut };

  const ids = identities(raw, defaults, names);
  if (ids.error !== undefined) return { error: ids.error };
  const { proxyId, cluster, namespace, srcService, dstService } = ids;
  const clientIp = ipOf(firstListed(raw.forwardedFor)) ?? ipOf(raw.clientAddress);
  const userAgent = text(raw.userAgent, 512);

  const event: AccessEventInput = {
    ts,
    proxyId,
    requestId: '',
    source,
    cluster,
    namespace,
    srcService,
    dstService,
    method: method.value,
    path: target.path,
    route: coarseRoute(target.path),
    query: target.query,
    status,
    responseFlags: text(raw.responseFlags, 64),
    durationMs,
    bytesIn,
    bytesOut,
    clientIp,
    serverAddress: text(raw.serverAddress, 255),
    userAgent,
    protocol: text(raw.protocol, 32),
    tokenId: text(raw.tokenId, 128),
    userId: text(raw.userId, 256),
    mtls: bool(raw.mtls),
    sensitive: sensitiveMatches(raw.sensitive),
    sample: text(raw.sample, 4096),
  };
  event.requestId = requestIdOf(raw, event);
  return { event };
}

// ---- time -------------------------------------------------------------------------------------

function timestamp(v: unknown, format: RawRecord['tsFormat'], name: string, d: ParseDefaults): number | string {
  if (v === undefined || v === null || v === '') return `\`${name}\` is required`;
  const ms = format === 'unix-nanos' ? nanosToMs(v) : isoToMs(v);
  if (ms === null) {
    return format === 'unix-nanos'
      ? `\`${name}\` must be a non-negative integer count of nanoseconds since the Unix epoch`
      : `\`${name}\` must be an ISO-8601 timestamp with a zone (2024-05-01T12:00:00.000Z)`;
  }
  const from = d.now - d.retentionDays * DAY_MS;
  const to = d.now + DAY_MS;
  if (ms < from || ms > to) {
    return `timestamp ${showTime(ms)} (\`${name}\`) is outside the accepted window ${showTime(from)} – ${showTime(to)}`;
  }
  return ms;
}

/** Epoch nanoseconds → milliseconds without going through a double (nanos exceed 2^53). */
export function nanosToMs(v: unknown): number | null {
  if (typeof v === 'string') {
    if (!/^\d{1,30}$/.test(v)) return null;
    return Number(BigInt(v) / 1_000_000n);
  }
  if (typeof v === 'bigint') return v >= 0n ? Number(v / 1_000_000n) : null;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return Math.floor(v / 1e6);
  return null;
}

/** Strict ISO-8601 with a zone: Date.parse alone accepts too much ("1", "May 1") and guesses zones. */
export function isoToMs(v: unknown): number | null {
  if (typeof v !== 'string' || v.length > 64) return null;
  const m = ISO.exec(v);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis);
  if (new Date(ms).getUTCDate() !== day) return null; // 31 April rolls over in Date.UTC
  if (m[9]) ms -= (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  return ms;
}

function showTime(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : `${ms} ms since the epoch`;
}

// ---- request line -----------------------------------------------------------------------------

function httpMethod(v: unknown, name: string): { value: string; error?: undefined } | { error: string } {
  if (v === undefined || v === null || v === '') return { error: `\`${name}\` is required` };
  if (typeof v !== 'string') return { error: `\`${name}\` must be a string` };
  const value = v.toUpperCase();
  if (value.length > 16 || !METHOD.test(value)) {
    return { error: `\`${name}\` must be an HTTP method token (letters, digits, _ or -; at most 16 characters)` };
  }
  return { value };
}

function pathAndQuery(
  rawPath: unknown,
  rawQuery: unknown,
  names: FieldNames,
): { path: string; query: string | null; error?: undefined } | { error: string } {
  if (rawPath === undefined || rawPath === null || rawPath === '') return { error: `\`${names.path}\` is required` };
  if (typeof rawPath !== 'string') return { error: `\`${names.path}\` must be a string` };
  let path = rawPath;
  let query: string | null = null;
  const mark = path.indexOf('?');
  if (mark >= 0) {
    query = path.slice(mark + 1);
    path = path.slice(0, mark);
  }
  // a separate query wins over one embedded in the path
  if (rawQuery !== undefined && rawQuery !== null && rawQuery !== '') {
    if (typeof rawQuery !== 'string') return { error: `\`${names.query}\` must be a string` };
    query = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
  }
  if (path.length > MAX_PATH) return { error: `\`${names.path}\` is longer than ${MAX_PATH} characters` };
  if (UNSAFE_TEXT.test(path)) return { error: `\`${names.path}\` must not contain control characters` };
  if (!path.startsWith('/') && path !== '*') return { error: `\`${names.path}\` must start with /` };
  const decoded = decodedPathProblem(path);
  if (decoded) return { error: `\`${names.path}\` ${decoded}` };
  if (query !== null) {
    if (query.length > MAX_QUERY) return { error: `\`${names.query}\` is longer than ${MAX_QUERY} characters` };
    if (CONTROL.test(query)) return { error: `\`${names.query}\` must not contain control characters` };
    if (queryKeysUnsafe(query)) return { error: `\`${names.query}\` must not name a parameter with control characters, even percent-encoded` };
  }
  return { path: wellFormed(path), query: query ? wellFormed(query) : null };
}

// ---- numbers ----------------------------------------------------------------------------------

/** Absent values (and Envoy's "-" placeholder) → null; otherwise a number or an error message. */
function number(v: unknown, name: string, kind: 'int' | 'float'): number | null | string {
  let n: number;
  if (v === undefined || v === null || v === '' || v === '-') {
    return null;
  } else if (typeof v === 'number') {
    n = v;
  } else if (typeof v === 'bigint') {
    n = Number(v);
  } else if (typeof v === 'string' && v.length <= 64 && NUMERIC.test(v)) {
    n = Number(v);
  } else {
    n = Number.NaN;
  }
  if (kind === 'int') {
    if (!Number.isSafeInteger(n) || n < 0) return `\`${name}\` must be a non-negative integer`;
  } else if (!Number.isFinite(n) || n < 0) {
    return `\`${name}\` must be a non-negative number`;
  }
  return n;
}

function duration(raw: RawRecord, names: FieldNames): number | null | string {
  const ms = number(raw.durationMs, names.durationMs, 'float');
  if (ms !== null) return ms;
  const s = number(raw.durationSeconds, names.durationSeconds, 'float');
  return typeof s === 'number' ? s * 1000 : s;
}

// ---- strings ----------------------------------------------------------------------------------

/**
 * Optional text: primitives become strings; NULs are stripped (PostgreSQL text/jsonb cannot hold
 * them); too long is cut, not refused; empty and Envoy's "-" mean absent.
 */
export function text(v: unknown, max: number): string | null {
  let s: string;
  if (typeof v === 'string') s = v;
  else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint' || typeof v === 'boolean') {
    s = String(v);
  } else return null;
  if (s.includes('\u0000')) s = s.replaceAll('\u0000', '');
  if (s === '' || s === '-') return null;
  return wellFormed(s.length > max ? s.slice(0, max) : s);
}

/** Lone surrogates (from JSON escapes, or a cut pair) are rejected by PostgreSQL's jsonb. */
function wellFormed(s: string): string {
  return s.isWellFormed() ? s : s.toWellFormed();
}

function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return null;
}

// ---- identities -------------------------------------------------------------------------------

interface Identities {
  proxyId: string;
  cluster: string | null;
  namespace: string | null;
  srcService: string;
  dstService: string;
  error?: undefined;
}

/**
 * An identity field as sent: absent (missing, empty, Envoy's "-") is null; a string is taken
 * exactly as it is (no trimming, no cutting); anything else is a type error (undefined).
 */
function identityText(v: unknown): string | null | undefined {
  if (v === undefined || v === null || v === '' || v === '-') return null;
  return typeof v === 'string' ? v : undefined;
}

const mustBe = (field: string, rule: string) => `\`${field}\` must be ${rule}`;

/**
 * Service, namespace, cluster and proxy id, each checked against the identity grammar
 * (server/identity/names.ts). These names end up in signed proxy configuration: a record
 * whose names do not match is refused whole, naming the field.
 */
function identities(raw: RawRecord, defaults: ParseDefaults, names: FieldNames): Identities | { error: string } {
  const namespace = identityText(raw.namespace);
  if (namespace === undefined || (namespace !== null && !isNamespace(namespace))) return { error: mustBe(names.namespace, NAMESPACE_RULE) };
  const cluster = identityText(raw.cluster);
  if (cluster === undefined || (cluster !== null && !isHostLike(cluster))) return { error: mustBe(names.cluster, `a cluster name: ${HOST_LIKE_RULE}`) };

  // Every route spells a service the same way: SPIFFE ids and SAN lists become `ns/sa` (Istio)
  // or stay full SPIFFE ids, names are checked as they are (server/identity/service-identity.ts).
  const accounts = defaults.accounts?.(cluster) ?? null;
  const dstField = raw.dstServiceFrom ?? names.dstService;
  const given = identityText(raw.dstService);
  if (given === undefined) return { error: mustBe(dstField, IDENTITY_RULE) };
  let dst: string | null = null;
  if (given !== null) {
    const named = canonicalService(given, accounts);
    if (named.error !== undefined) return { error: `\`${dstField}\` ${named.error}` };
    dst = named.service;
  }
  if (dst === null) {
    const name = identityText(raw.serviceName);
    if (name === undefined) return { error: mustBe(names.serviceName, SERVICE_RULE) };
    if (name !== null) {
      // a bare workload name joins the namespace; one that names its own namespace stands alone
      const named = namespace !== null && isDnsSubdomain(name) ? { service: `${namespace}/${name}` } : canonicalService(name, accounts);
      if (named.error !== undefined || (named.service !== null && !isServiceName(named.service))) return { error: mustBe(names.serviceName, SERVICE_RULE) };
      dst = named.service;
    }
  }

  const srcField = raw.srcServiceFrom ?? names.srcService;
  const sent = identityText(raw.srcService);
  if (sent === undefined) return { error: mustBe(srcField, IDENTITY_RULE) };
  let src: string | null = null;
  if (sent !== null) {
    const named = canonicalService(sent, accounts);
    if (named.error !== undefined) return { error: `\`${srcField}\` ${named.error}` };
    src = named.service;
  }

  const proxyId = identityText(raw.proxyId);
  if (proxyId === undefined || (proxyId !== null && !isProxyId(proxyId))) return { error: mustBe(raw.proxyIdFrom ?? names.proxyId, `a proxy id: ${PROXY_ID_RULE}`) };
  return { proxyId: proxyId ?? defaultProxyId(defaults.proxyId), cluster, namespace, srcService: src ?? EXTERNAL_SERVICE, dstService: dst ?? UNKNOWN_SERVICE };
}

let lastDefault: [string, string] = ['', 'unknown'];

/**
 * The proxy id of records that name none: the sender's `X-Meshward-Proxy-Id` header, else its
 * token's name. Both may hold anything (a token named "orders nginx 1"), so a value outside the
 * grammar is not used as it is: it becomes a valid id plus a digest of the original, so two
 * different originals never share an id and nothing unchecked reaches the database or the UI.
 */
export function defaultProxyId(given: string): string {
  if (isProxyId(given)) return given;
  if (lastDefault[0] === given) return lastDefault[1];
  const slug = given.replace(/[^A-Za-z0-9_.:@/~-]+/g, '-').replace(/^[^A-Za-z0-9_]+/, '').slice(0, 100).replace(/-+$/, '');
  const id = `${slug || 'proxy'}-${sha256(given).slice(0, 12)}`;
  lastDefault = [given, id];
  return id;
}

// ---- addresses --------------------------------------------------------------------------------

function firstListed(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const comma = v.indexOf(',');
  return (comma >= 0 ? v.slice(0, comma) : v).trim();
}

/** An address as PostgreSQL's inet accepts it, port and brackets removed; anything else → null. */
export function ipOf(v: unknown): string | null {
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) return null;
  let s = v.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else {
    const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(s);
    if (v4) s = v4[1];
  }
  // zone ids (fe80::1%eth0) are meaningless off-host and inet refuses them
  if (s.includes('%')) return null;
  return isIP(s) ? s : null;
}

// ---- sensitive-data matches -------------------------------------------------------------------

export function sensitiveMatches(v: unknown): SensitiveMatch[] | null {
  let list = v;
  if (typeof list === 'string') {
    if (list.length > 65_536) return null;
    try {
      list = JSON.parse(list);
    } catch {
      return null;
    }
  }
  if (!Array.isArray(list)) return null;
  const out: SensitiveMatch[] = [];
  for (const entry of list) {
    const match = sensitiveMatch(entry);
    if (match) out.push(match);
    if (out.length === MAX_SENSITIVE) break;
  }
  return out.length > 0 ? out : null;
}

function sensitiveMatch(v: unknown): SensitiveMatch | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const e = v as Record<string, unknown>;
  if (typeof e.class !== 'string' || !SENSITIVE_CLASS.test(e.class)) return null;
  const direction = e.direction ?? 'response';
  if (direction !== 'request' && direction !== 'response') return null;
  const count = e.count === undefined || e.count === null ? 1 : number(e.count, 'count', 'int');
  if (typeof count !== 'number' || count < 1) return null;
  const match: SensitiveMatch = { class: e.class, direction, count };
  const path = text(e.path, 512);
  if (path !== null) match.path = path;
  const partial = text(e.partial, 64);
  if (partial !== null) match.partial = partial;
  return match;
}

// ---- idempotency key --------------------------------------------------------------------------

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The sender's request id, or a digest of what identifies the record: a retried batch then
 * produces the same keys and the writer's primary key drops the duplicates.
 */
function requestIdOf(raw: RawRecord, e: AccessEventInput): string {
  let given = typeof raw.requestId === 'string' ? raw.requestId : text(raw.requestId, 128);
  if (given && given.includes('\u0000')) given = given.replaceAll('\u0000', '');
  if (given && given !== '-') return given.length > 128 ? `h:${sha256(given).slice(0, 32)}` : wellFormed(given);
  const rawTs = typeof raw.ts === 'string' || typeof raw.ts === 'bigint' ? String(raw.ts) : null;
  const identity = [e.proxyId, e.ts, e.method, e.path, e.query, e.status, e.clientIp, e.srcService, e.dstService,
    e.userAgent, rawTs];
  return `d:${sha256(JSON.stringify(identity)).slice(0, 32)}`;
}
