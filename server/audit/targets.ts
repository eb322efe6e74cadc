// What the ids in audit entries name (`ep_…` → `GET /users/{user_id}` of shop/users), for the
// page of entries `/audit` shows: one query per kind of target on the page, never one per entry.
import { inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  adminGrants, detectionAllowList, detections, detectionSuppressions, endpoints, policyRevisions, proxyTokens, reports,
  reportSchedules, savedSearches, users,
} from '@/db/schema';
import type { Role } from '@/lib/enums';
import { can } from '@/lib/permissions';

/** An entry's target as a person reads it; `label` null: it no longer exists, show the id. */
export interface AuditTargetView {
  id: string;
  label: string | null;
  /** what it belongs to or where it stands: the service, the revision's state, `revoked` */
  detail: string | null;
  /** its page in the console, when it has one the reader may open */
  href: string | null;
}

type Named = Omit<AuditTargetView, 'id'>;
/** Who reads the log: links go only to pages they may open. */
export type Reader = { id: string; role: Role } | null;
type Resolver = (db: Db, ids: string[], reader: Reader) => Promise<Array<[string, Named]>>;

/** The most targets shown for one entry (a decision on many endpoints names them all in `after.targets`). */
export const MAX_TARGETS_SHOWN = 5;

const enc = encodeURIComponent;
/** `/policies/shop/users`: the service's slash kept (components/policies/links.ts). */
const policyPath = (service: string) => `/policies/${service.split('/').map(enc).join('/')}`;
const words = (s: string) => s.replace(/_/g, ' ');
/** The user list, for those who may open it (not auditors). */
const usersPage = (reader: Reader) => (reader && can(reader.role, 'administer') ? '/settings/users' : null);
const FRAMEWORK_NAME: Record<string, string> = { pci_dss_v4: 'PCI DSS v4.0', soc2: 'SOC 2' };

/** One entry per target type written by the console (see every `audit({ targetType })`). */
const RESOLVERS: Record<string, Resolver> = {
  async endpoint(db, ids) {
    const rows = await db.select({ id: endpoints.id, service: endpoints.service, method: endpoints.method, template: endpoints.template })
      .from(endpoints).where(inArray(endpoints.id, ids));
    return rows.map((r) => [r.id, { label: `${r.method} ${r.template}`, detail: r.service, href: `/apis/${enc(r.id)}` }]);
  },
  async policy(db, ids) {
    const rows = await db.select({ id: policyRevisions.id, service: policyRevisions.service, revision: policyRevisions.revision, state: policyRevisions.state })
      .from(policyRevisions).where(inArray(policyRevisions.id, ids));
    return rows.map((r) => [r.id, { label: `${r.service} revision ${r.revision}`, detail: r.state, href: policyPath(r.service) }]);
  },
  async user(db, ids, reader) {
    const rows = await db.select({ id: users.id, email: users.email, name: users.name, disabledAt: users.disabledAt })
      .from(users).where(inArray(users.id, ids));
    const href = usersPage(reader);
    return rows.map((r) => [r.id, { label: r.email, detail: r.disabledAt ? 'disabled' : r.name || null, href }]);
  },
  async admin_grant(db, ids, reader) {
    const rows = await db.select({ id: adminGrants.id, email: adminGrants.email, state: adminGrants.state })
      .from(adminGrants).where(inArray(adminGrants.id, ids));
    const href = usersPage(reader);
    return rows.map((r) => [r.id, { label: `admin request for ${r.email}`, detail: r.state, href }]);
  },
  async proxy_token(db, ids) {
    const rows = await db.select({ id: proxyTokens.id, name: proxyTokens.name, prefix: proxyTokens.prefix, revokedAt: proxyTokens.revokedAt })
      .from(proxyTokens).where(inArray(proxyTokens.id, ids));
    return rows.map((r) => [r.id, { label: r.name, detail: r.revokedAt ? `${r.prefix}… · revoked` : `${r.prefix}…`, href: '/fleet' }]);
  },
  async detection(db, ids) {
    const rows = await db.select({ id: detections.id, kind: detections.kind, service: detections.service, severity: detections.severity })
      .from(detections).where(inArray(detections.id, ids));
    return rows.map((r) => [r.id, { label: words(r.kind), detail: [r.service, r.severity].filter(Boolean).join(' · '), href: `/detections/${enc(r.id)}` }]);
  },
  async detection_suppression(db, ids) {
    const s = detectionSuppressions;
    const rows = await db.select({ id: s.id, scope: s.scope, kind: s.kind, service: s.service, actorType: s.actorType, actorId: s.actorId, detectionId: s.detectionId })
      .from(s).where(inArray(s.id, ids));
    return rows.map((r) => [r.id, {
      label: `${words(r.kind)} on ${r.service ?? 'any service'}`,
      detail: r.scope === 'actor' ? `suppressed for ${r.actorType} ${r.actorId}` : 'suppressed for every actor',
      href: r.detectionId ? `/detections/${enc(r.detectionId)}` : '/settings/thresholds',
    }]);
  },
  async detection_allow(db, ids) {
    const rows = await db.select({ id: detectionAllowList.id, type: detectionAllowList.type, value: detectionAllowList.value, note: detectionAllowList.note })
      .from(detectionAllowList).where(inArray(detectionAllowList.id, ids));
    return rows.map((r) => [r.id, { label: `${words(r.type)} ${r.value}`, detail: r.note || null, href: '/settings/thresholds' }]);
  },
  // the id is the service the thresholds are for (`*`: the global ones): it names itself
  async detection_thresholds(_db, ids) {
    return ids.map((id) => [id, id === '*'
      ? { label: 'global thresholds', detail: null, href: '/settings/thresholds' }
      : { label: `thresholds of ${id}`, detail: null, href: `/settings/thresholds?scope=${enc(id)}` }]);
  },
  async report(db, ids) {
    const rows = await db.select({ id: reports.id, title: reports.title }).from(reports).where(inArray(reports.id, ids));
    return rows.map((r) => [r.id, { label: r.title, detail: null, href: '/reports' }]);
  },
  async report_schedule(db, ids) {
    const rows = await db.select({ id: reportSchedules.id, framework: reportSchedules.framework, cadence: reportSchedules.cadence })
      .from(reportSchedules).where(inArray(reportSchedules.id, ids));
    return rows.map((r) => [r.id, { label: `${FRAMEWORK_NAME[r.framework] ?? r.framework} report, ${r.cadence}`, detail: null, href: '/reports' }]);
  },
  async saved_search(db, ids, reader) {
    const s = savedSearches;
    const rows = await db.select({ id: s.id, name: s.name, visibility: s.visibility, ownerId: s.ownerId }).from(s).where(inArray(s.id, ids));
    // `/search?saved=` opens it with its own query, range and columns: a private one only for its owner
    return rows.map((r) => [r.id, {
      label: r.name, detail: r.visibility, href: r.visibility === 'team' || r.ownerId === reader?.id ? `/search?saved=${enc(r.id)}` : null,
    }]);
  },
};

