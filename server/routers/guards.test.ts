import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, endpoints, users } from '@/db/schema';
import { ROLES, type Role } from '@/lib/enums';
import { can, PERMISSIONS, rolesPhrase, type Permission } from '@/lib/permissions';
import { templateKey } from '@/server/discovery/template';
import { approveRevision, generateDraft, publishRevision } from '@/server/policy/lifecycle';
import type { Actor } from '@/server/context';
import { createProxyToken } from '@/server/fleet/tokens';
import { hashPassword } from '@/server/auth/password';
import { actor, ctxFor, describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import type { TrpcContext } from '@/server/trpc';
import { createUser } from '@/server/users/manage';
import { addAllowEntry } from '@/server/detection/allow-list';
import { setThresholds } from '@/server/detection/thresholds';
import { DEFAULT_CLUSTER_SETTINGS, setClusterSettings } from '@/server/policy/cluster-settings';
import { DEFAULT_CLASSIFIER_SET } from '@/server/classifiers/model';
import { publishClassifiers } from '@/server/classifiers/revisions';
import { markFalsePositive } from '@/server/detection/triage';
import { DEFAULT_THRESHOLDS } from '@/server/detection/types';
import { seedDetection } from '@/server/testing/detections';
import { createSchedule } from '@/server/reports/schedules';
import { createSavedSearch } from '@/server/search/saved';
import { appRouter, createCaller } from './index';

type Procedure = { _def: { type: 'query' | 'mutation' | 'subscription'; meta?: { permission?: Permission | 'signed_in' } } };
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures;

/** Who reads the views (SPEC "Roles"): every role, the auditor included. */
const VIEWS: Role[] = ['viewer', 'analyst', 'admin', 'auditor'];
/** Who changes what analysts change: triage, review, drafts, saved searches, exports, reports. */
const ANALYSTS: Role[] = ['analyst', 'admin'];
const ADMINS: Role[] = ['admin'];
/** Who reads the audit log (PCI-DSS 10.3.1 need-to-know). */
const AUDIT_READERS: Role[] = ['admin', 'auditor'];

/**
 * Who may call what, written out by hand as the roles allowed: the router's own declarations
 * (each names a permission of lib/permissions.ts) are checked against this table, so a procedure
 * that loses (or never had) its guard, or a permission that gains a role, fails here.
 */
const EXPECTED: Record<string, Role[] | 'signed_in'> = {
  'session.me': 'signed_in',
  'session.changePassword': 'signed_in',
  'session.list': 'signed_in',
  'session.signOutEverywhere': 'signed_in',
  'users.list': ADMINS,
  'users.create': ADMINS,
  'users.setRole': ADMINS,
  'users.setDisabled': ADMINS,
  'users.resetPassword': ADMINS,
  'users.signInLocks': ADMINS,
  'users.unlock': ADMINS,
  'users.grants': ADMINS,
  'users.decideGrant': ADMINS,
  'fleet.proxies': VIEWS,
  'fleet.tokens': VIEWS,
  'fleet.identityGaps': VIEWS,
  'fleet.createToken': ADMINS,
  'fleet.revokeToken': ADMINS,
  'audit.list': AUDIT_READERS,
  'audit.verify': AUDIT_READERS,
  'graph.topology': VIEWS,
  'graph.node': VIEWS,
  'graph.edge': VIEWS,
  'overview.stats': VIEWS,
  'overview.series': VIEWS,
  'overview.topTalkers': VIEWS,
  'overview.topTokens': VIEWS,
  'overview.fleetHealth': VIEWS,
  'dataflow.classes': VIEWS,
  'dataflow.matrix': VIEWS,
  'dataflow.flows': VIEWS,
  'dataflow.token': VIEWS,
  'dataflow.tokenIdentity': VIEWS,
  'apis.services': VIEWS,
  'apis.list': VIEWS,
  'apis.get': VIEWS,
  'apis.review': ANALYSTS,
  'apis.renameParam': ANALYSTS,
  'apis.merge': ANALYSTS,
  'apis.split': ANALYSTS,
  'apis.openApi': ANALYSTS,
  'apis.learnNow': ANALYSTS,
  'policies.services': VIEWS,
  'policies.service': VIEWS,
  'policies.diff': VIEWS,
  'policies.rollout': VIEWS,
  'policies.shadow': ANALYSTS,
  'policies.generate': ANALYSTS,
  'policies.edit': ANALYSTS,
  'policies.denyActor': ANALYSTS,
  'policies.discard': ANALYSTS,
  'policies.discardApproved': ADMINS,
  'policies.approve': ADMINS,
  'policies.publish': ADMINS,
  'policies.rollbackPreview': ADMINS,
  'policies.rollback': ADMINS,
  'detections.list': VIEWS,
  'detections.get': VIEWS,
  'detections.actors': VIEWS,
  'detections.summary': VIEWS,
  'detections.suppressions': VIEWS,
  'detections.assignees': ANALYSTS,
  'detections.triage': ANALYSTS,
  'detections.falsePositive': ANALYSTS,
  'detections.assign': ANALYSTS,
  'detections.liftSuppression': ANALYSTS,
  'detections.mitigate': ANALYSTS,
  'thresholds.list': VIEWS,
  'thresholds.backtest': ADMINS,
  'thresholds.set': ADMINS,
  'thresholds.remove': ADMINS,
  'thresholds.allowList': VIEWS,
  'thresholds.addAllow': ADMINS,
  'thresholds.removeAllow': ADMINS,
  'classifiers.current': VIEWS,
  'classifiers.history': VIEWS,
  'classifiers.try': ANALYSTS,
  'classifiers.impact': ANALYSTS,
  'classifiers.publish': ADMINS,
  'classifiers.republish': ADMINS,
  'clusters.list': VIEWS,
  'clusters.preview': VIEWS,
  'clusters.set': ADMINS,
  'clusters.remove': ADMINS,
  'search.events': VIEWS,
  'search.histogram': VIEWS,
  'search.values': VIEWS,
  'search.fields': VIEWS,
  'search.saved.list': VIEWS,
  'search.saved.get': VIEWS,
  'search.saved.create': ANALYSTS,
  'search.saved.update': ANALYSTS,
  'search.saved.remove': ANALYSTS,
  'reports.list': VIEWS,
  'reports.get': VIEWS,
  'reports.generate': ANALYSTS,
  'reports.schedules.list': VIEWS,
  'reports.schedules.create': ANALYSTS,
  'reports.schedules.delete': ANALYSTS,
};

const allowed = (path: string, role: Role) => EXPECTED[path] === 'signed_in' || (EXPECTED[path] ?? []).includes(role);
/** The roles a declared permission lets in, in ROLES order. */
const rolesOf = (permission: Permission | 'signed_in' | undefined) =>
  permission === undefined ? undefined : permission === 'signed_in' ? 'signed_in' : ROLES.filter((r) => (PERMISSIONS[permission] as readonly Role[]).includes(r));
const inOrder = (roles: Role[] | 'signed_in') => (roles === 'signed_in' ? roles : ROLES.filter((r) => roles.includes(r)));

function call(ctx: TrpcContext, path: string, input: unknown): Promise<unknown> {
  let fn: unknown = createCaller(ctx);
  for (const part of path.split('.')) fn = (fn as Record<string, unknown>)[part];
  return (fn as (i: unknown) => Promise<unknown>)(input);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return e instanceof TRPCError ? e.code : `THROWN ${(e as Error).message}`;
  }
}

