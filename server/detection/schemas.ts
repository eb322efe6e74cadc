// Inputs of the detection procedures (`/detections`, `/settings/thresholds`).
import { z } from 'zod';
import { reason } from '@/server/audit/reason';
import { ACTOR_TYPES, DETECTION_KINDS, SEVERITIES, TRIAGE_STATES } from '@/lib/enums';
import { isPrintableText, isServiceName, SERVICE_RULE } from '@/server/identity/names';
import { isAddressOrCidr } from '@/server/policy/model';
import { timeRangeInput } from '@/server/traffic/time-range';
import { MAX_DENY_DAYS, MAX_SUPPRESSION_DAYS } from './triage-steps';
import { WINDOWS } from './types';

export { MAX_DENY_DAYS, MAX_SUPPRESSION_DAYS };

const id = z.string().min(1).max(64);
export { reason };
const printable = 'no control characters or line separators';
/** A service as stored (reads); writes take only grammar-valid names. */
const storedService = z.string().min(1).max(256);
export const actorRef = z.object({ type: z.enum(ACTOR_TYPES), id: z.string().min(1).max(512) });

export const listInput = z.object({
  range: timeRangeInput.default({ preset: '24h' }),
  states: z.array(z.enum(TRIAGE_STATES)).max(TRIAGE_STATES.length).optional(),
  severities: z.array(z.enum(SEVERITIES)).max(SEVERITIES.length).optional(),
  kind: z.enum(DETECTION_KINDS).optional(),
  service: storedService.optional(),
  /** an actor id, or the start of one (`203.0.113.`); matched against every actor of a detection */
  actor: z.string().trim().min(1).max(512).optional(),
  offset: z.number().int().min(0).max(1_000_000).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListInput = z.output<typeof listInput>;

export const getInput = z.object({ id });
export const actorsInput = z.object({ id, offset: z.number().int().min(0).max(10_000_000).default(0), limit: z.number().int().min(1).max(500).default(50) });
export type ActorsInput = z.output<typeof actorsInput>;
export const summaryInput = z.object({ range: timeRangeInput.default({ preset: '24h' }) });

/** Triage steps without side effects; false positive has its own input (it may suppress). */
export const triageInput = z.object({ id, to: z.enum(['open', 'acknowledged', 'resolved']), reason });
export type TriageInput = z.output<typeof triageInput>;

const future = z.coerce.date();

export const falsePositiveInput = z.object({
  id,
  reason,
  /**
   * `detection`: only this one; `actor`: also stop raising this actor for this kind on this
   * service; `rule`: stop raising this kind on this service. Both suppressions expire.
   */
  scope: z.enum(['detection', 'actor', 'rule']),
  actor: actorRef.optional(),
  expiresAt: future.optional(),
}).refine((v) => v.scope !== 'actor' || v.actor, { message: 'Name the actor to suppress', path: ['actor'] })
  .refine((v) => v.scope === 'detection' || v.expiresAt, { message: 'A suppression needs an expiry', path: ['expiresAt'] });
export type FalsePositiveInput = z.output<typeof falsePositiveInput>;

export const assignInput = z.object({ id, assigneeId: z.string().min(1).max(64).nullable(), reason: reason.optional() });
export type AssignInput = z.output<typeof assignInput>;

export const mitigateInput = z.object({ id, actor: actorRef, reason, expiresAt: future });
export type MitigateInput = z.output<typeof mitigateInput>;

export const liftInput = z.object({ id, reason });
export type LiftInput = z.output<typeof liftInput>;

// ------------------------------------------------------------------------------------------
// Thresholds and the allow-list

export const GLOBAL = '*';
const scope = z.string().refine((s) => s === GLOBAL || isServiceName(s), `${GLOBAL} (global) or a service: ${SERVICE_RULE}`);
const sensitivity = z.number().min(0.5, 'At least 0.5 deviations').max(50, 'At most 50 deviations');
export const thresholdsValue = z.object({
  alert: z.number().min(0).max(100),
  mitigate: z.number().min(0).max(100),
  windows: z.object(Object.fromEntries(WINDOWS.map((w) => [w, sensitivity])) as Record<(typeof WINDOWS)[number], typeof sensitivity>),
}).refine((t) => t.alert <= t.mitigate, { message: 'The mitigate level must be at least the alert level', path: ['mitigate'] });

export const setThresholdsInput = z.object({ service: scope, thresholds: thresholdsValue, reason });
export type SetThresholdsInput = z.output<typeof setThresholdsInput>;
export const removeThresholdsInput = z.object({ service: z.string().refine(isServiceName, SERVICE_RULE), reason });
export type RemoveThresholdsInput = z.output<typeof removeThresholdsInput>;

export const BACKTEST_HOURS = [24, 168] as const;
export const backtestInput = z.object({
  service: scope,
  candidate: thresholdsValue,
  hours: z.union([z.literal(24), z.literal(168)]).default(24),
});
export type BacktestInput = z.output<typeof backtestInput>;

export const ALLOW_TYPES = ['ip', 'cidr', 'token', 'user', 'user_agent', 'service'] as const;
export const addAllowInput = z.object({
  type: z.enum(ALLOW_TYPES),
  value: z.string().trim().min(1).max(256).refine(isPrintableText, printable),
  note: z.string().trim().min(3, 'Say who this client is, in a few words').max(300),
  reason,
}).superRefine((v, ctx) => {
  const bad = (message: string) => ctx.addIssue({ code: 'custom', message, path: ['value'] });
  if (v.type === 'ip' && (!isAddressOrCidr(v.value) || v.value.includes('/'))) bad('An IP address, like 203.0.113.7');
  if (v.type === 'cidr' && (!isAddressOrCidr(v.value) || !v.value.includes('/'))) bad('A CIDR block, like 66.249.64.0/19');
  if (v.type === 'cidr' && isAddressOrCidr(v.value) && Number(v.value.split('/')[1]) < (v.value.includes(':') ? 32 : 8)) bad('A block this wide would trust a large part of the internet: at most /8 (IPv4) or /32 (IPv6)');
  if (v.type === 'service' && !isServiceName(v.value)) bad(SERVICE_RULE);
  if (v.type === 'user_agent' && v.value.length < 4) bad('At least 4 characters: a short user-agent fragment matches far too many clients');
});
export type AddAllowInput = z.output<typeof addAllowInput>;
export const removeAllowInput = z.object({ id, reason });
export type RemoveAllowInput = z.output<typeof removeAllowInput>;
