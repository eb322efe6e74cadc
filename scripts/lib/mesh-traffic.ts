// Realistic access records of a small mesh, and the two wire formats proxies send them in.
import type { OtlpLogsRequest } from '@/server/ingest/otlp-proto';
import { Prng } from '@/simulator/prng';
import { int, kv, otlpSensitive, str } from '@/simulator/otlp-values';

/** ~30 services as `namespace/name` */
export const SERVICES = [
  'shop/cart', 'shop/checkout', 'shop/orders', 'shop/wishlist', 'shop/reviews',
  'payments/ledger', 'payments/cards', 'payments/refunds', 'payments/fraud', 'payments/payouts',
  'identity/users', 'identity/sessions', 'identity/tokens', 'identity/profiles', 'identity/mfa',
  'catalog/products', 'catalog/search', 'catalog/pricing', 'catalog/inventory', 'catalog/media',
  'shipping/rates', 'shipping/labels', 'shipping/tracking', 'shipping/returns', 'shipping/warehouses',
  'web/frontend', 'web/gateway', 'web/bff', 'web/notifications', 'web/admin',
];

const ROUTES: readonly (readonly [(r: Prng) => string, number])[] = [
  [(r) => `/api/users/${r.int(100_000)}/orders`, 20],
  [(r) => `/api/orders/${r.int(1_000_000)}`, 20],
  [(r) => `/api/products/SKU-${r.int(50_000).toString(36).toUpperCase()}`, 20],
  [(r) => `/api/cart/${uuid(r)}/items`, 10],
  [(r) => `/api/users/${r.int(100_000)}/cards/${r.int(10)}`, 5],
  [() => '/api/search', 10],
  [() => '/api/session', 5],
  [() => '/healthz', 5],
  [(r) => `/static/img/${r.int(5000)}.webp`, 5],
];
const METHODS = [['GET', 70], ['POST', 20], ['PUT', 5], ['DELETE', 5]] as const;
const STATUSES = [[200, 85], [201, 2], [404, 7], [500, 3], [401, 3]] as const;
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1',
  'okhttp/4.12.0', 'grpc-go/1.64.0', 'python-requests/2.32.3', 'curl/8.8.0', 'Go-http-client/2.0',
];
const SENSITIVE = [
  ['credit_card', '$.card.number'], ['email', '$.email'], ['ssn', '$.ssn'], ['phone', '$.phone'],
  ['iban', '$.account.iban'], ['jwt', '$.token'],
] as const;

