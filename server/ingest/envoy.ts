import { MAX_ERRORS_REPORTED, MalformedBatchError, type ParseDefaults, type ParseResult } from './event';
import { normalizeRecord, type FieldNames, type NormalizeResult, type RawRecord } from './normalize';

type Obj = Record<string, unknown>;

const NAMES: FieldNames = {
  ts: 'start_time',
  method: 'method',
  path: 'path',
  query: 'path', // Envoy logs the query inside `path`
  status: 'response_code',
  durationMs: 'duration',
  durationSeconds: 'duration',
  bytesIn: 'bytes_received',
  bytesOut: 'bytes_sent',
  proxyId: 'proxy_id',
  cluster: 'cluster',
  namespace: 'namespace',
  srcService: 'src_service',
  dstService: 'dst_service',
  serviceName: 'dst_service',
};

/**
 * Envoy/Istio JSON access logs: one object per line (Istio's default field names plus Meshward's
 * extension fields), or, as a convenience, one JSON array of such objects.
 */
function wholeArray(text: string): unknown[] | null {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

export function parseEnvoyNdjson(body: string, defaults: ParseDefaults): ParseResult {
  const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
  const result: ParseResult = { events: [], rejected: 0, errors: [] };
  const add = (label: string, outcome: NormalizeResult) => {
    if (outcome.event) result.events.push(outcome.event);
    else {
      result.rejected += 1;
      if (result.errors.length < MAX_ERRORS_REPORTED) result.errors.push(`${label}: ${outcome.error}`);
    }
  };

  // The array form only when the whole body is one JSON array; otherwise NDJSON, so a bad
  // first line costs that line, not the batch.
  const array = text[text.search(/\S/)] === '[' ? wholeArray(text) : null;
  if (array) {
    array.forEach((record, i) => add(`record ${i + 1}`, parseRecord(record, defaults)));
  } else {
    let lineNo = 0;
    for (let start = 0; start < text.length; ) {
      const end = text.indexOf('\n', start);
      const stop = end < 0 ? text.length : end;
      lineNo += 1;
      const line = text.slice(start, stop);
      start = stop + 1;
      if (!/\S/.test(line)) continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        add(`line ${lineNo}`, { error: 'not valid JSON' });
        continue;
      }
      add(`line ${lineNo}`, parseRecord(record, defaults));
    }
  }

  if (result.events.length === 0 && result.rejected > 0) {
    throw new MalformedBatchError(`no valid access log entries (${result.rejected} rejected): ${result.errors.join('; ')}`);
  }
  return result;
}

function parseRecord(record: unknown, defaults: ParseDefaults): NormalizeResult {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return { error: 'must be a JSON object' };
  const o = record as Obj;
  const peer = o.downstream_peer_uri_san;
  const raw: RawRecord = {
    ts: o.start_time,
    tsFormat: 'iso8601',
    proxyId: o.proxy_id,
    requestId: o.request_id,
    cluster: o.cluster,
    namespace: o.namespace,
    // the peer's SAN list as Envoy prints it; normalizeRecord names its SPIFFE id like every route
    srcService: o.src_service ?? peer,
    dstService: o.dst_service ?? serviceFromCluster(o.upstream_cluster),
    srcServiceFrom: o.src_service === undefined || o.src_service === null ? 'downstream_peer_uri_san' : undefined,
    dstServiceFrom: o.dst_service === undefined || o.dst_service === null ? 'upstream_cluster' : undefined,
    method: o.method,
    path: o.path,
    status: o.response_code,
    responseFlags: o.response_flags,
    durationMs: o.duration,
    bytesIn: o.bytes_received,
    bytesOut: o.bytes_sent,
    forwardedFor: o.x_forwarded_for,
    clientAddress: o.downstream_remote_address,
    serverAddress: o.authority,
    userAgent: o.user_agent,
    protocol: o.protocol,
    tokenId: o.token_id,
    userId: o.user,
    mtls: o.mtls ?? mtlsFromPeer(o),
    sensitive: o.sensitive,
    sample: o.sample,
  };
  return normalizeRecord(raw, 'envoy', defaults, NAMES);
}

const present = (v: unknown): boolean => typeof v === 'string' && v !== '' && v !== '-';

/**
 * A peer certificate means the caller used mTLS. A line that carries the peer fields but leaves
 * them empty is a plain-text call; a line without them says nothing either way.
 */
function mtlsFromPeer(o: Obj): boolean | undefined {
  if (!('downstream_peer_uri_san' in o) && !('downstream_peer_subject' in o)) return undefined;
  return present(o.downstream_peer_uri_san) || present(o.downstream_peer_subject);
}

/**
 * `outbound|PORT|SUBSET|HOST`: a Kubernetes host `NAME.NS.svc…` is the service `NS/NAME`, any other
 * host (a ServiceEntry) is named by itself. Inbound and passthrough clusters name no destination.
 */
export function serviceFromCluster(cluster: unknown): string | undefined {
  if (typeof cluster !== 'string' || cluster.length > 1024) return undefined;
  const parts = cluster.split('|');
  if (parts.length !== 4 || parts[0] !== 'outbound' || parts[3] === '') return undefined;
  const m = /^([^.]+)\.([^.]+)\.svc(?:\.|$)/.exec(parts[3]);
  return m ? `${m[2]}/${m[1]}` : parts[3];
}
