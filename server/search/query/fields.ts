import { editDistance } from './edit-distance';

/**
 * The searchable fields of an access event. Pure data (no database imports) so the search
 * box can bundle it for autocomplete; compile.ts maps each name to its column.
 */

/** How a field's values are read and matched. */
export type FieldKind =
  | 'text' // exact, or a wildcard pattern
  | 'method' // an HTTP method token, matched in upper case
  | 'status' // an integer, or a class (4xx)
  | 'bytes' // a whole number of bytes, with an optional unit
  | 'duration' // milliseconds, with an optional unit
  | 'address' // an address, a CIDR block or an address range
  | 'class' // a sensitive-data class name
  | 'detection'; // a detection id

export const FIELD_NAMES = [
  'service', 'caller', 'method', 'path', 'endpoint', 'status', 'token', 'user', 'client.address', 'user_agent',
  'class', 'bytes_out', 'bytes_in', 'duration', 'proxy', 'cluster', 'namespace', 'detection',
] as const;
export type FieldName = (typeof FIELD_NAMES)[number];

export interface FieldSpec {
  name: FieldName;
  kind: FieldKind;
  /** the access_events column (or what it searches), for people reading the docs */
  column: string;
  description: string;
  example: string;
  /** OpenTelemetry attribute names that mean the same field */
  aliases: readonly string[];
  /** user agents vary in case between clients of one kind; everything else is matched as sent */
  caseInsensitive?: boolean;
}

const SPECS: readonly FieldSpec[] = [
  { name: 'service', kind: 'text', column: 'dst_service', description: 'the service that was called (namespace/name)', example: 'service:shop/orders', aliases: ['meshward.dst_service'] },
  { name: 'caller', kind: 'text', column: 'src_service', description: 'the calling service, or external', example: 'caller:external', aliases: ['meshward.src_service'] },
  { name: 'method', kind: 'method', column: 'method', description: 'HTTP method', example: 'method:POST', aliases: ['http.request.method'] },
  { name: 'path', kind: 'text', column: 'path', description: 'request path as sent (wildcards: * any run, ? one character)', example: 'path:/api/*/orders', aliases: ['url.path'] },
  { name: 'endpoint', kind: 'text', column: 'route', description: 'the path template, e.g. /accounts/{id}', example: 'endpoint:/accounts/{id}/statements', aliases: ['http.route'] },
  { name: 'status', kind: 'status', column: 'status', description: 'HTTP response status: a number, a class (4xx), a comparison or a range', example: 'status>=500', aliases: ['http.response.status_code'] },
  { name: 'token', kind: 'text', column: 'token_id', description: 'hashed bearer/JWT token id', example: 'token:tok_3f9a*', aliases: ['meshward.token_id'] },
  { name: 'user', kind: 'text', column: 'user_id', description: 'JWT subject', example: 'user:alice@example.com', aliases: ['meshward.user', 'enduser.id'] },
  { name: 'client.address', kind: 'address', column: 'client_ip', description: 'client address: exact, CIDR block, or [A TO B]', example: 'client.address:10.2.0.0/16', aliases: [] },
  { name: 'user_agent', kind: 'text', column: 'user_agent', description: 'User-Agent header (case-insensitive)', example: 'user_agent:*python*', aliases: ['user_agent.original'], caseInsensitive: true },
  { name: 'class', kind: 'class', column: 'sensitive', description: 'sensitive-data class seen in the request or response', example: 'class:credit_card', aliases: [] },
  { name: 'bytes_out', kind: 'bytes', column: 'bytes_out', description: 'response body size (units: b, kb, kib, mb, mib, gb, gib)', example: 'bytes_out>50kb', aliases: ['http.response.body.size'] },
  { name: 'bytes_in', kind: 'bytes', column: 'bytes_in', description: 'request body size (units: b, kb, kib, mb, mib, gb, gib)', example: 'bytes_in>1mb', aliases: ['http.request.body.size'] },
  { name: 'duration', kind: 'duration', column: 'duration_ms', description: 'time to respond, in ms unless a unit is given (us, ms, s, m)', example: 'duration>1.5s', aliases: [] },
  { name: 'proxy', kind: 'text', column: 'proxy_id', description: 'the proxy that reported the event', example: 'proxy:gw-eu-1*', aliases: [] },
  { name: 'cluster', kind: 'text', column: 'cluster', description: 'Kubernetes cluster', example: 'cluster:eu-1', aliases: ['k8s.cluster.name'] },
  { name: 'namespace', kind: 'text', column: 'namespace', description: 'Kubernetes namespace', example: 'namespace:payments', aliases: ['k8s.namespace.name'] },
  { name: 'detection', kind: 'detection', column: 'detection_actors', description: 'events of the actors (token, user, address, address group, service) of a detection', example: 'detection:det_01HV…', aliases: [] },
];

const BY_NAME = new Map<string, FieldSpec>();
for (const s of SPECS) {
  BY_NAME.set(s.name, s);
  for (const a of s.aliases) BY_NAME.set(a, s);
}

export function fieldSpec(name: FieldName): FieldSpec {
  return BY_NAME.get(name)!;
}

/** The field a (case-insensitive) name or alias denotes, or undefined. */
export function lookupField(name: string): FieldSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The known name (or alias) nearest to a mistyped one, if it is near enough to be a typo. */
export function nearestField(name: string): FieldName | undefined {
  const lower = name.toLowerCase();
  let best: { name: FieldName; d: number } | undefined;
  for (const [known, spec] of BY_NAME) {
    const d = editDistance(lower, known);
    if (!best || d < best.d) best = { name: spec.name, d };
  }
  return best && best.d <= Math.max(1, Math.min(3, Math.floor(lower.length / 3))) ? best.name : undefined;
}

export interface SearchFieldInfo {
  name: FieldName;
  type: FieldKind;
  description: string;
  example: string;
  aliases: readonly string[];
}

/** Every field with its type and description, in a stable order, for autocomplete and help. */
export function searchFields(): SearchFieldInfo[] {
  return SPECS.map((s) => ({ name: s.name, type: s.kind, description: s.description, example: s.example, aliases: s.aliases }));
}