it('every procedure in the router declares who may call it, as the table says', () => {
  const declared = Object.fromEntries(Object.entries(procedures).map(([path, p]) => [path, rolesOf(p._def.meta?.permission)]));
  expect(declared).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([path, roles]) => [path, inOrder(roles)])));
});

it('the permission table is SPEC "Roles", role by role, and its messages name the roles', () => {
  const held = Object.fromEntries(ROLES.map((r) => [r, (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(r, p))]));
  expect(held).toEqual({
    viewer: ['read'],
    analyst: ['read', 'downloadReports', 'analyse'],
    admin: ['read', 'readAudit', 'downloadReports', 'analyse', 'administer'],
    // the views, the audit log and the report files; nothing that changes anything
    auditor: ['read', 'readAudit', 'downloadReports'],
  });
  expect(rolesPhrase('administer')).toBe('the admin role');
  expect(rolesPhrase('readAudit')).toBe('the admin or auditor role');
  expect(rolesPhrase('downloadReports')).toBe('the analyst, admin or auditor role');
});

it('the auditor changes nothing: no mutation lets them in but their own password and sessions', () => {
  const mutations = Object.entries(procedures).filter(([, p]) => p._def.type === 'mutation');
  const theirs = mutations.filter(([, p]) => p._def.meta?.permission === 'signed_in').map(([path]) => path).sort();
  expect(theirs).toEqual(['session.changePassword', 'session.signOutEverywhere']);
  for (const [path, p] of mutations) {
    if (p._def.meta?.permission === 'signed_in') continue;
    expect(`${path}: ${rolesOf(p._def.meta?.permission)}`).not.toMatch(/auditor/);
  }
});

