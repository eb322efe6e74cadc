import { gzipSync } from 'node:zlib';
import { encodeOtlpLogsRequest, type OtlpLogsRequest } from '@/server/ingest/otlp-proto';
import type { SimRecord } from './record';
import type { Proxy, Topology, WireFormat } from './topology';
import { int, kv, otlpSensitive, str } from './otlp-values';

/** One HTTP request's worth of events, ready to POST. */
export interface WireBatch {
  cluster: string;
  format: WireFormat;
  path: '/v1/logs' | '/api/ingest/envoy';
  headers: Record<string, string>;
  body: Uint8Array;
  events: number;
  /** events per proxy id, for the proxies' own counters */
  proxies: Map<string, number>;
}

/** A log record with the OpenTelemetry semantic-convention attributes and Meshward's own. */
function otlpRecord(a: SimRecord, proxy: Proxy, binaryIds: boolean) {
  const [protoName, protoVersion] = a.protocol.split('/');
  const attributes = [
    kv('http.request.method', str(a.method)),
    kv('url.path', str(a.path)),
    kv('http.response.status_code', int(a.status)),
    kv('client.address', str(a.clientIp)),
    kv('server.address', str(a.serverAddress)),
    kv('user_agent.original', str(a.userAgent)),
    kv('http.request.body.size', int(a.bytesIn)),
    kv('http.response.body.size', int(a.bytesOut)),
    kv('network.protocol.name', str(protoName.toLowerCase())),
    kv('network.protocol.version', str(protoVersion)),
    kv('meshward.duration_ms', { doubleValue: a.durationMs }),
    kv('meshward.src_service', str(a.srcService)),
    kv('meshward.dst_service', str(a.dstService)),
    kv('meshward.request_id', str(a.requestId)),
    kv('meshward.mtls', { boolValue: a.mtls }),
  ];
  if (a.query) attributes.push(kv('url.query', str(a.query)));
  if (a.responseFlags) attributes.push(kv('meshward.response_flags', str(a.responseFlags)));
  if (a.tokenId) attributes.push(kv('meshward.token_id', str(a.tokenId)));
  if (a.user) attributes.push(kv('meshward.user', str(a.user)));
  if (a.sensitive) attributes.push(kv('meshward.sensitive', otlpSensitive(a.sensitive, proxy.sensitiveAsString)));
  if (a.sample) attributes.push(kv('meshward.sample', str(a.sample)));
  const nanos = (BigInt(a.ts) * 1_000_000n + BigInt(a.tsNanos)).toString();
  return {
    timeUnixNano: nanos,
    observedTimeUnixNano: nanos,
    severityNumber: 9,
    severityText: 'INFO',
    body: str(`${a.method} ${a.path} ${a.status}`),
    attributes,
    // OTLP/JSON spells ids in hex, protobuf carries bytes
    traceId: binaryIds ? Buffer.from(a.traceId, 'hex') : a.traceId,
    spanId: binaryIds ? Buffer.from(a.spanId, 'hex') : a.spanId,
  };
}

/** One ExportLogsServiceRequest: a ResourceLogs per proxy, as a node's collector would batch them. */
export function otlpRequest(topology: Topology, records: SimRecord[], binaryIds: boolean): OtlpLogsRequest {
  const byProxy = groupByProxy(records);
  return {
    resourceLogs: [...byProxy].map(([index, recs]) => {
      const proxy = topology.proxies[index];
      return {
        resource: {
          attributes: [
            kv('service.name', str(proxy.service.shortName)),
            kv('service.instance.id', str(proxy.id)),
            kv('meshward.proxy_id', str(proxy.id)),
            kv('k8s.namespace.name', str(proxy.service.namespace)),
            kv('k8s.cluster.name', str(proxy.service.cluster)),
            kv('k8s.pod.name', str(proxy.id)),
            kv('host.name', str(proxy.node)),
          ],
        },
        scopeLogs: [{ scope: { name: 'meshward-filter', version: proxy.version.split('/')[1] }, logRecords: recs.map((a) => otlpRecord(a, proxy, binaryIds)) }],
      };
    }),
  };
}

