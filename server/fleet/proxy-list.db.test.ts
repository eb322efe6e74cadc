import { expect, it } from 'vitest';
import { policyRevisions, proxies, proxyMinuteStats, proxyTokens } from '@/db/schema';
import type { Db } from '@/db/client';
import { createCaller } from '@/server/routers';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import type { TrpcContext } from '@/server/trpc';
import { isSilent } from './proxies';
import { listProxyPage } from './proxy-list';
import { proxyListInput, UNSET, type ProxyListInput } from './proxy-list-input';

const NOW = new Date('2026-11-23T12:00:00Z');
const sec = (s: number) => new Date(NOW.getTime() - s * 1000);

it('takes filters, sort and a page size of 25, 50 or 100, with defaults', () => {
  expect(proxyListInput.parse({})).toEqual({ sort: 'lastSeen', dir: 'desc', page: 0, pageSize: 25 });
  expect(proxyListInput.parse({ q: '  eu ', health: 'silent', version: UNSET, rollout: 'outdated', sort: 'version', dir: 'asc', page: 3, pageSize: 100 }))
    .toMatchObject({ q: 'eu', health: 'silent', version: UNSET, rollout: 'outdated', sort: 'version', dir: 'asc', page: 3, pageSize: 100 });
  for (const bad of [
    { pageSize: 30 }, { pageSize: 1000 }, { page: -1 }, { page: 1.5 }, { sort: 'token' }, { dir: 'up' },
    { health: 'dead' }, { rollout: 'late' }, { version: '' }, { cluster: '   ' }, { q: 'x'.repeat(201) }, { revision: 'r'.repeat(201) },
  ]) {
    expect(proxyListInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  }
});

interface Seed {
  id: string;
  service?: string | null;
  cluster?: string | null;
  version?: string | null;
  revision?: string | null;
  node?: string | null;
  /** seconds before NOW */
  seen?: number;
  interval?: number;
}

async function seedFleet(db: Db, list: Seed[]) {
  await db.insert(proxyTokens).values([
    { id: 'pt_a', name: 'prod sidecars', prefix: 'mwp_aaaaaa', tokenHash: 'hash-a', services: ['*'] },
    { id: 'pt_b', name: 'old gateways', prefix: 'mwp_bbbbbb', tokenHash: 'hash-b', services: ['*'], revokedAt: sec(3600) },
  ]);
  await db.insert(proxies).values(list.map((p, i) => ({
    id: p.id, tokenId: i % 2 ? 'pt_b' : 'pt_a', service: p.service === undefined ? 'shop/orders' : p.service,
    cluster: p.cluster ?? null, node: p.node ?? null, version: p.version ?? null, policyRevision: p.revision ?? null,
    intervalS: p.interval ?? 30, firstSeenAt: sec(86_400), lastSeenAt: sec(p.seen ?? 10),
  })));
}

async function publish(db: Db, service: string, revision: number, secondsAgo: number) {
  await db.insert(policyRevisions).values({
    id: `pol_${service.replace('/', '_')}_${revision}`, service, revision, state: 'published',
    document: { service, defaultAction: 'deny', allow: [], deny: [] }, sha256: `sha-${service}-${revision}`,
    createdBy: 'analyst@example.test', publishedBy: 'admin@example.test', publishedAt: sec(secondsAgo),
  });
}

describeEachEngine('fleet proxy list', (h) => {
  const ctx = () => ctxFor(h.db, actor('viewer'), { now: () => NOW });
  const list = (input: ProxyListInput = {}) => listProxyPage(ctx(), proxyListInput.parse(input));
  const ids = async (input: ProxyListInput = {}) => (await list(input)).rows.map((r) => r.id);

  it('an empty fleet: no rows, zero counts, nothing to filter by', async () => {
    expect(await list({ page: 4 })).toEqual({
      total: 0, page: 0, pageSize: 25, rows: [],
      fleet: { proxies: 0, silent: 0, eventsPerMin: 0 },
      facets: { versions: [], clusters: [], revisions: [] },
    });
  });

  it('pages through 88 proxies, newest contact first, with the total and the last page clamped', async () => {
    await seedFleet(h.db, Array.from({ length: 88 }, (_, i) => ({ id: `p-${String(i).padStart(3, '0')}`, seen: i })));
    const first = await list();
    expect(first.total).toBe(88);
    expect(first.rows).toHaveLength(25);
    expect(first.rows[0].id).toBe('p-000');
    const pages = await Promise.all([0, 1, 2, 3].map((page) => ids({ page })));
    expect(pages.map((p) => p.length)).toEqual([25, 25, 25, 13]);
    expect(new Set(pages.flat()).size).toBe(88);
    expect((await list({ page: 1, pageSize: 50 })).rows.map((r) => r.id)).toEqual(Array.from({ length: 38 }, (_, i) => `p-0${50 + i}`));
    // a page past the end (the fleet shrank since the link was made) shows the last one
    const beyond = await list({ page: 9, pageSize: 25 });
    expect(beyond).toMatchObject({ page: 3, total: 88 });
    expect(beyond.rows).toHaveLength(13);
    expect((await list({ pageSize: 100 })).rows).toHaveLength(88);
  });

  it('marks a proxy silent after two missed intervals, exactly as isSilent, and filters and sorts by health', async () => {
    await seedFleet(h.db, [
      { id: 'ok', seen: 10 },
      { id: 'edge', seen: 60, interval: 30 }, // exactly two intervals: not yet silent
      { id: 'late', seen: 61, interval: 30 },
      { id: 'slow-beat', seen: 200, interval: 120 },
      { id: 'gone', seen: 7200 },
    ]);
    const all = await list({ sort: 'name', dir: 'asc' });
    for (const r of all.rows) expect(r.silent, r.id).toBe(isSilent(r.lastSeenAt, r.intervalS, NOW));
    expect(all.rows.filter((r) => r.silent).map((r) => r.id)).toEqual(['gone', 'late']);
    expect(all.fleet).toMatchObject({ proxies: 5, silent: 2 });
    expect(await ids({ health: 'silent', sort: 'name', dir: 'asc' })).toEqual(['gone', 'late']);
    expect(await ids({ health: 'reporting', sort: 'name', dir: 'asc' })).toEqual(['edge', 'ok', 'slow-beat']);
    expect(await ids({ sort: 'health', dir: 'desc' })).toEqual(['gone', 'late', 'edge', 'ok', 'slow-beat']);
    expect(await ids({ sort: 'health', dir: 'asc' })).toEqual(['edge', 'ok', 'slow-beat', 'gone', 'late']);
    // the fleet figures ignore the filters; the total does not
    expect(await list({ health: 'silent' })).toMatchObject({ total: 2, fleet: { proxies: 5, silent: 2 } });
  });

  it('filters by version, cluster and revision, "(none)" meaning never reported, and lists what there is to choose', async () => {
    await seedFleet(h.db, [
      { id: 'a', version: '1.4.2', cluster: 'eu-1', revision: 'r12' },
      { id: 'b', version: '1.4.2', cluster: 'eu-1', revision: 'r11' },
      { id: 'c', version: '1.3.9', cluster: 'us-2', revision: 'r12' },
      { id: 'd', version: null, cluster: null, revision: null },
    ]);
    const byName = { sort: 'name', dir: 'asc' } as const;
    expect(await ids({ ...byName, version: '1.4.2' })).toEqual(['a', 'b']);
    expect(await ids({ ...byName, version: UNSET })).toEqual(['d']);
    expect(await ids({ ...byName, cluster: 'us-2' })).toEqual(['c']);
    expect(await ids({ ...byName, cluster: UNSET })).toEqual(['d']);
    expect(await ids({ ...byName, revision: 'r12' })).toEqual(['a', 'c']);
    expect(await ids({ ...byName, revision: UNSET })).toEqual(['d']);
    expect(await ids({ ...byName, version: '1.4.2', revision: 'r12' })).toEqual(['a']);
    expect(await ids({ version: '9.9.9' })).toEqual([]);
    const { facets } = await list({ version: '9.9.9' });
    expect(facets.versions).toEqual([{ value: '1.4.2', proxies: 2 }, { value: null, proxies: 1 }, { value: '1.3.9', proxies: 1 }]);
    expect(facets.clusters).toEqual([{ value: 'eu-1', proxies: 2 }, { value: null, proxies: 1 }, { value: 'us-2', proxies: 1 }]);
    expect(facets.revisions).toEqual([{ value: 'r12', proxies: 2 }, { value: null, proxies: 1 }, { value: 'r11', proxies: 1 }]);
  });

  it('finds text in the id, service, cluster, node or version, taking % and _ literally', async () => {
    await seedFleet(h.db, [
      { id: 'gw-eu-1', service: 'shop/gateway', cluster: 'eu-1', node: 'ip-10-0-1-17' },
      { id: 'orders-1', service: 'shop/orders', cluster: 'us-2', version: '2.0.0-rc_1' },
      { id: 'cards-1', service: 'pay/cards', cluster: 'us-2', node: 'gke-pool-a' },
      { id: '100%-up', service: null },
    ]);
    const byName = { sort: 'name', dir: 'asc' } as const;
    expect(await ids({ ...byName, q: 'EU' })).toEqual(['gw-eu-1']);
    expect(await ids({ ...byName, q: 'shop/' })).toEqual(['gw-eu-1', 'orders-1']);
    expect(await ids({ ...byName, q: 'gke' })).toEqual(['cards-1']);
    expect(await ids({ ...byName, q: 'rc_1' })).toEqual(['orders-1']);
    expect(await ids({ ...byName, q: '_' })).toEqual(['orders-1']);
    expect(await ids({ ...byName, q: '%' })).toEqual(['100%-up']);
    expect(await ids({ ...byName, q: 'us-2', health: 'reporting' })).toEqual(['cards-1', 'orders-1']);
  });

  it('sorts by name, version (by its numbers), cluster and last seen, unknowns last, ties by id', async () => {
    await seedFleet(h.db, [
      { id: 'b', version: '1.10.0', cluster: 'eu-1', seen: 5 },
      { id: 'a', version: '1.9.2', cluster: 'us-2', seen: 20 },
      { id: 'd', version: null, cluster: null, seen: 1 },
      { id: 'c', version: '1.9.10', cluster: 'eu-1', seen: 10 },
      { id: 'e', version: 'v2', cluster: 'ap-1', seen: 30 },
    ]);
    expect(await ids({ sort: 'name', dir: 'asc' })).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await ids({ sort: 'name', dir: 'desc' })).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(await ids({ sort: 'version', dir: 'asc' })).toEqual(['a', 'c', 'b', 'e', 'd']);
    expect(await ids({ sort: 'version', dir: 'desc' })).toEqual(['e', 'b', 'c', 'a', 'd']);
    expect(await ids({ sort: 'cluster', dir: 'asc' })).toEqual(['e', 'b', 'c', 'a', 'd']);
    expect(await ids({ sort: 'cluster', dir: 'desc' })).toEqual(['a', 'b', 'c', 'e', 'd']);
    expect(await ids({ sort: 'lastSeen', dir: 'desc' })).toEqual(['d', 'b', 'c', 'a', 'e']);
    expect(await ids({ sort: 'lastSeen', dir: 'asc' })).toEqual(['e', 'a', 'c', 'b', 'd']);
  });

  it('says whether each proxy runs its service\'s newest published revision, and filters by that', async () => {
    await publish(h.db, 'shop/orders', 6, 3600);
    await publish(h.db, 'shop/orders', 7, 600); // newest: published ten minutes ago
    await publish(h.db, 'shop/cart', 3, 20); // within the grace period
    await seedFleet(h.db, [
      { id: 'cur', service: 'shop/orders', revision: 'shop/orders@7' },
      { id: 'old', service: 'shop/orders', revision: 'r6' },
      { id: 'never', service: 'shop/orders', revision: null },
      { id: 'soon', service: 'shop/cart', revision: '2' },
      { id: 'huge', service: 'shop/cart', revision: 'r99999999999999999999' },
      { id: 'nopol', service: 'shop/web', revision: 'r1' },
      { id: 'noservice', service: null },
    ]);
    const all = await list({ sort: 'name', dir: 'asc' });
    expect(Object.fromEntries(all.rows.map((r) => [r.id, r.rollout]))).toEqual({
      cur: 'current', old: 'outdated', never: 'outdated', soon: 'pending', huge: 'pending', nopol: 'none', noservice: 'none',
    });
    expect(await ids({ rollout: 'outdated', sort: 'name', dir: 'asc' })).toEqual(['never', 'old']);
    expect(await ids({ rollout: 'current' })).toEqual(['cur']);
    expect(await ids({ rollout: 'none', sort: 'name', dir: 'asc' })).toEqual(['nopol', 'noservice']);
    // drafts do not count: only published revisions
    await h.db.insert(policyRevisions).values({
      id: 'pol_web_2', service: 'shop/web', revision: 2, state: 'draft', document: { service: 'shop/web', defaultAction: 'deny', allow: [], deny: [] },
      sha256: 'sha-web-2', createdBy: 'analyst@example.test',
    });
    expect(await ids({ rollout: 'none', sort: 'name', dir: 'asc' })).toEqual(['nopol', 'noservice']);
  });

  it('averages events per minute over the last five minutes, per proxy and for the fleet, and names the token', async () => {
    await seedFleet(h.db, [{ id: 'busy' }, { id: 'idle' }]);
    await h.db.insert(proxyMinuteStats).values([
      { proxyId: 'busy', minute: sec(120), events: 300 },
      { proxyId: 'busy', minute: sec(240), events: 7 },
      { proxyId: 'busy', minute: sec(900), events: 999 }, // outside the window
      { proxyId: 'idle', minute: sec(60), events: 1 },
    ]);
    const { rows, fleet } = await list({ sort: 'name', dir: 'asc' });
    expect(rows.map((r) => [r.id, r.eventsPerMin, r.tokenName, r.tokenRevoked])).toEqual([
      ['busy', 61.4, 'prod sidecars', false],
      ['idle', 0.2, 'old gateways', true],
    ]);
    expect(fleet.eventsPerMin).toBe(61.6);
  });

  it('fleet.proxies: no input is the first page newest first; bad input is refused with BAD_REQUEST', async () => {
    await seedFleet(h.db, [{ id: 'new', seen: 1 }, { id: 'old', seen: 50 }]);
    const viewer = createCaller({ ...ctx(), sameOrigin: true } satisfies TrpcContext);
    const page = await viewer.fleet.proxies();
    expect(page).toMatchObject({ total: 2, page: 0, pageSize: 25, fleet: { proxies: 2 } });
    expect(page.rows.map((r) => r.id)).toEqual(['new', 'old']);
    expect(page.rows[0].lastSeenAt).toBeInstanceOf(Date);
    expect((await viewer.fleet.proxies({ q: 'ol', pageSize: 50 })).rows.map((r) => r.id)).toEqual(['old']);
    await expect(viewer.fleet.proxies({ pageSize: 7 as 25 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(viewer.fleet.proxies({ sort: 'token' as 'name' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
