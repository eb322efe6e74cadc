// The closed sets of values that the database, the server and the UI all speak: one place, so a
// new state is added once. Nothing here may import from db/ or server/ (the UI bundles it).

/**
 * Console roles (SPEC "Roles"). Not a ladder: what each may do is lib/permissions.ts. `viewer`,
 * `analyst` and `admin` each add to the one before; `auditor` reads what a viewer reads plus the
 * audit log and the report files, and changes nothing.
 */
export const ROLES = ['viewer', 'analyst', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Review state of a learned endpoint (SPEC "endpoint"). */
export const ENDPOINT_STATES = ['learned', 'approved', 'rejected'] as const;
export type EndpointState = (typeof ENDPOINT_STATES)[number];

/** Lifecycle of a policy revision (SPEC "policy"). */
export const POLICY_STATES = ['draft', 'approved', 'published', 'discarded'] as const;
export type PolicyState = (typeof POLICY_STATES)[number];

/** What a detection says is happening (SPEC "detection"; `token_misuse`: one token, another client). */
export const DETECTION_KINDS = [
  'crawler', 'brute_force', 'credential_stuffing', 'scraping', 'dos', 'exfiltration', 'anomalous_sequence', 'token_misuse',
  'distributed_attack',
] as const;
export type DetectionKind = (typeof DETECTION_KINDS)[number];

/** Triage of a detection (SPEC): `open` → `acknowledged` → `resolved` / `false_positive`. */
export const TRIAGE_STATES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;
export type TriageState = (typeof TRIAGE_STATES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Who a request came from (SPEC "actor"); `ip_group` is a /24 (IPv4) or /64 (IPv6). */
export const ACTOR_TYPES = ['token', 'user', 'ip', 'ip_group', 'service'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
