import type { AccountsOf, ClusterAccounts } from '@/server/policy/cluster-accounts';
import type { Config } from '@/server/config';
import type { DetectionService } from '@/server/detection/service';
import type { DiscoveryService } from '@/server/discovery/service';
import { foreignProxyMessage, type ProxyOwnership } from '@/server/fleet/ownership';
import { inScope, outOfScopeMessage } from '@/server/fleet/scope';
import { isProtobuf, MachineRefusal, machineRoute, type MachineCall, type MachineDeps } from '@/server/http/machine-route';
import type { IngestRoute, Metrics } from '@/server/ops/metrics';
import { parseEnvoyNdjson } from './envoy';
import type { ParseDefaults, ParseResult } from './event';
import { parseOtlp } from './otlp';
import { encodeExportLogsResponse } from './otlp-proto';
import type { IngestWriter } from './writer';

/** What the ingest routes use of the console. */
export interface IngestDeps extends MachineDeps {
  writer: Pick<IngestWriter, 'submit'>;
  ownership: Pick<ProxyOwnership, 'foreign'>;
  discovery: Pick<DiscoveryService, 'routeEvents' | 'observeEvents'> | null;
  /** optional: handlers built without it (tests, tools) simply do not feed detection */
  detection?: Pick<DetectionService, 'observeEvents'> | null;
  metrics: Pick<Metrics, 'dbError' | 'batchAccepted' | 'batchRejected'>;
  config: Pick<Config, 'MESHWARD_INGEST_MAX_BYTES' | 'MESHWARD_RETENTION_DAYS'>;
  /** optional: without it a SPIFFE caller is named by its service account as it is */
  clusterAccounts?: Pick<ClusterAccounts, 'resolver'> | null;
}

/**
 * What a parsed event costs in memory until its batch is committed, for the in-flight budget:
 * measured at 590 (Envoy NDJSON) and 740 (OTLP protobuf) bytes retained per event of
 * MeshTraffic records, rounded up.
 */
export const PARSED_EVENT_BYTES = 1024;
/**
 * While a body is parsed, each of its bytes is held about three times: the body, the text
 * decoded from it, and the events built (about as large as the body). The two beyond the body
 * are charged before parsing, so a large batch is refused before it is built, not after.
 */
export const PARSE_OVERHEAD = 2;

const ENVOY_TYPES = new Set(['application/x-ndjson', 'application/jsonl', 'application/json', 'text/plain', '']);

const mediaType = (req: Request) => (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();

function acceptOtlp(req: Request) {
  const type = mediaType(req);
  if (type !== 'application/json' && !isProtobuf(req)) {
    throw new MachineRefusal(415, 'unsupported_media_type', `content-type "${type.slice(0, 60)}" is not supported: use application/x-protobuf or application/json`);
  }
}

function acceptEnvoy(req: Request) {
  const type = mediaType(req);
  if (!ENVOY_TYPES.has(type)) {
    throw new MachineRefusal(415, 'unsupported_media_type', `content-type "${type.slice(0, 60)}" is not supported: send NDJSON (application/x-ndjson)`);
  }
}

/** Parses the body and lets go of it: from here on the batch is held as events, not bytes. */
function parse(call: MachineCall, route: 'otlp' | 'envoy', deps: IngestDeps, accounts: AccountsOf | undefined): ParseResult {
  const body = call.body ?? new Uint8Array(0);
  call.body = null;
  call.lease?.charge(PARSE_OVERHEAD * body.byteLength);
  const defaults: ParseDefaults = {
    proxyId: (call.req.headers.get('x-meshward-proxy-id') ?? '').trim() || call.principal.tokenName,
    now: Date.now(),
    retentionDays: deps.config.MESHWARD_RETENTION_DAYS,
    accounts,
  };
  return route === 'otlp'
    ? parseOtlp(body, isProtobuf(call.req) ? 'protobuf' : 'json', defaults)
    : parseEnvoyNdjson(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), defaults);
}

/**
 * Events whose destination is outside the token's services are refused record by record
 * (partialSuccess names them), never stored: a sidecar's token feeds only its own service.
 */
