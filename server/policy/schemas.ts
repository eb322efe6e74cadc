// Inputs of the policy procedures (`/policies`).
import { z } from 'zod';
import { reason } from '@/server/audit/reason';
import { allowRule, allowRuleKey, DENY_KINDS, denyEntry, denyKeyFields, serviceName } from './model';

const id = z.string().min(1).max(64);
/** A service to read: as stored, so a name from before the identity grammar stays viewable. */
const service = z.string().min(1).max(256);
export { reason };

export const serviceInput = z.object({ service });
// Writes take only grammar-valid names (server/identity/names.ts).
export const generateInput = z.object({ service: serviceName, reason });
export type GenerateInput = z.output<typeof generateInput>;

export const editInput = z.object({
  id,
  addAllow: z.array(allowRule).max(1000).default([]),
  removeAllow: z.array(allowRuleKey).max(5000).default([]),
  addDeny: z.array(denyEntry).max(100).default([]),
  removeDeny: z.array(denyKeyFields).max(1000).default([]),
  reason,
});
export type EditInput = z.output<typeof editInput>;

export const stepInput = z.object({ id, reason });
export type StepInput = z.output<typeof stepInput>;

/** The approver names the content they reviewed: its SHA-256 as shown on screen. */
export const approveInput = z.object({ id, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'The SHA-256 of the reviewed revision (64 hex digits)'), reason });
export type ApproveInput = z.output<typeof approveInput>;

export const rollbackInput = z.object({ service: serviceName, revision: z.number().int().min(1), reason });
export type RollbackInput = z.output<typeof rollbackInput>;

export const diffInput = z.object({ service, from: z.number().int().min(0), to: z.number().int().min(1) });
export type DiffInput = z.output<typeof diffInput>;

export const shadowInput = z.object({ id, hours: z.number().min(0.25).max(24 * 7).default(24) });
export type ShadowInput = z.output<typeof shadowInput>;

export const revisionInput = z.object({ service, revision: z.number().int().min(1) });
export const rollbackPreviewInput = revisionInput;
export type RollbackPreviewInput = z.output<typeof rollbackPreviewInput>;

/**
 * "Deny this actor" from the traffic views (token page, shadow impact): an expiring entry for a
 * token, user or address in `service`'s draft. The value is checked as a deny entry is (see
 * denyEntry), the expiry is required and bounded (server/policy/deny-actor.ts).
 */
export const denyActorInput = z.object({
  service: serviceName,
  actor: z.object({ kind: z.enum(DENY_KINDS), value: z.string().min(1).max(512) }),
  reason,
  expiresAt: z.coerce.date({ error: 'Choose when the entry expires' }),
});
export type DenyActorInput = z.output<typeof denyActorInput>;