/** Queries whose input cannot be left out; the others are called without one. */
const QUERY_INPUTS: Record<string, unknown> = {
  'audit.list': {},
  'graph.node': { service: 'shop/cart' },
  'graph.edge': { src: 'web/frontend', dst: 'shop/cart' },
  'overview.stats': { range: { preset: '1h' } },
  'overview.series': { range: { preset: '1h' } },
  'overview.topTalkers': { range: { preset: '1h' } },
  'overview.topTokens': { range: { preset: '1h' } },
  'dataflow.classes': { range: { preset: '1h' } },
  'dataflow.matrix': { range: { preset: '1h' }, dimension: 'token' },
  'dataflow.flows': { range: { preset: '1h' } },
  'dataflow.token': { range: { preset: '1h' }, tokenId: 'tok_guard' },
  'dataflow.tokenIdentity': { range: { preset: '1h' }, tokenId: 'tok_guard' },
  'apis.list': {},
  'apis.get': { id: 'ep_guard' },
  'apis.openApi': { service: 'shop/users' },
  'policies.service': { service: 'shop/users' },
  'policies.diff': { service: 'shop/users', from: 0, to: 1 },
  'policies.shadow': { id: 'pol_guard' },
  'policies.rollbackPreview': { service: 'shop/users', revision: 1 },
  'detections.list': {},
  'detections.get': { id: 'det_guard' },
  'search.saved.get': { id: 'ss_guard' },
  'reports.list': {},
  'reports.get': { id: 'rpt_guard' },
  'detections.actors': { id: 'det_guard' },
  'detections.summary': {},
  'thresholds.backtest': { service: '*', candidate: DEFAULT_THRESHOLDS, hours: 24 },
  'clusters.preview': { settings: DEFAULT_CLUSTER_SETTINGS, services: ['shop/web'] },
  'search.events': { q: 'status:500', from: new Date(Date.now() - 3_600_000), to: new Date() },
  'search.histogram': { q: '', from: new Date(Date.now() - 3_600_000), to: new Date() },
  'search.values': { field: 'service', from: new Date(Date.now() - 3_600_000), to: new Date() },
};

/** What a query answers once past its guard, where the input names nothing that exists. */
const SERVED: Record<string, string> = { 'search.saved.get': 'NOT_FOUND', 'reports.get': 'NOT_FOUND', 'detections.get': 'NOT_FOUND', 'apis.get': 'NOT_FOUND', 'policies.diff': 'NOT_FOUND', 'policies.shadow': 'NOT_FOUND', 'policies.rollbackPreview': 'NOT_FOUND' };