function keepInScope(result: ParseResult, services: readonly string[]): ParseResult {
  if (services.includes('*')) return result;
  const refused = new Map<string, number>();
  const events = result.events.filter((e) => {
    if (inScope(services, e.dstService)) return true;
    refused.set(e.dstService, (refused.get(e.dstService) ?? 0) + 1);
    return false;
  });
  if (!refused.size) return result;
  const errors = [...refused].slice(0, 3).map(([service, n]) => `${n} record(s): ${outOfScopeMessage(service, services)}`);
  if (refused.size > 3) errors.push(`and records for ${refused.size - 3} more services outside the token's scope`);
  return { events, rejected: result.rejected + (result.events.length - events.length), errors: [...result.errors, ...errors] };
}

function partialMessage(result: ParseResult): string {
  return `${result.rejected} record(s) rejected: ${result.errors.join('; ')}`;
}

/**
 * OTLP's ExportLogsServiceResponse: empty on full success, else its partial_success. Protobuf
 * for a protobuf request; otherwise its OTLP/JSON mapping (lowerCamelCase field names, the
 * int64 count as a JSON number, which proto3 JSON parsers accept), on both ingest routes, so a
 * client reads one shape: `{"partialSuccess":{"rejectedLogRecords":2,"errorMessage":"…"}}`.
 */
function successResponse(route: 'otlp' | 'envoy', protobufWire: boolean, result: ParseResult): Response {
  const message = result.rejected ? partialMessage(result) : undefined;
  if (route === 'otlp' && protobufWire) {
    const body = encodeExportLogsResponse({ rejected: result.rejected, message });
    return new Response(Buffer.from(body), { status: 200, headers: { 'content-type': 'application/x-protobuf' } });
  }
  return Response.json(message === undefined ? {} : { partialSuccess: { rejectedLogRecords: result.rejected, errorMessage: message } });
}

function ingestRoute(route: 'otlp' | 'envoy') {
  const label: IngestRoute = route;
  return machineRoute<IngestDeps>({
    name: route,
    format: route === 'otlp' ? 'otlp' : 'json',
    realm: 'meshward-ingest',
    accept: route === 'otlp' ? acceptOtlp : acceptEnvoy,
    maxBodyBytes: (deps) => deps.config.MESHWARD_INGEST_MAX_BYTES,
    async handle(call, deps) {
      const seconds = () => (performance.now() - call.started) / 1000;
      const accounts = await deps.clusterAccounts?.resolver();
      const result = keepInScope(parse(call, route, deps, accounts), call.principal.services);
      call.events = result.events.length;
      // The batch now lives as events until its commit: hold that, give back the body's bytes.
      call.lease?.resize(result.events.length * PARSED_EVENT_BYTES);
      const foreign = await deps.ownership.foreign(result.events.map((e) => e.proxyId), call.principal.tokenId);
      if (foreign.length) throw new MachineRefusal(403, 'forbidden_proxy', foreignProxyMessage(foreign));
      deps.discovery?.routeEvents(result.events);
      const outcome = await deps.writer.submit(result.events, call.principal);
      deps.discovery?.observeEvents(result.events);
      // a batch that was all duplicates (a retry) was seen already: counting it twice would inflate rates
      if (outcome.stored > 0) deps.detection?.observeEvents(result.events);
      deps.metrics.batchAccepted(label, outcome.stored, outcome.duplicates, result.rejected, seconds());
      return successResponse(route, isProtobuf(call.req), result);
    },
    onRefused(refusal, call, deps) {
      deps.metrics.batchRejected(label, refusal.reason, call.events ?? 0, (performance.now() - (call.started ?? 0)) / 1000);
    },
  });
}

/**
 * POST /v1/logs (OTLP/HTTP) and POST /api/ingest/envoy (Envoy JSON access logs):
 * authenticate the proxy, read and parse the batch, and answer only after the valid
 * events are committed.
 */
export const handleOtlpIngest = ingestRoute('otlp');
export const handleEnvoyIngest = ingestRoute('envoy');

export function handleIngest(req: Request, route: 'otlp' | 'envoy', deps: IngestDeps): Promise<Response> {
  return route === 'otlp' ? handleOtlpIngest(req, deps) : handleEnvoyIngest(req, deps);
}
