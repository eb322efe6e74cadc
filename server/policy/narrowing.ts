// Whether replacing the live policy with another widens it: lets through a request the live
// one refuses. Used to decide whether a rollback may publish at once (it only narrows) or is a
// revision another admin approves (it widens).
import { denyKey, ruleKey } from './diff';
import type { AllowRule, DenyEntry, PolicyDocument } from './model';

export interface Widening {
  /** allow rules the target has and the live policy lacks */
  allow: AllowRule[];
  /** deny entries in force now that the target drops or lets expire sooner */
  deny: DenyEntry[];
}

const inForce = (d: DenyEntry, now: Date) => d.expiresAt === null || Date.parse(d.expiresAt) > now.getTime();
const until = (d: DenyEntry) => (d.expiresAt === null ? Infinity : Date.parse(d.expiresAt));

/**
 * What `target` would let through that `live` stops. With no live policy everything is allowed
 * today, so nothing can widen it.
 */
export function widening(live: PolicyDocument | null, target: PolicyDocument, now: Date): Widening {
  if (!live) return { allow: [], deny: [] };
  const liveAllow = new Set(live.allow.map(ruleKey));
  const targetDeny = new Map(target.deny.map((d) => [denyKey(d), d]));
  return {
    allow: target.allow.filter((r) => !liveAllow.has(ruleKey(r))),
    deny: live.deny.filter((d) => {
      if (!inForce(d, now)) return false;
      const kept = targetDeny.get(denyKey(d));
      return !kept || until(kept) < until(d);
    }),
  };
}

export const isNarrowing = (w: Widening) => w.allow.length === 0 && w.deny.length === 0;
