// The documented telemetry configurations (docs/telemetry/*.yaml), fed through the real ingest
// route as the proxy or Collector would send them. Nothing here is typed by hand that the
// documents define: the attributes, their keys and command operators, the resource attributes,
// the endpoint, encoding, compression and headers are all read from the YAML; only the example
// request (what each Envoy command operator prints for it) and the pod the Collector looks up
// are test data. A document edited into something that no longer works fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { rows, type Database } from '@/db/client';
import { createProxyToken } from '@/server/fleet/tokens';
import type { Runtime } from '@/server/runtime';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { testRuntime } from '@/server/testing/runtime';
import { handleIngest } from './http';
import { decodeOtlpLogsProto, encodeOtlpLogsRequest, type OtlpLogsRequest } from './otlp-proto';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- YAML documents, walked by the test
type Obj = Record<string, any>;
const DOCS = join(__dirname, '../../docs/telemetry');
const doc = (name: string): Obj => parseYaml(readFileSync(join(DOCS, name), 'utf8'));

// ---- what Envoy prints for one request -----------------------------------------------------------

interface ExampleRequest {
  start: Date;
  headers: Record<string, string>;
  /** DOWNSTREAM_PEER_URI_SAN: the caller's certificate URI SANs, or `-` without one */
  peerUriSan: string;
  env: Record<string, string>;
}

const request = (over: Partial<ExampleRequest> = {}): ExampleRequest => ({
  start: new Date(Date.now() - 60_000),
  headers: {
    ':method': 'POST', ':path': '/api/cart/42/items?expand=prices', ':authority': 'cart.shop.svc.cluster.local:8080',
    'user-agent': 'okhttp/4.12', 'x-request-id': '0b8a3c52-7d7e-4f6b-9d0e-1c2f3a4b5c6d',
  },
  peerUriSan: 'spiffe://cluster.local/ns/shop/sa/web',
  env: { POD_NAMESPACE: 'shop', POD_NAME: 'cart-6d5f8b7c9-x2k4q' },
  ...over,
});

/**
 * Envoy's substitution: each `%OPERATOR%` becomes what Envoy prints for the request (`-` when it
 * has no value). An operator the table does not know fails the test, so a document using a new
 * one needs an example here first.
 */
function substitute(format: string, r: ExampleRequest, lenient = false): string {
  return format.replace(/%([A-Z_]+)(?:\(([^)]*)\))?(?::\d+)?%/g, (whole, op: string, arg: string | undefined) => {
    const header = (name: string) => r.headers[name.toLowerCase()] ?? '-';
    switch (op) {
      case 'REQ': {
        const [first, fallback] = (arg ?? '').split('?');
        return r.headers[first.toLowerCase()] ?? (fallback ? header(fallback) : '-');
      }
      case 'RESPONSE_CODE': return '201';
      case 'RESPONSE_FLAGS': return '-';
      case 'DURATION': return '12';
      case 'BYTES_RECEIVED': return '57';
      case 'BYTES_SENT': return '2048';
      case 'DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT': return '10.1.0.9';
      case 'DOWNSTREAM_PEER_URI_SAN': return r.peerUriSan;
      case 'START_TIME': return r.start.toISOString();
      case 'PROTOCOL': return 'HTTP/1.1';
      case 'ENVIRONMENT': return r.env[arg ?? ''] ?? '-';
      default:
        if (lenient) return '-';
        throw new Error(`the example request has no value for ${whole}: add one to substitute()`);
    }
  });
}

/** Istio's default text access-log format: the body its envoyOtelAls provider sends. */
const ISTIO_TEXT_FORMAT = '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% '
  + '%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% '
  + '%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" '
  + '"%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% '
  + '%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n';

const str = (v: string) => ({ stringValue: v });
const kv = (key: string, value: string) => ({ key, value: str(value) });
const nanos = (d: Date) => `${BigInt(d.getTime()) * 1_000_000n}`;

// ---- Istio → Collector → Meshward ---------------------------------------------------------------

