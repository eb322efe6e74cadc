import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Database } from '@/db/client';
import { endpoints } from '@/db/schema';
import { templateKey } from '@/server/discovery/template';
import { createProxyToken } from '@/server/fleet/tokens';
import type { Runtime } from '@/server/runtime';
import { actor, ctxFor, describeEachEngine, seedAccounts, type Harness } from '@/server/testing/db';
import { testRuntime } from '@/server/testing/runtime';
import type { BundleEnvelope } from './bundle';
import { handleBundle, handleSigningKey } from './http';
import { approveRevision, generateDraft, publishRevision } from './lifecycle';
import { BUNDLE_TTL_S, verifyBundle } from './signing';

const S = 'shop/users';
const bob = { id: 'usr_b', email: 'bob@example.test', role: 'admin' as const };
const adminB = (h: Harness) => ctxFor(h.db, bob);
// approvals need two enabled admins (two-person rule)
const seedAdmins = (h: Harness) => seedAccounts(h.db, bob, actor('admin'));

async function publish(h: Harness, template: string) {
  await h.db.insert(endpoints).values({ id: `ep_${template}`, service: S, method: 'GET', template, templateKey: templateKey(template), state: 'approved', callers: { 'shop/web': 1 } });
  const d = await generateDraft(ctxFor(h.db, actor('analyst')), { service: S, reason: 'draft' });
  await seedAdmins(h);
  await approveRevision(adminB(h), { id: d.id, sha256: d.sha256, reason: 'ok' });
  return publishRevision(adminB(h), { id: d.id, reason: 'ship' });
}

describeEachEngine('policy bundles', (h) => {
  let rt: Runtime;
  let token: string;
  const get = (path: string, headers: Record<string, string> = {}, auth = true) =>
    handleBundle(new Request(`http://console/api/fleet/v1/bundles/${path}`, { headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), ...headers } }), rt);

  beforeEach(async () => {
    rt = testRuntime(h.database as Database);
    token = (await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'edge', services: ['*'] })).token;
  });
  afterEach(() => rt.shutdown());

  it('serves the newest published revision signed, answers 304 to the same ETag, and 404 before anything is published', async () => {
    expect((await get(S, {}, false)).status).toBe(401);
    const none = await get(S);
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ error: 'no policy has been published for shop/users' });

    await publish(h, '/api/users/{user_id}');
    const r = await get(`${S}?format=meshward`);
    expect(r.status).toBe(200);
    const b = (await r.json()) as BundleEnvelope;
    expect(b).toMatchObject({ service: S, revision: 1, format: 'meshward', key_id: rt.policy.signingKey.keyId });
    expect(JSON.parse(b.content).allow).toEqual([expect.objectContaining({ caller: 'shop/web', method: 'GET', template: '/api/users/{user_id}' })]);
    for (const format of ['envoy-rbac', 'istio', 'nginx']) {
      const other = (await (await get(`${S}?format=${format}`)).json()) as BundleEnvelope;
      expect(other).toMatchObject({ format, revision: 1 });
      expect(verifyBundle(await handleSigningKey(rt).text(), other)).toBe(true);
    }
    const pem = await handleSigningKey(rt).text();
    expect(verifyBundle(pem, b)).toBe(true);
    // tampering with the content, the revision or the service breaks the signature
    expect(verifyBundle(pem, { ...b, content: b.content.replace('shop/web', 'shop/evil') })).toBe(false);
    expect(verifyBundle(pem, { ...b, revision: 2 })).toBe(false);
    expect(verifyBundle(pem, { ...b, service: 'shop/cart' })).toBe(false);
    // each answer is signed when served, valid for BUNDLE_TTL_S from then; its expiry cannot be moved
    expect(Date.parse(b.expires_at) - Date.parse(b.issued_at)).toBe(BUNDLE_TTL_S * 1000);
    expect(Math.abs(Date.parse(b.issued_at) - Date.now())).toBeLessThan(60_000);
    expect(verifyBundle(pem, { ...b, expires_at: new Date(Date.parse(b.expires_at) + 86_400_000).toISOString() })).toBe(false);

    const etag = r.headers.get('etag')!;
    expect(r.headers.get('x-meshward-revision')).toBe('1');
    const same = await get(S, { 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect((await get(`${S}?format=yaml`)).status).toBe(400);
    expect((await get(`${S}?wait=-1`)).status).toBe(400);
  });

  it('holds a long poll until a newer revision is published, or answers 304 when the wait ends', async () => {
    await publish(h, '/api/users/{user_id}');
    const first = await get(S);
    const etag = first.headers.get('etag')!;
    const quiet = await get(`${S}?wait=0.2`, { 'if-none-match': etag });
    expect(quiet.status).toBe(304);

    const waiting = get(`${S}?wait=20`, { 'if-none-match': etag });
    await h.db.insert(endpoints).values({ id: 'ep_me', service: S, method: 'GET', template: '/api/users/me', templateKey: '/api/users/me', state: 'approved', callers: { 'shop/web': 1 } });
    const d = await generateDraft(ctxFor(h.db, actor('analyst')), { service: S, reason: 'me too' });
    await seedAdmins(h);
    await approveRevision(adminB(h), { id: d.id, sha256: d.sha256, reason: 'ok' });
    await publishRevision(adminB(h), { id: d.id, reason: 'ship' });
    const next = await waiting;
    expect(next.status).toBe(200);
    expect(((await next.json()) as BundleEnvelope).revision).toBe(2);
  });
});
