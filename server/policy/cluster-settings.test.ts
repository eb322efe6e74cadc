import { desc } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Database } from '@/db/client';
import { auditLog, endpoints, proxies } from '@/db/schema';
import { templateKey } from '@/server/discovery/template';
import { createProxyToken } from '@/server/fleet/tokens';
import type { Runtime } from '@/server/runtime';
import { actor, ctxFor, describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import { testRuntime } from '@/server/testing/runtime';
import type { BundleEnvelope } from './bundle';
import {
  DEFAULT_CLUSTER_SETTINGS, listClusterSettings, previewClusterSettings, removeClusterSettings, removeClusterSettingsInput,
  setClusterSettings, setClusterSettingsInput, settingsForCluster, type ClusterCompileSettings,
} from './cluster-settings';
import { handleBundle } from './http';
import { approveRevision, generateDraft, publishRevision } from './lifecycle';

const admin = actor('admin');
const bookinfo: ClusterCompileSettings = {
  trustDomain: 'prod.example',
  serviceAccountTemplate: 'bookinfo-{name}',
  serviceAccounts: {},
  selectorLabels: { app: '{name}', version: 'v1' },
  istioDryRun: true,
  istioAttach: 'workload',
};
const lastAudit = async (h: Harness) => (await h.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0];

describeEachEngine('per-cluster compile settings', (h) => {
  const ctx = () => ctxFor(h.db, admin);

  it('falls back from the cluster to * to the defaults; changes are audited with before and after', async () => {
    expect(await settingsForCluster(h.db, 'prod-eu')).toEqual({ from: null, settings: DEFAULT_CLUSTER_SETTINGS });
    await setClusterSettings(ctx(), { cluster: '*', settings: { ...DEFAULT_CLUSTER_SETTINGS, trustDomain: 'corp.example' }, reason: 'one mesh-wide trust domain' });
    expect(await lastAudit(h)).toMatchObject({
      action: 'policy.cluster_settings.set', targetId: '*', actorEmail: admin.email, reason: 'one mesh-wide trust domain',
      before: { defaults: DEFAULT_CLUSTER_SETTINGS }, after: { trustDomain: 'corp.example' },
    });
    await setClusterSettings(ctx(), { cluster: 'prod-eu', settings: bookinfo, reason: 'bookinfo accounts' });
    expect(await settingsForCluster(h.db, 'prod-eu')).toEqual({ from: 'prod-eu', settings: bookinfo });
    expect((await settingsForCluster(h.db, 'prod-us')).from).toBe('*');
    expect((await settingsForCluster(h.db, null)).settings.trustDomain).toBe('corp.example');

    await setClusterSettings(ctx(), { cluster: 'prod-eu', settings: { ...bookinfo, istioDryRun: false }, reason: 'enforce now' });
    expect(await lastAudit(h)).toMatchObject({ before: bookinfo, after: { ...bookinfo, istioDryRun: false } });

    await h.db.insert(proxies).values([
      { id: 'px1', tokenId: 't', cluster: 'prod-eu', firstSeenAt: new Date(), lastSeenAt: new Date() },
      { id: 'px2', tokenId: 't', cluster: 'prod-eu', firstSeenAt: new Date(), lastSeenAt: new Date() },
      { id: 'px3', tokenId: 't', cluster: 'staging', firstSeenAt: new Date(), lastSeenAt: new Date() },
    ]);
    const listed = await listClusterSettings(ctx());
    expect(listed.every?.settings.trustDomain).toBe('corp.example');
    expect(listed.rows.map((r) => [r.cluster, r.updatedBy])).toEqual([['prod-eu', admin.email]]);
    expect(listed.known).toEqual([{ cluster: 'prod-eu', proxies: 2, own: true }, { cluster: 'staging', proxies: 1, own: false }]);

    await removeClusterSettings(ctx(), { cluster: 'prod-eu', reason: 'back to the mesh-wide row' });
    expect(await lastAudit(h)).toMatchObject({ action: 'policy.cluster_settings.remove', before: { ...bookinfo, istioDryRun: false }, after: null });
    expect((await settingsForCluster(h.db, 'prod-eu')).from).toBe('*');
    await expect(removeClusterSettings(ctx(), { cluster: 'prod-eu', reason: 'again' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses settings that would compile to names Kubernetes or SPIFFE refuse, with a message that says which', () => {
    const bad = (settings: object, cluster = 'prod-eu') => {
      const r = setClusterSettingsInput.safeParse({ cluster, settings: { ...DEFAULT_CLUSTER_SETTINGS, ...settings }, reason: 'test' });
      return r.success ? null : r.error.issues.map((i) => i.message).join('; ');
    };
    expect(bad({})).toBeNull();
    expect(bad({ trustDomain: 'Prod.Example' })).toMatch(/trust domain is lower-case/);
    expect(bad({ trustDomain: 'td\nx' })).toMatch(/trust domain/);
    expect(bad({ serviceAccountTemplate: 'sa-{service}' })).toMatch(/Only \{namespace\} and \{name\}/);
    expect(bad({ serviceAccountTemplate: 'Bookinfo_{name}' })).toMatch(/service account name/);
    expect(bad({ serviceAccounts: { 'shop/web': 'web\nsa' } })).toMatch(/A service account is/);
    expect(bad({ serviceAccounts: { web: 'web-sa' } })).toMatch(/namespace\/name/);
    expect(bad({ selectorLabels: {} })).toMatch(/at least one selector label/);
    expect(bad({ selectorLabels: { 'bad key': '{name}' } })).toMatch(/label key/);
    expect(bad({ selectorLabels: { app: '{name}\tx' } })).toMatch(/label value/);
    expect(bad({ selectorLabels: { app: 'x'.repeat(70) } })).toMatch(/label value/);
    expect(bad({}, 'prod eu')).toMatch(/A cluster is/);
    expect(bad({}, 'prod\neu')).toMatch(/A cluster is/);
    expect(removeClusterSettingsInput.safeParse({ cluster: '*', reason: 'gone' }).success).toBe(false);
  });

  it('previews what the settings make of services before they are saved', () => {
    expect(previewClusterSettings({ settings: bookinfo, services: ['bookinfo/reviews', 'web', `bookinfo/${'r'.repeat(30)}.${'r'.repeat(40)}`] })).toEqual([
      { service: 'bookinfo/reviews', principal: 'spiffe://prod.example/ns/bookinfo/sa/bookinfo-reviews', selector: { app: 'reviews', version: 'v1' }, problem: null },
      { service: 'web', principal: null, selector: null, problem: 'not a namespace/name service' },
      { service: `bookinfo/${'r'.repeat(30)}.${'r'.repeat(40)}`, principal: expect.any(String), selector: null, problem: expect.stringMatching(/label app would be/) },
    ]);
  });
});

describeEachEngine('bundles compiled with the cluster settings', (h) => {
  let rt: Runtime;
  let token: string;
  const get = (path: string) => handleBundle(new Request(`http://console/api/fleet/v1/bundles/${path}`, { headers: { authorization: `Bearer ${token}` } }), rt);

  beforeEach(async () => {
    rt = testRuntime(h.database as Database);
    token = (await createProxyToken(ctxFor(h.db, admin), { name: 'edge', services: ['*'] })).token;
  });
  afterEach(() => rt.shutdown());

  it('a proxy naming its cluster gets that cluster’s principals, selector and dry-run; a change is a new ETag', async () => {
    const S = 'bookinfo/reviews';
    await h.db.insert(endpoints).values({ id: 'ep_r', service: S, method: 'GET', template: '/reviews/{id}', templateKey: templateKey('/reviews/{id}'), state: 'approved', callers: { 'bookinfo/productpage': 1 } });
    const d = await generateDraft(ctxFor(h.db, actor('analyst')), { service: S, reason: 'draft' });
    const bob = { id: 'usr_b', email: 'bob@example.test', role: 'admin' as const };
    await seedAccounts(h.db, bob, admin);
    await approveRevision(ctxFor(h.db, bob), { id: d.id, sha256: d.sha256, reason: 'ok' });
    await publishRevision(ctxFor(h.db, bob), { id: d.id, reason: 'ship' });

    const stock = (await (await get(`${S}?format=istio`)).json()) as BundleEnvelope;
    expect(stock.content).toContain('cluster.local/ns/bookinfo/sa/productpage');
    expect(stock.content).not.toContain('istio.io/dry-run');

    await setClusterSettings(ctxFor(h.db, admin), { cluster: 'prod-eu', settings: bookinfo, reason: 'bookinfo accounts' });
    const r = await get(`${S}?format=istio&cluster=prod-eu`);
    const eu = (await r.json()) as BundleEnvelope;
    expect(eu.revision).toBe(stock.revision);
    expect(eu.content).toContain('prod.example/ns/bookinfo/sa/bookinfo-productpage');
    expect(eu.content).toContain('istio.io/dry-run: "true"');
    expect(eu.content).toMatch(/version: v1/);
    expect(r.headers.get('etag')).not.toBe(`"r${stock.revision}-${stock.sha256.slice(0, 32)}"`);
    // another cluster, and a proxy that names none, keep the defaults
    expect(((await (await get(`${S}?format=istio&cluster=staging`)).json()) as BundleEnvelope).sha256).toBe(stock.sha256);
    const envoy = (await (await get(`${S}?format=envoy-rbac&cluster=prod-eu`)).json()) as BundleEnvelope;
    expect(envoy.content).toContain('spiffe://prod.example/ns/bookinfo/sa/bookinfo-productpage');

    const bad = await get(`${S}?format=istio&cluster=${encodeURIComponent('prod\neu')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: expect.stringMatching(/`cluster` is the cluster the proxy runs in/) });
  });
});