/** A valid input for each mutation, made against the database as it stands for one call. */
const FIXTURES: Record<string, (h: Harness, caller: Actor) => Promise<unknown>> = {
  'session.changePassword': async (h, caller) => {
    await h.db.insert(users).values({ id: caller.id, email: caller.email, role: caller.role, passwordHash: await hashPassword('old-password-123') });
    return { current: 'old-password-123', next: 'new-password-456' };
  },
  'users.create': async () => ({ email: `new-${Math.random().toString(36).slice(2)}@example.test`, role: 'viewer' }),
  'users.setRole': async (h) => ({ userId: await someUser(h), role: 'analyst', reason: 'matrix test' }),
  'users.setDisabled': async (h) => ({ userId: await someUser(h), disabled: true, reason: 'matrix test' }),
  'users.resetPassword': async (h) => ({ userId: await someUser(h), reason: 'matrix test' }),
  'users.unlock': async (h) => ({ userId: await someUser(h), reason: 'matrix test' }),
  'session.signOutEverywhere': async () => ({}),
  'users.decideGrant': async (h) => {
    const asker = { id: `usr_asker${Math.random().toString(36).slice(2)}`, email: `asker-${Math.random().toString(36).slice(2)}@example.test`, role: 'admin' as const };
    await seedAccounts(h.db, asker, { id: 'usr_other_admin', email: 'other-admin@example.test', role: 'admin' });
    const r = await createUser(ctxFor(h.db, asker), { email: `wanted-${Math.random().toString(36).slice(2)}@example.test`, name: '', role: 'admin', reason: 'matrix test' });
    if (r.kind !== 'grant_requested') throw new Error('expected an admin request');
    return { grantId: r.grant.id, decision: 'approve', reason: 'matrix test' };
  },
  'fleet.createToken': async () => ({ name: 'matrix', services: ['shop/*'] }),
  'search.saved.create': async (h, caller) => {
    await seedAccounts(h.db, caller);
    return { name: `matrix ${Math.random().toString(36).slice(2)}`, query: 'status:500', range: { preset: '1h' } };
  },
  'search.saved.update': async (h, caller) => {
    await seedAccounts(h.db, caller);
    return { id: (await createSavedSearch(ctxFor(h.db, caller), { name: `matrix ${Math.random().toString(36).slice(2)}`, query: '', range: { preset: '1h' } })).id, visibility: 'team' };
  },
  'search.saved.remove': async (h, caller) => {
    await seedAccounts(h.db, caller);
    return { id: (await createSavedSearch(ctxFor(h.db, caller), { name: `matrix ${Math.random().toString(36).slice(2)}`, query: '', range: { preset: '1h' } })).id };
  },
  'reports.generate': async (h, caller) => {
    await seedAccounts(h.db, caller);
    return { framework: 'pci_dss_v4', from: new Date(Date.now() - 3_600_000), to: new Date() };
  },
  'reports.schedules.create': async (h, caller) => {
    await seedAccounts(h.db, caller);
    return { framework: 'soc2', cadence: 'daily' };
  },
  'reports.schedules.delete': async (h, caller) => {
    await seedAccounts(h.db, caller);
    return { id: (await createSchedule(ctxFor(h.db, caller), { framework: 'soc2', cadence: 'daily' })).id };
  },
  'fleet.revokeToken': async (h) => ({ tokenId: (await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'to-revoke', services: ['*'] })).id, reason: 'matrix test' }),
  'apis.review': async (h) => ({ ids: [await someEndpoint(h)], decision: 'approve', reason: 'matrix test' }),
  'apis.renameParam': async (h) => ({ id: await someEndpoint(h), from: 'user_id', to: 'owner' }),
  'apis.merge': async (h) => {
    const service = `shop/m${Math.random().toString(36).slice(2)}`;
    return { ids: [await someEndpoint(h, '/users/alice', service), await someEndpoint(h, '/users/bob', service)], reason: 'matrix test' };
  },
  'apis.split': async (h) => ({ id: await someEndpoint(h), param: 'user_id', value: 'me', reason: 'matrix test' }),
  'apis.learnNow': async () => ({}),
  'policies.generate': async (h) => ({ service: await approvedService(h), reason: 'matrix test' }),
  'policies.edit': async (h) => ({ id: (await revisionIn(h, 'draft')).id, addDeny: [{ kind: 'user', value: 'mallory', reason: 'matrix test' }], reason: 'matrix test' }),
  'policies.discard': async (h) => ({ id: (await revisionIn(h, 'draft')).id, reason: 'matrix test' }),
  'policies.denyActor': async (h) => ({ service: (await revisionIn(h, 'published')).service, actor: { kind: 'token', value: 'tok_matrix' }, expiresAt: inDays(1), reason: 'matrix test' }),
  'policies.discardApproved': async (h) => ({ id: (await revisionIn(h, 'approved')).id, reason: 'matrix test' }),
  'policies.approve': async (h, caller) => {
    await seedAccounts(h.db, caller);
    const r = await revisionIn(h, 'draft');
    return { id: r.id, sha256: r.sha256, reason: 'matrix test' };
  },
  'policies.publish': async (h) => ({ id: (await revisionIn(h, 'approved')).id, reason: 'matrix test' }),
  'policies.rollback': async (h) => {
    const first = await revisionIn(h, 'published');
    const second = await revisionIn(h, 'published', first.service);
    return { service: second.service, revision: first.revision, reason: 'matrix test' };
  },
  'detections.triage': async (h, caller) => {
    // acknowledging assigns the detection to whoever acknowledged it: an account
    await seedAccounts(h.db, caller);
    return { id: (await seedDetection(h.db)).id, to: 'acknowledged', reason: 'matrix test' };
  },
  'detections.falsePositive': async (h) => ({ id: (await seedDetection(h.db)).id, scope: 'rule', expiresAt: inDays(7), reason: 'matrix test' }),
  'detections.assign': async (h) => {
    await seedAccounts(h.db, { id: 'usr_assignee', email: 'assignee@example.test', role: 'analyst' });
    return { id: (await seedDetection(h.db)).id, assigneeId: 'usr_assignee' };
  },
  'detections.liftSuppression': async (h) => {
    const { id, detection } = await seedDetection(h.db);
    const r = await markFalsePositive(ctxFor(h.db, actor('analyst', 'usr_fp')), { id, scope: 'actor', actor: detection.actors[0], expiresAt: inDays(7), reason: 'matrix' });
    return { id: r.suppression!.id, reason: 'matrix test' };
  },
  'detections.mitigate': async (h) => {
    const policy = await revisionIn(h, 'published');
    const { id } = await seedDetection(h.db, { service: policy.service, actors: [{ type: 'ip', id: '203.0.113.9' }] });
    return { id, actor: { type: 'ip', id: '203.0.113.9' }, expiresAt: inDays(7), reason: 'matrix test' };
  },
  'thresholds.set': async () => ({ service: '*', thresholds: { ...DEFAULT_THRESHOLDS, alert: 70 }, reason: 'matrix test' }),
  'thresholds.remove': async (h) => {
    await setThresholds(ctxFor(h.db, actor('admin', 'usr_setter')), { service: 'shop/login', thresholds: DEFAULT_THRESHOLDS, reason: 'matrix' });
    return { service: 'shop/login', reason: 'matrix test' };
  },
  'classifiers.try': async () => ({ document: DEFAULT_CLASSIFIER_SET, body: '{"pan":"4111 1111 1111 1111"}', direction: 'response' }),
  'classifiers.impact': async () => ({ document: DEFAULT_CLASSIFIER_SET, range: '24h' }),
  'classifiers.publish': async () => ({ document: DEFAULT_CLASSIFIER_SET, basedOn: 0, reason: 'matrix test' }),
  'classifiers.republish': async (h) => {
    const r = await publishClassifiers(ctxFor(h.db, actor('admin', 'usr_setter')), { document: DEFAULT_CLASSIFIER_SET, basedOn: 0, reason: 'matrix' });
    return { revision: r.revision, basedOn: r.revision, reason: 'matrix test' };
  },
  'clusters.set': async () => ({ cluster: 'prod-eu', settings: { ...DEFAULT_CLUSTER_SETTINGS, trustDomain: 'prod.example' }, reason: 'matrix test' }),
  'clusters.remove': async (h) => {
    await setClusterSettings(ctxFor(h.db, actor('admin', 'usr_setter')), { cluster: 'prod-us', settings: DEFAULT_CLUSTER_SETTINGS, reason: 'matrix' });
    return { cluster: 'prod-us', reason: 'matrix test' };
  },
  'thresholds.addAllow': async () => ({ type: 'cidr', value: '66.249.64.0/19', note: 'Googlebot ranges', reason: 'matrix test' }),
  'thresholds.removeAllow': async (h) => {
    const row = await addAllowEntry(ctxFor(h.db, actor('admin', 'usr_setter')), { type: 'ip', value: '198.51.100.4', note: 'uptime monitor', reason: 'matrix' });
    return { id: row.id, reason: 'matrix test' };
  },
};

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000);

