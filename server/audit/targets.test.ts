import { desc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '@/db/client';
import {
  adminGrants, auditLog, detectionAllowList, detectionSuppressions, endpoints, policyRevisions, reports, reportSchedules, savedSearches,
} from '@/db/schema';
import { createProxyToken, revokeProxyToken } from '@/server/fleet/tokens';
import { actor, ctxFor, describeEachEngine, seedAccounts } from '@/server/testing/db';
import { seedDetection } from '@/server/testing/detections';
import { createUser, setUserRole } from '@/server/users/manage';
import { listAudit } from './list';
import { MAX_TARGETS_SHOWN, nameAuditTargets, namedIds } from './targets';

const admin = actor('admin');
const auditor = actor('auditor');
const entry = (targetType: string, targetId: string | null, after: unknown = null) => ({ targetType, targetId, after });

/** `db` with a count of the queries started through it (each `select`). */
function counting(db: Db): { db: Db; selects: () => number } {
  let n = 0;
  const proxy = new Proxy(db, {
    get(target, key, receiver) {
      if (key === 'select') n++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { db: proxy, selects: () => n };
}

it('an entry names its target, or the ids of a decision on many', () => {
  expect(namedIds(entry('endpoint', 'ep_1'))).toEqual(['ep_1']);
  expect(namedIds(entry('endpoint', null, { targets: ['ep_1', 'ep_2', 7] }))).toEqual(['ep_1', 'ep_2']);
  expect(namedIds(entry('audit_log', null, { filters: {} }))).toEqual([]);
  expect(namedIds(entry('audit_log', null, null))).toEqual([]);
});

describeEachEngine('audit targets', (h) => {
  async function seedTargets() {
    await seedAccounts(h.db, admin, { id: 'usr_bob', email: 'bob@example.test', role: 'analyst' });
    await h.db.insert(endpoints).values([
      { id: 'ep_users', service: 'shop/users', method: 'GET', template: '/users/{user_id}', templateKey: '/users/{}' },
      { id: 'ep_cart', service: 'shop/cart', method: 'POST', template: '/cart/{cart_id}/items', templateKey: '/cart/{}/items' },
    ]);
    await h.db.insert(policyRevisions).values({
      id: 'pol_users_3', service: 'shop/users', revision: 3, state: 'published', sha256: 'x', createdBy: 'bob@example.test',
      document: { service: 'shop/users', defaultAction: 'deny', allow: [], deny: [] },
    });
    const token = await createProxyToken(ctxFor(h.db, admin), { name: 'edge gateways', services: ['*'] });
    const { id: detectionId } = await seedDetection(h.db, { kind: 'credential_stuffing', service: 'shop/login' });
    await h.db.insert(detectionSuppressions).values({
      id: 'sup_1', scope: 'actor', kind: 'crawler', service: 'shop/search', actorType: 'ip', actorId: '66.249.66.1', reason: 'bot',
      detectionId, createdBy: 'bob@example.test', expiresAt: new Date(Date.now() + 86_400_000),
    });
    await h.db.insert(detectionAllowList).values({ id: 'allow_1', type: 'cidr', value: '66.249.64.0/19', note: 'Googlebot', createdBy: 'root' });
    await h.db.insert(reports).values({
      id: 'rpt_1', framework: 'pci_dss_v4', title: 'PCI DSS v4.0 · 2026-01-15', scope: { services: [], namespaces: [], clusters: [] },
      rangeFrom: new Date(0), rangeTo: new Date(1), generatedAt: new Date(), pdf: Buffer.from('%PDF'), pdfSha256: 'a', bundle: Buffer.from('PK'), bundleSha256: 'b', summary: [],
    });
    await h.db.insert(reportSchedules).values({ id: 'rsch_1', framework: 'soc2', scope: { services: [], namespaces: [], clusters: [] }, cadence: 'weekly', nextRunAt: new Date() });
    await h.db.insert(savedSearches).values({ id: 'ss_1', name: '5xx on checkout', query: 'status:>=500 AND service:shop/checkout', range: { preset: '24h' }, ownerId: 'usr_bob', visibility: 'team' });
    await h.db.insert(adminGrants).values({
      id: 'grant_1', kind: 'promote', email: 'bob@example.test', targetUserId: 'usr_bob', requestedBy: admin.id, requestedByEmail: admin.email,
      requestReason: 'on call', requestedAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000),
    });
    return { tokenId: token.id, detectionId };
  }

  it('names every kind of target with a link to its page, in a query per kind', async () => {
    const { tokenId, detectionId } = await seedTargets();
    const entries = [
      entry('endpoint', 'ep_users'),
      entry('policy', 'pol_users_3'),
      entry('user', 'usr_bob'),
      entry('proxy_token', tokenId),
      entry('detection', detectionId),
      entry('detection_suppression', 'sup_1'),
      entry('detection_allow', 'allow_1'),
      entry('detection_thresholds', '*'),
      entry('detection_thresholds', 'shop/login'),
      entry('report', 'rpt_1'),
      entry('report_schedule', 'rsch_1'),
      entry('saved_search', 'ss_1'),
      entry('admin_grant', 'grant_1'),
      entry('audit_log', null, { filters: {} }),
    ];
    const named = await nameAuditTargets(h.db, entries, admin);
    expect(named.map((n) => n.targets[0] ?? null)).toEqual([
      { id: 'ep_users', label: 'GET /users/{user_id}', detail: 'shop/users', href: '/apis/ep_users' },
      { id: 'pol_users_3', label: 'shop/users revision 3', detail: 'published', href: '/policies/shop/users' },
      { id: 'usr_bob', label: 'bob@example.test', detail: null, href: '/settings/users' },
      { id: tokenId, label: 'edge gateways', detail: expect.stringMatching(/^mwp_[\w-]+…$/), href: '/fleet' },
      { id: detectionId, label: 'credential stuffing', detail: 'shop/login · high', href: `/detections/${detectionId}` },
      { id: 'sup_1', label: 'crawler on shop/search', detail: 'suppressed for ip 66.249.66.1', href: `/detections/${detectionId}` },
      { id: 'allow_1', label: 'cidr 66.249.64.0/19', detail: 'Googlebot', href: '/settings/thresholds' },
      { id: '*', label: 'global thresholds', detail: null, href: '/settings/thresholds' },
      { id: 'shop/login', label: 'thresholds of shop/login', detail: null, href: '/settings/thresholds?scope=shop%2Flogin' },
      { id: 'rpt_1', label: 'PCI DSS v4.0 · 2026-01-15', detail: null, href: '/reports' },
      { id: 'rsch_1', label: 'SOC 2 report, weekly', detail: null, href: '/reports' },
      { id: 'ss_1', label: '5xx on checkout', detail: 'team', href: '/search?saved=ss_1' },
      { id: 'grant_1', label: 'admin request for bob@example.test', detail: 'pending', href: '/settings/users' },
      null,
    ]);

    // the same kinds many times over: still one query per kind, not one per entry
    const many = Array.from({ length: 40 }, (_, i) => [entry('endpoint', i % 2 ? 'ep_users' : 'ep_cart'), entry('user', 'usr_bob'), entry('policy', `pol_gone_${i}`)]).flat();
    const c = counting(h.db);
    const again = await nameAuditTargets(c.db, many, admin);
    expect(c.selects()).toBe(3);
    expect(again[0].targets[0]).toMatchObject({ label: 'POST /cart/{cart_id}/items', detail: 'shop/cart' });
  });

  it('falls back to the id when the target is gone, and links only pages the reader may open', async () => {
    await seedTargets();
    await h.db.insert(savedSearches).values({ id: 'ss_private', name: 'my hunch', query: 'status:401', range: { preset: '1h' }, ownerId: 'usr_bob' });
    const [gone, unknownKind, user, grant, team, hidden] = await nameAuditTargets(h.db, [
      entry('endpoint', 'ep_merged_away'), entry('toString', 'x_1'), entry('user', 'usr_bob'), entry('admin_grant', 'grant_1'),
      entry('saved_search', 'ss_1'), entry('saved_search', 'ss_private'),
    ], auditor);
    expect(gone.targets).toEqual([{ id: 'ep_merged_away', label: null, detail: null, href: null }]);
    expect(unknownKind.targets).toEqual([{ id: 'x_1', label: null, detail: null, href: null }]);
    expect(user.targets[0]).toMatchObject({ label: 'bob@example.test', href: null });
    expect(grant.targets[0]).toMatchObject({ label: 'admin request for bob@example.test', href: null });
    expect(team.targets[0]).toMatchObject({ label: '5xx on checkout', href: '/search?saved=ss_1' });
    expect(hidden.targets[0]).toMatchObject({ label: 'my hunch', detail: 'private', href: null });
    const [own] = await nameAuditTargets(h.db, [entry('saved_search', 'ss_private')], { id: 'usr_bob', role: 'analyst' });
    expect(own.targets[0].href).toBe('/search?saved=ss_private');
  });

  it('names the endpoints of a decision on many, the first few, and counts the rest', async () => {
    await seedTargets();
    const ids = ['ep_users', 'ep_gone', 'ep_cart', ...Array.from({ length: 6 }, (_, i) => `ep_more_${i}`)];
    const [decision] = await nameAuditTargets(h.db, [entry('endpoint', null, { targets: ids, state: 'approved' })], admin);
    expect(decision.targets).toHaveLength(MAX_TARGETS_SHOWN);
    expect(decision.targets.slice(0, 3).map((t) => t.label)).toEqual(['GET /users/{user_id}', null, 'POST /cart/{cart_id}/items']);
    expect(decision.moreTargets).toBe(ids.length - MAX_TARGETS_SHOWN);
  });

  it('a page of the log comes with its targets named; an auditor reads it, and that read is audited under their role', async () => {
    await seedAccounts(h.db, admin, auditor);
    const ctx = ctxFor(h.db, admin);
    const token = await createProxyToken(ctx, { name: 'cluster-a sidecars', services: ['shop/*'] });
    await revokeProxyToken(ctx, { tokenId: token.id, reason: 'rotated' });
    const made = await createUser(ctx, { email: 'carol@example.test', name: 'Carol', role: 'viewer' });
    if (made.kind !== 'created') throw new Error('expected an account');
    await setUserRole(ctx, { userId: made.user.id, role: 'auditor', reason: 'joins internal audit' });

    const page = await listAudit(ctxFor(h.db, auditor), { limit: 10 });
    const byAction = Object.fromEntries(page.items.map((e) => [e.action, e]));
    expect(byAction['proxy_token.revoke'].targets).toEqual([{ id: token.id, label: 'cluster-a sidecars', detail: expect.stringMatching(/revoked$/), href: '/fleet' }]);
    expect(byAction['user.set_role'].targets).toEqual([{ id: made.user.id, label: 'carol@example.test', detail: 'Carol', href: null }]);
    expect(byAction['user.set_role'].after).toEqual({ role: 'auditor' });

    const [read] = await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(read).toMatchObject({ action: 'audit.read', actorEmail: auditor.email, actorRole: 'auditor' });
    expect(await h.db.select().from(auditLog).where(eq(auditLog.action, 'audit.read'))).toHaveLength(1);
  });
});
