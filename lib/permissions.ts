// Who may do what (SPEC "Roles"), in one table that the server's guards (tRPC procedures,
// download routes) and the UI (navigation, pages, action buttons) all read. Nothing here may
// import from db/ or server/ (the UI bundles it).
import type { Role } from './enums';

/**
 * Each permission names the roles that hold it. There is no rank: the auditor reads more than a
 * viewer (the audit log, report files) yet changes nothing, so "this role and above" cannot say it.
 *
 * | role    | read | readAudit | downloadReports | analyse | administer |
 * | ------- | ---- | --------- | --------------- | ------- | ---------- |
 * | viewer  | ✓    |           |                 |         |            |
 * | analyst | ✓    |           | ✓               | ✓       |            |
 * | admin   | ✓    | ✓         | ✓               | ✓       | ✓          |
 * | auditor | ✓    | ✓         | ✓               |         |            |
 */
export const PERMISSIONS = {
  /** the views: overview, graph, data, APIs, policies, detections, thresholds, search, report history, fleet */
  read: ['viewer', 'analyst', 'admin', 'auditor'],
  /** the audit log, and verifying its hash chain (reading it is itself audited) */
  readAudit: ['admin', 'auditor'],
  /** a stored report's PDF and evidence bundle (each download is audited) */
  downloadReports: ['analyst', 'admin', 'auditor'],
  /**
   * triage, API review, policy drafts and shadow impact, saved searches, exports (search results,
   * OpenAPI), generating and scheduling reports
   */
  analyse: ['analyst', 'admin'],
  /** approve, publish, roll back policies; thresholds and the allow-list; proxy tokens; users */
  administer: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Whether `role` holds `permission`. */
export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** The roles that hold `permission`, in the table's order. */
export function rolesWith(permission: Permission): readonly Role[] {
  return PERMISSIONS[permission];
}

/** "the analyst or admin role": for messages that say what an action needs. */
export function rolesPhrase(permission: Permission): string {
  const roles = rolesWith(permission);
  const list = roles.length === 1 ? roles[0] : `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}`;
  return `the ${list} role`;
}