/** Mutations that change no security posture, so write no audit entry, and why. */
const NOT_POSTURE: Record<string, string> = {
  'apis.learnNow': 'writes what discovery learned from traffic (evidence); decisions on it are audited by apis.review',
  'classifiers.try': 'changes nothing: runs a pasted body through a draft set (a mutation only because the body is too big for a URL)',
  'classifiers.impact': 'changes nothing: measures a draft set against past findings (a mutation only because the draft is too big for a URL)',
};

const auditRows = async (h: Harness) => (await h.db.select({ n: count() }).from(auditLog))[0].n;

async function approvedService(h: Harness): Promise<string> {
  const service = `shop/p${Math.random().toString(36).slice(2)}`;
  await h.db.insert(endpoints).values({ id: `ep_${service}`, service, method: 'GET', template: '/x', templateKey: '/x', state: 'approved', callers: { 'shop/web': 1 } });
  return service;
}

/** A revision in `state`, made by someone other than any caller of the matrix (so they may approve it). */
async function revisionIn(h: Harness, state: 'draft' | 'approved' | 'published', service?: string) {
  const author = ctxFor(h.db, { id: 'usr_author', email: 'author@example.test', role: 'analyst' });
  const approver = ctxFor(h.db, { id: 'usr_approver', email: 'approver@example.test', role: 'admin' });
  // two enabled admins, so that approvals are possible at all (two-person rule)
  await seedAccounts(h.db, approver.actor!, { id: 'usr_second_admin', email: 'second-admin@example.test', role: 'admin' });
  const r = await generateDraft(author, { service: service ?? (await approvedService(h)), reason: 'matrix' });
  if (state === 'draft') return r;
  const a = await approveRevision(approver, { id: r.id, sha256: r.sha256, reason: 'matrix' });
  if (state === 'approved') return a;
  return publishRevision(approver, { id: r.id, reason: 'matrix' });
}

