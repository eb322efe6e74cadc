// The policy document (SPEC "policy"): per service, the whitelist of (caller, method, path
// template) drawn from approved endpoints and their observed callers, plus the deny list of
// actors. When a policy exists its default is deny: anything not on the whitelist is refused,
// and a denied actor is refused even on the whitelist. Every compiler (Envoy RBAC, Istio,
// nginx) and every evaluator starts from this one shape.
import { isIP } from 'node:net';
import { z } from 'zod';
import { EXTERNAL_SERVICE, isPrintableText, isServiceName, SERVICE_RULE } from '@/server/identity/names';

/** `external` stands for callers outside the mesh (no workload identity). */
export const EXTERNAL = EXTERNAL_SERVICE;

// Services and callers follow the identity grammar (server/identity/names.ts) and the other
// strings hold no control characters or line separators: whatever an analyst types here ends
// up in signed proxy configuration. (The compilers quote everything anyway; this is the first wall.)
export const serviceName = z.string().refine(isServiceName, SERVICE_RULE);
const printable = 'no control characters or line separators';

export const allowRule = z.object({
  /** calling service (`namespace/name`) or `external` */
  caller: serviceName,
  method: z.string().min(1).max(16).regex(/^[A-Z]+$/, 'an HTTP method in capitals'),
  /** path template in `{name}` form: `{name}` is one non-empty segment or part of one (`{id}.json`) */
  template: z.string().min(1).max(1000).startsWith('/').refine(isPrintableText, printable),
  /** the approved endpoint this rule came from, when it did */
  endpointId: z.string().max(64).nullable().default(null),
});
export type AllowRule = z.output<typeof allowRule>;

/** A rule to remove, named as stored: removing cannot inject anything, and a rule stored before the grammar existed must stay removable. */
export const allowRuleKey = z.object({
  caller: z.string().min(1).max(2048),
  method: z.string().min(1).max(16),
  template: z.string().min(1).max(1000),
});

export const DENY_KINDS = ['token', 'user', 'ip'] as const;
export const denyFields = z.object({
  kind: z.enum(DENY_KINDS),
  /** token: the hashed token id proxies report; user: the JWT subject; ip: an address or CIDR */
  value: z.string().trim().min(1).max(256).refine(isPrintableText, printable),
  reason: z.string().trim().min(3).max(500),
  /** ISO time after which the entry no longer applies; null: until removed */
  expiresAt: z.string().datetime({ offset: true }).nullable().default(null),
});
export const denyEntry = denyFields.refine((d) => d.kind !== 'ip' || isAddressOrCidr(d.value), {
  message: 'An IP address or CIDR block, like 203.0.113.7 or 203.0.113.0/24',
  path: ['value'],
});
export type DenyEntry = z.output<typeof denyEntry>;

/** A deny entry to remove, named as stored (see allowRuleKey). */
export const denyKeyFields = z.object({ kind: z.enum(DENY_KINDS), value: z.string().min(1).max(1000) });

export const policyDocument = z.object({
  service: serviceName,
  defaultAction: z.literal('deny'),
  allow: z.array(allowRule).max(100_000),
  deny: z.array(denyEntry).max(10_000),
});
export type PolicyDocument = z.output<typeof policyDocument>;

/** A request as every evaluator sees it: what a proxy knows when it decides. */
export interface PolicyRequest {
  /** calling service (`namespace/name`), or `external` when the caller has no workload identity */
  caller: string;
  method: string;
  /** the path as sent, query string included or not */
  path: string;
  tokenId?: string | null;
  userId?: string | null;
  clientIp?: string | null;
}

export type Decision = 'allow' | 'deny';

/** Rules in one canonical order, so the same content always gives the same document (and hash). */
export function canonical(doc: PolicyDocument): PolicyDocument {
  const allow = [...new Map(doc.allow.map((r) => [`${r.caller}\u0000${r.method}\u0000${r.template}`, r])).values()].sort(
    (a, b) => cmp(a.template, b.template) || cmp(a.method, b.method) || cmp(a.caller, b.caller),
  );
  const deny = [...new Map(doc.deny.map((d) => [`${d.kind}\u0000${d.value}`, d])).values()].sort((a, b) => cmp(a.kind, b.kind) || cmp(a.value, b.value));
  return { service: doc.service, defaultAction: 'deny', allow, deny };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isAddressOrCidr(v: string): boolean {
  const [addr, bits, extra] = v.split('/');
  // a zone id (fe80::1%eth0) means nothing off-host, and isIP accepts any text after the %
  if (addr.includes('%')) return false;
  const family = isIP(addr);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}
