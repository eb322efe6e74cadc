// The closed sets of values that the database, the server and the UI all speak: one place, so a
// new state is added once. Nothing here may import from db/ or server/ (the UI bundles it).

/** Console roles, least to most privileged (SPEC "Roles"). */
export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Review state of a learned endpoint (SPEC "endpoint"). */
export const ENDPOINT_STATES = ['learned', 'approved', 'rejected'] as const;
export type EndpointState = (typeof ENDPOINT_STATES)[number];

/** Lifecycle of a policy revision (SPEC "policy"). */
export const POLICY_STATES = ['draft', 'approved', 'published', 'discarded'] as const;
export type PolicyState = (typeof POLICY_STATES)[number];