/** The pod the Collector's k8sattributes finds for the sidecar's connection. */
const POD = {
  metadata: {
    'k8s.namespace.name': 'shop', 'k8s.pod.name': 'cart-6d5f8b7c9-x2k4q', 'k8s.pod.uid': '5f1f3c1e-8e2a-4d7b-9f1c-2a3b4c5d6e7f',
    'k8s.deployment.name': 'cart',
  } as Record<string, string>,
  labels: { app: 'cart', version: 'v1', 'security.istio.io/tlsMode': 'istio' } as Record<string, string>,
};

/** The provider the Telemetry resource enables, looked up in the MeshConfig document. */
function istioProvider(): { provider: Obj; telemetry: Obj } {
  const telemetry = doc('istio-telemetry.yaml');
  const mesh = doc('istio-meshconfig.yaml');
  expect(telemetry.kind).toBe('Telemetry');
  const logging = telemetry.spec.accessLogging;
  expect(logging).toHaveLength(1);
  const names = logging[0].providers.map((p: Obj) => p.name);
  const provider = mesh.spec.meshConfig.extensionProviders.find((p: Obj) => names.includes(p.name));
  expect(provider?.envoyOtelAls, 'the Telemetry resource names an envoyOtelAls provider of the MeshConfig').toBeDefined();
  return { provider: provider.envoyOtelAls, telemetry };
}

/**
 * What Istio's sidecar sends for one request: Istio configures Envoy's OpenTelemetry logger with
 * its text format as the body, `logFormat.labels` as string attributes, no resource attributes
 * (it disables Envoy's built-in labels).
 */
function istioRecord(provider: Obj, r: ExampleRequest, withLabels = true): Obj {
  const labels: Record<string, string> = withLabels ? provider.logFormat?.labels ?? {} : {};
  return {
    timeUnixNano: nanos(r.start),
    body: str(substitute(provider.logFormat?.text ?? ISTIO_TEXT_FORMAT, r, true)),
    attributes: Object.entries(labels).map(([key, format]) => kv(key, substitute(format, r))),
  };
}

interface Exported {
  path: string;
  body: Uint8Array;
  headers: Record<string, string>;
}

/**
 * The Collector of otel-collector.yaml: its logs pipeline's processors applied in order
 * (k8sattributes from the pod above, resource attribute actions, batch), then its exporter's
 * endpoint, encoding, compression and headers.
 */
