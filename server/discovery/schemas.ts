// Inputs and outputs of the endpoint inventory and review procedures (`/apis`).
import { z } from 'zod';
import { reason } from '@/server/audit/reason';
import { ENDPOINT_STATES } from '@/lib/enums';
import { timeRangeInput } from '@/server/traffic/time-range';
import { JOIN_RULES, KEEP_RULES, type JoinRule, type KeepRule, type SegmentEvidence } from '@/lib/segment-evidence';

const id = z.string().min(1).max(64);
const service = z.string().min(1).max(256);
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export const listInput = z.object({
  service: service.optional(),
  state: z.enum(ENDPOINT_STATES).optional(),
  changed: z.boolean().optional(),
  /** endpoints first learned (or flagged changed) at or after this time */
  since: z.date().optional(),
  sinceField: z.enum(['created', 'changed']).default('created'),
  sensitive: z.boolean().optional(),
  caller: z.string().min(1).max(256).optional(),
  q: z.string().trim().max(200).optional(),
  method: z.string().trim().toUpperCase().max(16).optional(),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListInput = z.output<typeof listInput>;

export const getInput = z.object({ id, range: timeRangeInput.default({ preset: '24h' }) });
export type GetInput = z.output<typeof getInput>;

export const reviewInput = z.object({
  ids: z.array(id).min(1).max(500),
  decision: z.enum(['approve', 'reject', 'reset']),
  reason,
});
export type ReviewInput = z.output<typeof reviewInput>;

export const renameInput = z.object({
  id,
  from: z.string().min(1).max(64),
  to: z.string().trim().regex(PARAM_NAME, 'A parameter name is letters, digits and _, starting with a letter or _'),
  reason: reason.optional(),
});
export type RenameInput = z.output<typeof renameInput>;

export const mergeInput = z.object({ ids: z.array(id).min(2).max(50), reason });
export type MergeInput = z.output<typeof mergeInput>;

export const splitInput = z.object({
  id,
  param: z.string().min(1).max(64),
  value: z.string().trim().min(1).max(200).refine((v) => !v.includes('/') && !/[{}?#]/.test(v), 'One path segment: no /, {, }, ? or #'),
  reason,
});
export type SplitInput = z.output<typeof splitInput>;

export const openApiInput = z.object({ service, scope: z.enum(['approved', 'all']).default('approved') });
export type OpenApiInput = z.output<typeof openApiInput>;

const param = z.object({ name: z.string(), type: z.string(), examples: z.array(z.string()) });
export const endpointRow = z.object({
  id: z.string(),
  service: z.string(),
  method: z.string(),
  template: z.string(),
  state: z.enum(ENDPOINT_STATES),
  changed: z.boolean(),
  changedReason: z.string().nullable(),
  changedAt: z.date().nullable(),
  origin: z.enum(['learned', 'manual']),
  params: z.array(param),
  sensitiveClasses: z.array(z.string()),
  callers: z.number(),
  calls: z.number(),
  firstSeenAt: z.date().nullable(),
  lastSeenAt: z.date().nullable(),
  createdAt: z.date(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.date().nullable(),
});
export type EndpointRow = z.output<typeof endpointRow>;

export const listOutput = z.object({ rows: z.array(endpointRow), total: z.number() });

const count = z.number().nonnegative();
const at = z.number().int().min(0);
/** One segment's evidence as stored in `endpoints.evidence` (segment-evidence.ts). */
export const segmentEvidence = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('param'),
    at,
    values: count,
    requests: count,
    median: count,
    rules: z.array(z.object({ code: z.enum(Object.keys(JOIN_RULES) as [JoinRule, ...JoinRule[]]), keys: count })),
    literals: z.array(z.object({ name: z.string(), requests: count })),
    keptLiterals: count,
  }),
  z.object({
    kind: z.literal('literal'),
    at,
    code: z.enum(Object.keys(KEEP_RULES) as [KeepRule, ...KeepRule[]]),
    requests: count,
    siblings: count,
    beside: z.object({ name: z.string(), median: count }).optional(),
  }),
]);

/**
 * The stored evidence, entry by entry: null when none was kept (learned before it was, or made
 * by an analyst); an entry a later or earlier version wrote differently is left out.
 */
export function readEvidence(stored: unknown): SegmentEvidence[] | null {
  if (!Array.isArray(stored)) return null;
  const out: SegmentEvidence[] = [];
  for (const x of stored) {
    const r = segmentEvidence.safeParse(x);
    if (r.success) out.push(r.data);
  }
  return out;
}

export const serviceSummary = z.object({
  service: z.string(),
  learned: z.number(),
  approved: z.number(),
  rejected: z.number(),
  changed: z.number(),
  sensitive: z.number(),
});
export const servicesOutput = z.array(serviceSummary);
