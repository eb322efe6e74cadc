import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { auditLog, proxyMinuteStats, proxyTokens } from '@/db/schema';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { heartbeatSchema, recordHeartbeat } from './heartbeat';
import { isSilent, listProxies } from './proxies';
import { ProxyTokenCache } from './token-cache';
import { createProxyToken, createTokenInput, hashProxyToken, listProxyTokens, lookupProxyToken, revokeProxyToken } from './tokens';

it('flags a proxy silent after two missed intervals', () => {
  const seen = new Date('2026-11-23T12:00:00Z');
  expect(isSilent(seen, 30, new Date('2026-11-23T12:01:00Z'))).toBe(false);
  expect(isSilent(seen, 30, new Date('2026-11-23T12:01:01Z'))).toBe(true);
});

it('validates heartbeats', () => {
  expect(heartbeatSchema.safeParse({ proxy_id: 'p1', interval_s: 15, counters: { sent: 3 } }).success).toBe(true);
  expect(heartbeatSchema.safeParse({ proxy_id: '' }).success).toBe(false);
  expect(heartbeatSchema.safeParse({ proxy_id: 'p 1' }).success).toBe(false);
  expect(heartbeatSchema.safeParse({ proxy_id: 'p1', interval_s: 1 }).success).toBe(false);
  expect(heartbeatSchema.safeParse({ proxy_id: 'p1', counters: { sent: -1 } }).success).toBe(false);
});