const spiffe = (service: string) => {
  const [ns, name] = service.split('/');
  return `spiffe://cluster.local/ns/${ns}/sa/${name}`;
};

/** An Istio-style JSON access-log line (default field names) plus Meshward's extension fields. */
export function envoyLine(topology: Topology, a: SimRecord): string {
  const proxy = topology.proxies[a.proxy];
  const external = a.srcService === 'external';
  return JSON.stringify({
    start_time: new Date(a.ts).toISOString(),
    method: a.method,
    path: a.query ? `${a.path}?${a.query}` : a.path,
    protocol: a.protocol,
    response_code: a.status,
    response_flags: a.responseFlags ?? '-',
    duration: Math.round(a.durationMs),
    bytes_received: a.bytesIn,
    bytes_sent: a.bytesOut,
    x_forwarded_for: external ? a.clientIp : null,
    user_agent: a.userAgent,
    request_id: a.requestId,
    authority: a.serverAddress,
    upstream_cluster: `inbound|8080||`,
    downstream_remote_address: a.clientIp.includes(':') ? `[${a.clientIp}]:${a.clientPort}` : `${a.clientIp}:${a.clientPort}`,
    downstream_peer_uri_san: external ? '' : spiffe(a.srcService),
    dst_service: a.dstService,
    proxy_id: proxy.id,
    cluster: proxy.service.cluster,
    namespace: proxy.service.namespace,
    token_id: a.tokenId,
    user: a.user,
    sensitive: a.sensitive,
    sample: a.sample,
  });
}

function groupByProxy(records: SimRecord[]): Map<number, SimRecord[]> {
  const byProxy = new Map<number, SimRecord[]>();
  for (const rec of records) {
    const list = byProxy.get(rec.proxy);
    if (list) list.push(rec);
    else byProxy.set(rec.proxy, [rec]);
  }
  return byProxy;
}

function encodeBatch(topology: Topology, cluster: string, format: WireFormat, records: SimRecord[]): WireBatch {
  const proxies = new Map<string, number>();
  for (const r of records) {
    const id = topology.proxies[r.proxy].id;
    proxies.set(id, (proxies.get(id) ?? 0) + 1);
  }
  const base = { cluster, format, events: records.length, proxies };
  // Compressed, as the OpenTelemetry Collector's and Vector's HTTP exporters send by default.
  const gzip = (body: string | Uint8Array) => gzipSync(body, { level: 1 });
  if (format === 'envoy') {
    const body = gzip(`${records.map((r) => envoyLine(topology, r)).join('\n')}\n`);
    return { ...base, path: '/api/ingest/envoy', headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' }, body };
  }
  if (format === 'otlp-json') {
    const body = gzip(JSON.stringify(otlpRequest(topology, records, false)));
    return { ...base, path: '/v1/logs', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body };
  }
  const body = gzip(encodeOtlpLogsRequest(otlpRequest(topology, records, true)));
  return { ...base, path: '/v1/logs', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }, body };
}

/**
 * Requests for a run of events: per cluster and wire format (a node's collector or log
 * shipper), at most `maxEvents` each, every proxy's events in time order.
 */
export function encodeBatches(topology: Topology, records: SimRecord[], maxEvents = 2000): WireBatch[] {
  const groups = new Map<string, SimRecord[]>();
  for (const rec of records) {
    const proxy = topology.proxies[rec.proxy];
    const key = `${proxy.service.cluster}\u0000${proxy.format}`;
    const list = groups.get(key);
    if (list) list.push(rec);
    else groups.set(key, [rec]);
  }
  const batches: WireBatch[] = [];
  for (const [key, list] of groups) {
    const [cluster, format] = key.split('\u0000') as [string, WireFormat];
    for (let i = 0; i < list.length; i += maxEvents) batches.push(encodeBatch(topology, cluster, format, list.slice(i, i + maxEvents)));
  }
  return batches;
}
