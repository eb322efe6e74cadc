import type { AccountMap } from '@/server/identity/account-map';
import type { SensitiveMatch } from '@/db/schema';

export type IngestSource = 'otlp' | 'envoy';

/** An access event after parsing and validation: exactly what the writer stores. */
export interface AccessEventInput {
  /** start time, epoch milliseconds (UTC) */
  ts: number;
  proxyId: string;
  /** the proxy's request id, or a digest of the record when it sent none (makes retries idempotent) */
  requestId: string;
  source: IngestSource;
  cluster: string | null;
  namespace: string | null;
  /** `namespace/name`, or `external` for callers outside the mesh */
  srcService: string;
  dstService: string;
  method: string;
  path: string;
  /** path with id-like segments as `{id}` (server/rollups/route.ts) */
  route: string;
  query: string | null;
  status: number;
  responseFlags: string | null;
  durationMs: number | null;
  bytesIn: number | null;
  bytesOut: number | null;
  clientIp: string | null;
  serverAddress: string | null;
  userAgent: string | null;
  protocol: string | null;
  tokenId: string | null;
  userId: string | null;
  mtls: boolean | null;
  sensitive: SensitiveMatch[] | null;
  sample: string | null;
}

/** What a parser knows about the sender before it reads the body. */
export interface ParseDefaults {
  /** proxy id to use when the batch names none (from a header, else the token's name) */
  proxyId: string;
  /** the current time, for the accepted time window */
  now: number;
  /** events older than this many days are refused (they would land in a dropped partition) */
  retentionDays: number;
  /** the service accounts of a cluster, to name a SPIFFE caller by its service (none: account = service) */
  accounts?: (cluster: string | null) => AccountMap | null;
}

export interface ParseResult {
  events: AccessEventInput[];
  /** records that could not be stored */
  rejected: number;
  /** a few precise messages about rejected records ("record 14: `response_code` must be an integer") */
  errors: string[];
}

/**
 * The whole batch is unusable (not JSON/protobuf, wrong envelope, nothing valid): answered 400
 * and never retried by a well-behaved sender.
 */
export class MalformedBatchError extends Error {
  readonly code = 'malformed_batch';
}

export const MAX_ERRORS_REPORTED = 5;