function throughCollector(records: Obj[], env: Record<string, string>): Exported {
  const cfg = doc('otel-collector.yaml');
  const pipeline = cfg.service.pipelines.logs;
  expect(pipeline.receivers).toContain('otlp');
  const resource = new Map<string, string>(); // Istio sends no resource attributes
  for (const name of pipeline.processors as string[]) {
    const p = cfg.processors[name];
    const type = name.split('/')[0];
    if (type === 'k8sattributes') {
      expect(p.pod_association[0].sources[0].from).toBe('connection');
      for (const key of p.extract.metadata as string[]) resource.set(key, POD.metadata[key] ?? fail(`the example pod has no ${key}`));
      for (const rule of p.extract.labels ?? []) {
        expect(rule.from).toBe('pod');
        if (POD.labels[rule.key] !== undefined) resource.set(rule.tag_name, POD.labels[rule.key]);
      }
    } else if (type === 'resource') {
      for (const a of p.attributes) {
        if (a.action === 'upsert' || (a.action === 'insert' && !resource.has(a.key))) resource.set(a.key, String(a.value));
        else if (a.action !== 'insert') throw new Error(`resource action ${a.action} not simulated`);
      }
    } else if (type !== 'batch') {
      throw new Error(`processor ${name} is not simulated here`);
    }
  }
  expect(pipeline.exporters).toHaveLength(1);
  const exporter = cfg.exporters[pipeline.exporters[0]];
  expect(pipeline.exporters[0].split('/')[0]).toBe('otlphttp');
  const url = new URL(exporter.logs_endpoint);
  const batch: OtlpLogsRequest = {
    resourceLogs: [{
      resource: { attributes: [...resource].map(([k, v]) => kv(k, v)) },
      scopeLogs: [{ logRecords: records }],
    }],
  };
  const encoding = exporter.encoding ?? 'proto';
  let body: Uint8Array = encoding === 'proto' ? encodeOtlpLogsRequest(batch) : new TextEncoder().encode(JSON.stringify(batch));
  const headers: Record<string, string> = { 'content-type': encoding === 'proto' ? 'application/x-protobuf' : 'application/json' };
  if (exporter.compression === 'gzip') {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  for (const [k, v] of Object.entries(exporter.headers ?? {})) {
    headers[k.toLowerCase()] = String(v).replace(/\$\{env:([A-Z_]+)\}/g, (_, name: string) => env[name] ?? fail(`no ${name}`));
  }
  return { path: url.pathname, body, headers };
}

// ---- plain Envoy → Meshward ------------------------------------------------------------------------

function envoyAccessLogger(): { logger: Obj; clusters: Obj[] } {
  const cfg = doc('envoy-otel-http.yaml');
  const loggers = cfg.static_resources.listeners
    .flatMap((l: Obj) => l.filter_chains).flatMap((c: Obj) => c.filters)
    .flatMap((f: Obj) => f.typed_config.access_log ?? [])
    .filter((a: Obj) => a.name === 'envoy.access_loggers.open_telemetry');
  expect(loggers).toHaveLength(1);
  return { logger: loggers[0].typed_config, clusters: cfg.static_resources.clusters };
}

/** What Envoy's OpenTelemetry access logger POSTs: protobuf, its built-in resource labels first. */
function envoyExport(logger: Obj, r: ExampleRequest): Exported {
  const attrs = (list: Obj | undefined, format: boolean) =>
    (list?.values ?? []).map((a: Obj) => kv(a.key, format ? substitute(a.value.string_value, r) : a.value.string_value));
  const builtin = logger.disable_builtin_labels ? [] : [
    kv('log_name', logger.log_name), kv('zone_name', ''), kv('cluster_name', ''), kv('node_name', 'envoy-1'),
  ];
  const batch = {
    resourceLogs: [{
      resource: { attributes: [...builtin, ...attrs(logger.resource_attributes, false)] },
      scopeLogs: [{ logRecords: [{ timeUnixNano: nanos(r.start), attributes: attrs(logger.attributes, true) }] }],
    }],
  };
  const headers: Record<string, string> = { 'content-type': 'application/x-protobuf' };
  for (const h of logger.http_service.request_headers_to_add ?? []) headers[h.header.key.toLowerCase()] = substitute(h.header.value, r);
  return { path: new URL(logger.http_service.http_uri.uri).pathname, body: encodeOtlpLogsRequest(batch), headers };
}

// ---- the route ---------------------------------------------------------------------------------------

interface Stored {
  proxy_id: string; src_service: string; dst_service: string; namespace: string | null; cluster: string | null;
  method: string; path: string; query: string | null; status: number; client_ip: string | null; user_agent: string | null;
  bytes_in: number | null; bytes_out: number | null; duration_ms: number | null; request_id: string; server_address: string | null;
}

describeEachEngine('documented telemetry configurations', (h) => {
  let rt: Runtime;
  const token = async (services: string[]) => (await createProxyToken(ctxFor(h.db, actor('admin')), { name: `t-${services.join('-').replace(/[^a-z]/g, '')}`, services })).token;
  const send = async (e: Exported) => {
    const route = e.path === '/v1/logs' ? 'otlp' : fail(`unexpected ingest path ${e.path}`);
    return handleIngest(new Request(`http://console${e.path}`, { method: 'POST', body: Buffer.from(e.body), headers: e.headers }), route, rt);
  };
  const stored = () => rows<Stored>(h.db, sql`
    select proxy_id, src_service, dst_service, namespace, cluster, method, path, query, status::int as status,
      host(client_ip) as client_ip, user_agent, bytes_in::int as bytes_in, bytes_out::int as bytes_out, duration_ms, request_id, server_address
    from access_events order by ts`);

  beforeEach(() => {
    rt = testRuntime(h.database as Database, { MESHWARD_INGEST_MAX_BYTES: '65536' });
  });
  afterEach(() => rt.shutdown());

  it('Istio envoyOtelAls → Collector (k8sattributes) → /v1/logs: service, caller, namespace and cluster', async () => {
    const { provider, telemetry } = istioProvider();
    expect(telemetry.spec.accessLogging[0].match?.mode, 'logged where the peer certificate is the caller\'s').toBe('SERVER');
    // the provider points at the Collector's OTLP/gRPC receiver
    const collector = doc('otel-collector.yaml');
    expect(provider.port).toBe(Number(collector.receivers.otlp.protocols.grpc.endpoint.split(':').pop()));
    const cluster = collector.processors['resource/cluster'].attributes.find((a: Obj) => a.key === 'k8s.cluster.name').value;

    const tok = await token(['*']);
    const r = await send(throughCollector([istioRecord(provider, request())], { MESHWARD_PROXY_TOKEN: tok }));
    expect(r.status, await r.clone().text()).toBe(200);
    expect(await r.arrayBuffer()).toHaveProperty('byteLength', 0); // protobuf: empty = full success
    expect(await stored()).toEqual([{
      proxy_id: 'cart-6d5f8b7c9-x2k4q.shop', src_service: 'shop/web', dst_service: 'shop/cart', namespace: 'shop', cluster,
      method: 'POST', path: '/api/cart/42/items', query: 'expand=prices', status: 201, client_ip: '10.1.0.9', user_agent: 'okhttp/4.12',
      bytes_in: 57, bytes_out: 2048, duration_ms: 12, request_id: '0b8a3c52-7d7e-4f6b-9d0e-1c2f3a4b5c6d',
      server_address: 'cart.shop.svc.cluster.local:8080',
    }]);
  });

  it('Istio: a caller without a certificate (Istio\'s default for plain text) is stored as external', async () => {
    const { provider } = istioProvider();
    const tok = await token(['*']);
    const r = await send(throughCollector([istioRecord(provider, request({ peerUriSan: '-' }))], { MESHWARD_PROXY_TOKEN: tok }));
    expect(r.status).toBe(200);
    expect((await stored()).map((e) => [e.src_service, e.dst_service, e.namespace])).toEqual([['external', 'shop/cart', 'shop']]);
  });

  it('Istio: the provider without labels (Istio\'s default) is refused with what to add and where', async () => {
    const { provider } = istioProvider();
    const tok = await token(['*']);
    const exported = throughCollector([istioRecord(provider, request(), false)], { MESHWARD_PROXY_TOKEN: tok });
    // answered as JSON here to read the message; the protobuf answer carries the same google.rpc.Status message
    const json = { ...exported, body: new TextEncoder().encode(JSON.stringify(decodeBack(exported.body))), headers: { ...exported.headers, 'content-type': 'application/json' } };
    delete (json.headers as Record<string, string>)['content-encoding'];
    const r = await send(json);
    expect(r.status).toBe(400);
    const { message } = await r.json();
    expect(message).toContain('`http.request.method`, `url.path`, `http.response.status_code` are missing; its body is a text access-log line');
    expect(message).toContain('logFormat.labels');
    expect(message).toContain('"Sending telemetry"');
    expect(await stored()).toEqual([]);
  });

  it('plain Envoy, OpenTelemetry access logger over HTTP → /v1/logs: service, caller, namespace and cluster', async () => {
    const { logger, clusters } = envoyAccessLogger();
    expect(clusters.map((c) => c.name)).toContain(logger.http_service.http_uri.cluster);
    const resource = Object.fromEntries(logger.resource_attributes.values.map((a: Obj) => [a.key, a.value.string_value]));
    const tok = await token([`${resource['k8s.namespace.name']}/*`]);
    const r = request({ env: { MESHWARD_PROXY_TOKEN: tok } });
    const res = await send(envoyExport(logger, r));
    expect(res.status, await res.clone().text()).toBe(200);
    // a caller with a non-Istio SPIFFE id keeps it whole; one without a certificate is external
    expect((await send(envoyExport(logger, request({ env: r.env, peerUriSan: 'spiffe://partner.example/billing/worker', headers: { ...r.headers, 'x-request-id': 'r-2' } })))).status).toBe(200);
    expect((await send(envoyExport(logger, request({ env: r.env, peerUriSan: '-', headers: { ...r.headers, 'x-request-id': 'r-3' } })))).status).toBe(200);
    const events = await stored();
    expect(events[0]).toEqual({
      proxy_id: resource['meshward.proxy_id'], src_service: 'shop/web', dst_service: `${resource['k8s.namespace.name']}/${resource['service.name']}`,
      namespace: resource['k8s.namespace.name'], cluster: resource['k8s.cluster.name'],
      method: 'POST', path: '/api/cart/42/items', query: 'expand=prices', status: 201, client_ip: '10.1.0.9', user_agent: 'okhttp/4.12',
      bytes_in: 57, bytes_out: 2048, duration_ms: 12, request_id: '0b8a3c52-7d7e-4f6b-9d0e-1c2f3a4b5c6d',
      server_address: 'cart.shop.svc.cluster.local:8080',
    });
    expect(events.map((e) => e.src_service).sort()).toEqual(['external', 'shop/web', 'spiffe://partner.example/billing/worker']);
  });

  it('plain Envoy: a hostile peer SAN is refused record by record, never stored trimmed', async () => {
    const { logger } = envoyAccessLogger();
    const tok = await token(['shop/*']);
    for (const [i, san] of ['spiffe://cluster.local/ns/shop/sa/web\n', 'spiffe://cluster.local/ns/shop/sa/web\u2028', 'spiffe://cluster.local/ns/../sa/web', `spiffe://cluster.local/ns/shop/sa/${'w'.repeat(5000)}`].entries()) {
      const r = request({ env: { MESHWARD_PROXY_TOKEN: tok }, peerUriSan: san });
      const res = await send(envoyExport(logger, r));
      expect(res.status, `${i}`).toBe(400);
    }
    expect(await stored()).toEqual([]);
  });
});

describeEachEngine('Istio default JSON access logs', (h) => {
  let rt: Runtime;
  beforeEach(() => {
    rt = testRuntime(h.database as Database, { MESHWARD_INGEST_MAX_BYTES: '65536' });
  });
  afterEach(() => rt.shutdown());

  it('stores a line without caller identity or destination as external → unknown, as before', async () => {
    const tok = (await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'shipper', services: ['*'] })).token;
    // Istio's default JSON access-log fields on the server side: no peer SAN, an inbound cluster
    const line = {
      start_time: new Date(Date.now() - 60_000).toISOString(), method: 'GET', path: '/productpage', protocol: 'HTTP/1.1',
      response_code: 200, response_flags: '-', response_code_details: 'via_upstream', bytes_received: 0, bytes_sent: 5289,
      duration: 23, upstream_service_time: '22', x_forwarded_for: '10.244.0.0', user_agent: 'curl/8.4', request_id: 'f3a98cd1',
      authority: '192.168.0.100:31896', upstream_host: '10.244.1.254:9080', upstream_cluster: 'inbound|9080||',
      upstream_local_address: '127.0.0.6:45629', downstream_local_address: '10.244.1.254:9080', downstream_remote_address: '10.244.0.0:0',
      requested_server_name: null, route_name: 'default',
    };
    const r = await handleIngest(new Request('http://console/api/ingest/envoy', {
      method: 'POST', body: JSON.stringify(line), headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/x-ndjson' },
    }), 'envoy', rt);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({});
    expect(await rows(h.db, sql`select src_service, dst_service from access_events`)).toEqual([{ src_service: 'external', dst_service: 'unknown' }]);
  });
});

it('the README shows the Envoy access logger exactly as docs/telemetry/envoy-otel-http.yaml has it', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Envoy (1.37+): OpenTelemetry access logger over OTLP/HTTP'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)![1];
  expect(parseYaml(block).access_log).toEqual([{ name: 'envoy.access_loggers.open_telemetry', typed_config: envoyAccessLogger().logger }]);
});

function fail(message: string): never {
  throw new Error(message);
}

/** The Collector's protobuf batch back as OTLP/JSON (to send the same records as JSON). */
function decodeBack(body: Uint8Array): unknown {
  return decodeOtlpLogsProto(gunzipSync(body));
}