describeEachEngine('fleet', (h) => {
  const admin = () => ctxFor(h.db, actor('admin'));

  it('shows a token once, stores only its hash, and audits the creation', async () => {
    const t = await createProxyToken(admin(), { name: 'prod-eu-1', services: ['*'] });
    expect(t.token).toMatch(/^mwp_[\w-]{43}$/);
    const [row] = await h.db.select().from(proxyTokens).where(eq(proxyTokens.id, t.id));
    expect(row.tokenHash).toBe(hashProxyToken(t.token));
    expect(JSON.stringify(row)).not.toContain(t.token.slice(10));
    expect(row.prefix).toBe(t.token.slice(0, 10));
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'proxy_token.create'));
    expect(entry).toMatchObject({ targetId: t.id, actorEmail: 'admin@example.test', after: { name: 'prod-eu-1', prefix: row.prefix, services: ['*'] } });
    expect(JSON.stringify(entry)).not.toContain(t.token);
    expect(await lookupProxyToken(h.db, t.token)).toEqual({ tokenId: t.id, tokenName: 'prod-eu-1', services: ['*'] });
    expect(await lookupProxyToken(h.db, `${t.token}x`)).toBeNull();
    expect(await lookupProxyToken(h.db, 'Bearer nonsense')).toBeNull();
  });

  it('creates a token for the services it serves, required and kept sorted, and lists them', async () => {
    expect(createTokenInput.safeParse({ name: 'no scope' }).success).toBe(false);
    expect(createTokenInput.safeParse({ name: 'empty', services: [] }).success).toBe(false);
    const input = createTokenInput.parse({ name: 'shop sidecars', services: ['shop/orders', 'shop/cart', 'shop/orders'] });
    const t = await createProxyToken(admin(), input);
    expect(t.services).toEqual(['shop/cart', 'shop/orders']);
    expect(await lookupProxyToken(h.db, t.token)).toEqual({ tokenId: t.id, tokenName: 'shop sidecars', services: ['shop/cart', 'shop/orders'] });
    expect((await listProxyTokens(admin())).find((x) => x.id === t.id)?.services).toEqual(['shop/cart', 'shop/orders']);
  });

  it('a token made before scopes existed serves every service, as it did (the migration)', async () => {
    await h.db.execute(sql`insert into proxy_tokens (id, name, prefix, token_hash) values ('pt_old', 'old', 'mwp_old', ${hashProxyToken('mwp_old-token')})`);
    expect(await lookupProxyToken(h.db, 'mwp_old-token')).toEqual({ tokenId: 'pt_old', tokenName: 'old', services: ['*'] });
  });

  it('revokes a token: lookups fail, a second revoke is refused, the cache forgets it', async () => {
    const t = await createProxyToken(admin(), { name: 'old', services: ['*'] });
    const cache = new ProxyTokenCache(h.db);
    expect(await cache.verify(t.token)).not.toBeNull();
    await revokeProxyToken(admin(), { tokenId: t.id, reason: 'rotated' });
    // no explicit forget: the revocation is announced to every cache in the process
    expect(await cache.verify(t.token)).toBeNull();
    cache.close();
    expect(await lookupProxyToken(h.db, t.token)).toBeNull();
    await expect(revokeProxyToken(admin(), { tokenId: t.id, reason: 'again' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(revokeProxyToken(admin(), { tokenId: 'pt_none', reason: 'again' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [entry] = await h.db.select().from(auditLog).where(eq(auditLog.action, 'proxy_token.revoke'));
    expect(entry).toMatchObject({ reason: 'rotated', before: { revoked: false }, after: { revoked: true } });
    expect((await listProxyTokens(admin()))[0].revokedAt).toBeInstanceOf(Date);
  });

  it('expires cached token answers after the TTL so other replicas see revocations', async () => {
    const t = await createProxyToken(admin(), { name: 'cached', services: ['*'] });
    let now = 1_000_000;
    const cache = new ProxyTokenCache(h.db, () => now);
    expect(await cache.verify(t.token)).not.toBeNull();
    // revoked by another replica: straight in the database, no announcement here
    await h.db.update(proxyTokens).set({ revokedAt: new Date() }).where(eq(proxyTokens.id, t.id));
    expect(await cache.verify(t.token)).not.toBeNull();
    now += 5_001;
    expect(await cache.verify(t.token)).toBeNull();
    cache.close();
  });

  it('registers proxies from heartbeats and keeps what later heartbeats omit', async () => {
    const t = await createProxyToken(admin(), { name: 'fleet', services: ['*'] });
    const principal = { tokenId: t.id, tokenName: t.name, services: t.services };
    const t0 = new Date('2026-11-23T12:00:00Z');
    await recordHeartbeat(h.db, principal, heartbeatSchema.parse({ proxy_id: 'gw-1', version: '1.31', cluster: 'eu-1', node: 'n1', service: 'shop/gateway', policy_revision: 'r7', interval_s: 15, counters: { sent: 10 } }), t0);
    const t1 = new Date('2026-11-23T12:00:15Z');
    await recordHeartbeat(h.db, principal, heartbeatSchema.parse({ proxy_id: 'gw-1', counters: { sent: 20 } }), t1);
    await h.db.insert(proxyMinuteStats).values([
      { proxyId: 'gw-1', minute: new Date('2026-11-23T11:57:00Z'), events: 300 },
      { proxyId: 'gw-1', minute: new Date('2026-11-23T11:50:00Z'), events: 999 },
    ]);
    const [p] = await listProxies({ ...admin(), now: () => new Date('2026-11-23T12:00:20Z') });
    expect(p).toMatchObject({
      id: 'gw-1', version: '1.31', cluster: 'eu-1', node: 'n1', service: 'shop/gateway', policyRevision: 'r7', intervalS: 15,
      counters: { sent: 20 }, tokenName: 'fleet', silent: false, eventsPerMin: 60,
    });
    expect(p.firstSeenAt.getTime()).toBe(t0.getTime());
    expect(p.lastSeenAt.getTime()).toBe(t1.getTime());
    const [later] = await listProxies({ ...admin(), now: () => new Date('2026-11-23T12:00:46Z') });
    expect(later.silent).toBe(true);
    expect((await listProxyTokens(admin())).map((x) => [x.name, x.proxies])).toEqual([['fleet', 1]]);
  });
});
