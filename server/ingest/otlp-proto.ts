import protobuf from 'protobufjs';
import { MalformedBatchError } from './event';

/**
 * proto3 semantics, except that invalid UTF-8 in a string becomes U+FFFD instead of failing the
 * decode: one request with a stray byte in its User-Agent must not get a whole batch refused.
 */
const HEADER = `edition = "2023";
  option features.field_presence = IMPLICIT;
  option features.utf8_validation = NONE;`;

/**
 * The parts of opentelemetry-proto that OTLP/HTTP logs need, with the upstream package names and
 * field numbers (opentelemetry/proto/{common,resource,logs,collector/logs}/v1). Embedded rather than
 * loaded from disk so the server bundle carries no .proto files.
 */
const SOURCES = [
  `${HEADER}
  package opentelemetry.proto.common.v1;
  message AnyValue {
    oneof value {
      string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4;
      ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7;
    }
  }
  message ArrayValue { repeated AnyValue values = 1; }
  message KeyValueList { repeated KeyValue values = 1; }
  message KeyValue { string key = 1; AnyValue value = 2; }
  message InstrumentationScope {
    string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4;
  }`,
  `${HEADER}
  package opentelemetry.proto.resource.v1;
  message Resource {
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 1; uint32 dropped_attributes_count = 2;
  }`,
  `${HEADER}
  package opentelemetry.proto.logs.v1;
  message ResourceLogs {
    opentelemetry.proto.resource.v1.Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3;
  }
  message ScopeLogs {
    opentelemetry.proto.common.v1.InstrumentationScope scope = 1; repeated LogRecord log_records = 2;
    string schema_url = 3;
  }
  message LogRecord {
    fixed64 time_unix_nano = 1; fixed64 observed_time_unix_nano = 11; int32 severity_number = 2;
    string severity_text = 3; opentelemetry.proto.common.v1.AnyValue body = 5;
    repeated opentelemetry.proto.common.v1.KeyValue attributes = 6; uint32 dropped_attributes_count = 7;
    fixed32 flags = 8; bytes trace_id = 9; bytes span_id = 10; string event_name = 12;
  }`,
  `${HEADER}
  package opentelemetry.proto.collector.logs.v1;
  message ExportLogsServiceRequest { repeated opentelemetry.proto.logs.v1.ResourceLogs resource_logs = 1; }
  message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
  message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }`,
];

const root = new protobuf.Root();
for (const source of SOURCES) protobuf.parse(source, root);
root.resolveAll();
const Request = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
const Response = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse');

/**
 * Conversion to the OTLP/JSON shape (lowerCamelCase keys, 64-bit integers as decimal strings so
 * nanosecond timestamps keep full precision), so one walker serves both encodings.
 */
const AS_JSON_SHAPE: protobuf.IConversionOptions = { longs: String, bytes: String, defaults: false };

export type OtlpLogsRequest = Record<string, unknown>;

export function decodeOtlpLogsProto(buf: Uint8Array): OtlpLogsRequest {
  try {
    return Request.toObject(Request.decode(buf), AS_JSON_SHAPE);
  } catch (err) {
    throw new MalformedBatchError(`body is not a valid OTLP ExportLogsServiceRequest protobuf: ${reason(err)}`);
  }
}

/** Builds a protobuf request from its OTLP/JSON shape (tests, benchmarks, the simulator). */
export function encodeOtlpLogsRequest(obj: OtlpLogsRequest): Uint8Array {
  return Request.encode(Request.fromObject(obj)).finish();
}

/** An empty response means full success; partial_success carries the rejected count and why. */
export function encodeExportLogsResponse({ rejected, message }: { rejected: number; message?: string }): Uint8Array {
  const partial = rejected > 0 || message ? { partialSuccess: { rejectedLogRecords: rejected, errorMessage: message ?? '' } } : {};
  return Response.encode(Response.fromObject(partial)).finish();
}

export function decodeExportLogsResponse(buf: Uint8Array): { rejected: number; message: string } {
  const obj = Response.toObject(Response.decode(buf), { longs: Number, defaults: true }) as {
    partialSuccess?: { rejectedLogRecords?: number; errorMessage?: string };
  };
  return { rejected: obj.partialSuccess?.rejectedLogRecords ?? 0, message: obj.partialSuccess?.errorMessage ?? '' };
}

/** google.rpc.Status { int32 code = 1; string message = 2; }: the body of an OTLP/HTTP error answer. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return protobuf.Writer.create().uint32(8).int32(code).uint32(18).string(message).finish();
}

export function decodeRpcStatus(buf: Uint8Array): { code: number; message: string } {
  const reader = protobuf.Reader.create(buf);
  const out = { code: 0, message: '' };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 8) out.code = reader.int32();
    else if (tag === 18) out.message = reader.string();
    else reader.skipType(tag & 7);
  }
  return out;
}

function reason(err: unknown): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) return 'nesting too deep';
  return err instanceof Error ? err.message : 'undecodable input';
}