/** The ids an entry names: its target, or for a decision on many, the ones in `after.targets`. */
export function namedIds(entry: { targetId: string | null; after: unknown }): string[] {
  if (entry.targetId) return [entry.targetId];
  const many = (entry.after as { targets?: unknown } | null)?.targets;
  return Array.isArray(many) ? many.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * The targets of a page of audit entries, named: for each entry, up to MAX_TARGETS_SHOWN views
 * (label null where the target no longer exists) and how many more it names. Links to pages the
 * reader may not open (the user list for an auditor, someone else's private search) are left out.
 */
export async function nameAuditTargets<E extends { targetType: string; targetId: string | null; after: unknown }>(
  db: Db,
  entries: E[],
  reader: Reader,
): Promise<Array<{ targets: AuditTargetView[]; moreTargets: number }>> {
  const shown = entries.map((e) => namedIds(e));
  const wanted = new Map<string, Set<string>>();
  entries.forEach((e, i) => {
    if (!Object.hasOwn(RESOLVERS, e.targetType)) return;
    const set = wanted.get(e.targetType) ?? new Set<string>();
    for (const id of shown[i].slice(0, MAX_TARGETS_SHOWN)) set.add(id);
    wanted.set(e.targetType, set);
  });
  const names = new Map<string, Named>();
  // one query per type; in turn, since `db` may be the caller's transaction
  for (const [type, ids] of wanted) {
    if (!ids.size) continue;
    for (const [id, named] of await RESOLVERS[type](db, [...ids], reader)) names.set(`${type}\u0000${id}`, named);
  }
  return entries.map((e, i) => ({
    targets: shown[i].slice(0, MAX_TARGETS_SHOWN).map((id) => ({ id, ...(names.get(`${e.targetType}\u0000${id}`) ?? { label: null, detail: null, href: null }) })),
    moreTargets: Math.max(0, shown[i].length - MAX_TARGETS_SHOWN),
  }));
}