function uuid(r: Prng): string {
  const hex = Array.from(r.bytes(16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One sidecar: the resource attributes of everything it sends. */
export interface ProxyIdentity {
  id: string;
  cluster: string;
  namespace: string;
  service: string;
}

export interface SensitiveMatch {
  class: string;
  direction: 'request' | 'response';
  count: number;
  path: string;
}

export interface AccessRecord {
  tsMs: number;
  /** extra nanoseconds within the millisecond, for OTLP */
  subMsNanos: number;
  requestId: string;
  method: string;
  path: string;
  query: string | null;
  status: number;
  srcService: string;
  dstService: string;
  clientAddress: string;
  userAgent: string;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
  tokenId: string | null;
  user: string | null;
  sensitive: SensitiveMatch[] | null;
  /** send `sensitive` as a JSON string (what Envoy's OTel logger can do) instead of a kvlist array */
  sensitiveAsString: boolean;
}

export class MeshTraffic {
  private readonly r: Prng;

  /** records fall within the `spreadMs` before `nowMs` */
  constructor(seed: number, private readonly nowMs = Date.now(), private readonly spreadMs = 5 * 60_000) {
    this.r = new Prng(seed);
  }

  proxy(i: number): ProxyIdentity {
    const service = SERVICES[i % SERVICES.length];
    const namespace = service.split('/')[0];
    return { id: `${service.split('/')[1]}-${(0x5f3a + i * 7919).toString(36)}-${i}`, cluster: 'prod-eu-1', namespace, service };
  }

  record(requestId: string): AccessRecord {
    const r = this.r;
    const src = r.chance(0.25) ? 'external' : r.pick(SERVICES);
    const sensitive = r.chance(0.05)
      ? Array.from({ length: 1 + r.int(2) }, () => {
          const [cls, path] = r.pick(SENSITIVE);
          return { class: cls, direction: r.chance(0.7) ? 'response' : 'request', count: 1 + r.int(20), path } as SensitiveMatch;
        })
      : null;
    return {
      tsMs: this.nowMs - r.int(this.spreadMs),
      subMsNanos: r.int(1_000_000),
      requestId,
      method: r.weighted(METHODS),
      path: r.weighted(ROUTES)(r),
      query: r.chance(0.2) ? `page=${1 + r.int(20)}&limit=${r.pick([10, 25, 50, 100])}` : null,
      status: r.weighted(STATUSES),
      srcService: src,
      dstService: r.pick(SERVICES),
      clientAddress: src === 'external'
        ? `${1 + r.int(222)}.${r.int(256)}.${r.int(256)}.${1 + r.int(254)}:${1024 + r.int(60_000)}`
        : `10.${r.int(16)}.${r.int(256)}.${1 + r.int(254)}:${1024 + r.int(60_000)}`,
      userAgent: r.pick(USER_AGENTS),
      bytesIn: r.chance(0.7) ? 0 : r.int(20_000),
      bytesOut: r.int(200_000),
      durationMs: Math.round(r.next() * r.next() * 2000 * 1000) / 1000,
      tokenId: r.chance(0.8) ? `tok_${(r.int(2000) * 2654435761 >>> 0).toString(16)}` : null,
      user: r.chance(0.7) ? `user-${r.int(20_000)}` : null,
      sensitive,
      sensitiveAsString: r.chance(0.35),
    };
  }
}

// ---- OTLP/HTTP (the OTLP/JSON shape; encodeOtlpLogsRequest turns it into protobuf) -------------

function otlpRecord(a: AccessRecord) {
  const attributes = [
    kv('http.request.method', str(a.method)),
    kv('url.path', str(a.path)),
    kv('http.response.status_code', int(a.status)),
    kv('client.address', str(a.clientAddress.replace(/:\d+$/, ''))),
    kv('user_agent.original', str(a.userAgent)),
    kv('http.request.body.size', int(a.bytesIn)),
    kv('http.response.body.size', int(a.bytesOut)),
    kv('meshward.duration_ms', { doubleValue: a.durationMs }),
    kv('meshward.src_service', str(a.srcService)),
    kv('meshward.dst_service', str(a.dstService)),
    kv('meshward.request_id', str(a.requestId)),
  ];
  if (a.query) attributes.push(kv('url.query', str(a.query)));
  if (a.tokenId) attributes.push(kv('meshward.token_id', str(a.tokenId)));
  if (a.user) attributes.push(kv('meshward.user', str(a.user)));
  if (a.sensitive) attributes.push(kv('meshward.sensitive', otlpSensitive(a.sensitive, a.sensitiveAsString)));
  const nanos = (BigInt(a.tsMs) * 1_000_000n + BigInt(a.subMsNanos)).toString();
  return { timeUnixNano: nanos, observedTimeUnixNano: nanos, severityNumber: 9, severityText: 'INFO', body: str(`${a.method} ${a.path} ${a.status}`), attributes };
}

/** One ExportLogsServiceRequest: one resource (the proxy), one scope, the records. */
export function otlpRequest(proxy: ProxyIdentity, records: AccessRecord[]): OtlpLogsRequest {
  return {
    resourceLogs: [{
      resource: {
        attributes: [
          kv('service.name', str(proxy.service.split('/')[1])),
          kv('k8s.namespace.name', str(proxy.namespace)),
          kv('k8s.cluster.name', str(proxy.cluster)),
          kv('host.name', str(proxy.id)),
        ],
      },
      scopeLogs: [{ scope: { name: 'envoy', version: '1.31.0' }, logRecords: records.map(otlpRecord) }],
    }],
  };
}

// ---- Envoy/Istio JSON access logs (NDJSON) ----------------------------------------------------

export function envoyLine(proxy: ProxyIdentity, a: AccessRecord): string {
  const [ns, name] = a.dstService.split('/');
  return JSON.stringify({
    start_time: new Date(a.tsMs).toISOString(),
    method: a.method,
    path: a.query ? `${a.path}?${a.query}` : a.path,
    protocol: 'HTTP/1.1',
    response_code: a.status,
    response_flags: a.status === 500 ? 'UF' : '-',
    duration: Math.round(a.durationMs),
    bytes_received: a.bytesIn,
    bytes_sent: a.bytesOut,
    x_forwarded_for: a.srcService === 'external' ? a.clientAddress.replace(/:\d+$/, '') : null,
    user_agent: a.userAgent,
    request_id: a.requestId,
    authority: `${name}.${ns}.svc.cluster.local:8080`,
    upstream_cluster: `outbound|8080||${name}.${ns}.svc.cluster.local`,
    downstream_remote_address: a.clientAddress,
    downstream_peer_uri_san: a.srcService === 'external' ? '' : `spiffe://cluster.local/ns/${a.srcService.replace('/', '/sa/')}`,
    proxy_id: proxy.id,
    cluster: proxy.cluster,
    namespace: proxy.namespace,
    token_id: a.tokenId,
    user: a.user,
    sensitive: a.sensitive,
  });
}

export function envoyNdjson(proxy: ProxyIdentity, records: AccessRecord[]): string {
  return `${records.map((a) => envoyLine(proxy, a)).join('\n')}\n`;
}