async function someEndpoint(h: Harness, template = '/users/{user_id}', service?: string): Promise<string> {
  const id = `ep_${Math.random().toString(36).slice(2)}`;
  await h.db.insert(endpoints).values({ id, service: service ?? `shop/${id}`, method: 'GET', template, templateKey: templateKey(template) });
  return id;
}

async function someUser(h: Harness): Promise<string> {
  const r = await createUser(ctxFor(h.db, null), { email: `target-${Math.random().toString(36).slice(2)}@example.test`, name: '', role: 'viewer' });
  if (r.kind !== 'created') throw new Error('expected an account');
  return r.user.id;
}

describeEachEngine('authorisation', (h) => {
  const ctx = (who: Actor | null, sameOrigin = true): TrpcContext => ({ ...ctxFor(h.db, who), sameOrigin });

  it('refuses every procedure without a session (UNAUTHORIZED), whatever the input', async () => {
    for (const [path, p] of Object.entries(procedures)) {
      const input = p._def.type === 'mutation' ? {} : undefined;
      expect(`${path}: ${await codeOf(call(ctx(null), path, input))}`).toBe(`${path}: UNAUTHORIZED`);
    }
  });

  it('refuses queries to roles their guard leaves out (FORBIDDEN) and serves the others', async () => {
    for (const [path, p] of Object.entries(procedures)) {
      if (p._def.type !== 'query') continue;
      for (const role of ROLES) {
        const input = QUERY_INPUTS[path];
        const got = await codeOf(call(ctx(actor(role)), path, input));
        expect(`${path} as ${role}: ${got}`).toBe(`${path} as ${role}: ${allowed(path, role) ? (SERVED[path] ?? 'OK') : 'FORBIDDEN'}`);
      }
    }
  });

  it('has a fixture for every mutation', () => {
    const mutations = Object.entries(procedures).filter(([, p]) => p._def.type === 'mutation').map(([path]) => path);
    expect(Object.keys(FIXTURES).sort()).toEqual(mutations.sort());
  });

  for (const [path, fixture] of Object.entries(FIXTURES)) {
    for (const role of [...ROLES, null] as const) {
      const expected = role === null ? 'UNAUTHORIZED' : allowed(path, role) ? 'OK' : 'FORBIDDEN';
      it(`${path} as ${role ?? 'nobody'} → ${expected}`, async () => {
        const who = role ? actor(role, `usr_matrix_${role}`) : null;
        const input = await fixture(h, who ?? actor('viewer', 'usr_nobody'));
        const before = await auditRows(h);
        expect(await codeOf(call(ctx(who), path, input))).toBe(expected);
        // a change to security posture writes exactly one audit entry; a refused call none
        const written = (await auditRows(h)) - before;
        expect(`${path}: ${written} audit entries`).toBe(`${path}: ${expected === 'OK' && !(path in NOT_POSTURE) ? 1 : 0} audit entries`);
      });
    }
  }

  it('refuses a mutation from another origin even for an admin, and still serves queries', async () => {
    expect(await codeOf(call(ctx(actor('admin'), false), 'fleet.createToken', { name: 'x', services: ['*'] }))).toBe('FORBIDDEN');
    expect(await codeOf(call(ctx(actor('admin'), false), 'fleet.tokens', undefined))).toBe('OK');
  });

  it('maps domain errors to their tRPC code with a readable message', async () => {
    const admin = actor('admin');
    const err = await call(ctx(admin), 'users.setRole', { userId: 'usr_missing', role: 'viewer', reason: 'nope' }).catch((e) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'No such user' });
    const bad = await call(ctx(admin), 'users.create', { email: 'not-an-email', role: 'viewer' }).catch((e) => e);
    expect(bad).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
