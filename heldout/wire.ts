// OTLP/HTTP JSON, as an Envoy OpenTelemetry access logger behind a node's collector sends it:
// one ExportLogsServiceRequest per export, a ResourceLogs per pod. The mesh-wide facts of a pod
// (its service, as `meshward.dst_service`) sit on the resource; int64 values are strings.
import type { Ev } from './exec';
import type { Pod } from './mesh';

type Value = Record<string, unknown>;
const s = (v: string): Value => ({ stringValue: v });
const i = (v: number): Value => ({ intValue: String(Math.round(v)) });
const attr = (key: string, value: Value) => ({ key, value });

const nanos = (ms: number) => {
  const whole = Math.floor(ms);
  return `${whole}${String(Math.floor((ms - whole) * 1e6)).padStart(6, '0')}`;
};

function resource(pod: Pod) {
  const [ns, name] = pod.service.key.split('/');
  return {
    attributes: [
      attr('service.name', s(name)), attr('service.namespace', s(ns)), attr('k8s.namespace.name', s(ns)), attr('k8s.pod.name', s(pod.name)),
      attr('k8s.node.name', s(pod.node)), attr('k8s.cluster.name', s(pod.cluster)), attr('cloud.provider', s('gcp')),
      attr('cloud.region', s(pod.cluster.replace('lumen-prod-', ''))), attr('meshward.proxy_id', s(pod.name)), attr('meshward.dst_service', s(pod.service.key)),
    ],
  };
}

function record(e: Ev) {
  const [, version] = e.proto.split('/');
  const attributes = [
    attr('http.request.method', s(e.method)), attr('url.path', s(e.path)), attr('http.response.status_code', i(e.status)),
    attr('client.address', s(e.ip)), attr('client.port', i(e.port)), attr('server.address', s(e.host)), attr('user_agent.original', s(e.ua)),
    attr('network.protocol.name', s('http')), attr('network.protocol.version', s(version === '2' ? '2' : '1.1')),
    attr('http.server.request.duration', { doubleValue: Math.round(e.durMs * 1000) / 1e6 }),
    attr('http.request.body.size', i(e.bytesIn)), attr('http.response.body.size', i(e.bytesOut)),
    attr('http.request.header.x-request-id', s(e.requestId)), attr('meshward.src_service', s(e.src)), attr('meshward.mtls', { boolValue: e.mtls }),
  ];
  if (e.query) attributes.push(attr('url.query', s(e.query)));
  if (e.token) attributes.push(attr('meshward.token_id', s(e.token)));
  if (e.user) attributes.push(attr('meshward.user', s(e.user)));
  if (e.sens) {
    attributes.push(attr('meshward.sensitive', {
      arrayValue: { values: e.sens.map((m) => ({ kvlistValue: { values: [attr('class', s(m.cls)), attr('direction', s(m.dir)), attr('count', i(m.count)), attr('path', s(m.path))] } })) },
    }));
  }
  return { timeUnixNano: nanos(e.ts), observedTimeUnixNano: nanos(e.ts + e.durMs), attributes, traceId: e.traceId, spanId: e.spanId, flags: 1 };
}

/** One export of a node's collector: the events of its pods, grouped per pod, oldest first. */
export function exportRequest(events: Ev[]): string {
  const byPod = new Map<Pod, Ev[]>();
  for (const e of events) {
    const list = byPod.get(e.pod);
    if (list) list.push(e);
    else byPod.set(e.pod, [e]);
  }
  const pods = [...byPod.keys()].sort((a, b) => a.index - b.index);
  return JSON.stringify({
    resourceLogs: pods.map((pod) => ({
      resource: resource(pod),
      scopeLogs: [{ scope: { name: 'envoy.access_loggers.open_telemetry', version: '1.30.2' }, logRecords: byPod.get(pod)!.sort((a, b) => a.ts - b.ts).map(record) }],
    })),
  });
}
