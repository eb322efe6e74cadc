// What changes between two policy documents, rule by rule: the readable diff shown before
// anyone approves or publishes.
import type { AllowRule, DenyEntry, PolicyDocument } from './model';

export interface PolicyDiff {
  addedAllow: AllowRule[];
  removedAllow: AllowRule[];
  addedDeny: DenyEntry[];
  removedDeny: DenyEntry[];
  /** deny entries kept whose reason or expiry changed */
  changedDeny: { before: DenyEntry; after: DenyEntry }[];
}

export const ruleKey = (r: Pick<AllowRule, 'caller' | 'method' | 'template'>) => `${r.method} ${r.template} ← ${r.caller}`;
export const denyKey = (d: Pick<DenyEntry, 'kind' | 'value'>) => `${d.kind}:${d.value}`;

export function diffPolicies(from: PolicyDocument | null, to: PolicyDocument): PolicyDiff {
  const a = new Map((from?.allow ?? []).map((r) => [ruleKey(r), r]));
  const b = new Map(to.allow.map((r) => [ruleKey(r), r]));
  const da = new Map((from?.deny ?? []).map((d) => [denyKey(d), d]));
  const db = new Map(to.deny.map((d) => [denyKey(d), d]));
  const changedDeny: PolicyDiff['changedDeny'] = [];
  for (const [k, after] of db) {
    const before = da.get(k);
    if (before && (before.reason !== after.reason || before.expiresAt !== after.expiresAt)) changedDeny.push({ before, after });
  }
  return {
    addedAllow: [...b].filter(([k]) => !a.has(k)).map(([, r]) => r),
    removedAllow: [...a].filter(([k]) => !b.has(k)).map(([, r]) => r),
    addedDeny: [...db].filter(([k]) => !da.has(k)).map(([, d]) => d),
    removedDeny: [...da].filter(([k]) => !db.has(k)).map(([, d]) => d),
    changedDeny,
  };
}

export function isEmptyDiff(d: PolicyDiff): boolean {
  return !d.addedAllow.length && !d.removedAllow.length && !d.addedDeny.length && !d.removedDeny.length && !d.changedDeny.length;
}
