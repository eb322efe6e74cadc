import { expect, it } from 'vitest';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { createCaller } from '@/server/routers';
import { graphTopology } from './graph';
import { addEdge, addProxy, addSensitive } from './graph-fixtures';
import { EDGE_CAP, topologyInput, type Topology } from './graph-schemas';

const NOW = new Date('2026-11-23T12:00:30Z');
const min = (m: number) => new Date(Date.UTC(2026, 10, 23, 11, m)); // 11:mm, inside the last hour
const edgeOf = (t: Topology, src: string, dst: string) => t.edges.find((e) => e.source === src && e.target === dst);
const nodeOf = (t: Topology, id: string) => t.nodes.find((n) => n.id === id);

describeEachEngine('graph topology', (h) => {
  const ctx = () => ctxFor(h.db, actor('viewer'), { now: () => NOW });
  const topology = (input: unknown = {}) => graphTopology(ctx(), topologyInput.parse(input));

  it('answers an empty mesh with empty lists', async () => {
    const t = await topology();
    expect(t).toMatchObject({ nodes: [], edges: [], truncated: false, totals: { nodes: 0, edges: 0, requests: 0 } });
    expect(t.available).toEqual({ namespaces: [], classes: [] });
    expect(t.range.resolution).toBe('minute');
    expect(t.limit).toBe(EDGE_CAP);
  });

  it('sums an edge over the buckets of the range only, with error rate and mTLS share, and nothing the picture does not draw', async () => {
    await addEdge(h.db, { bucket: min(10), src: 'web/frontend', dst: 'shop/cart', requests: 90, errors: 9, clientErrors: 4, mtls: 90, bytesIn: 1000, bytesOut: 5000, latencyMs: 12 });
    await addEdge(h.db, { bucket: min(11), src: 'web/frontend', dst: 'shop/cart', requests: 10, errors: 1, mtls: 0, bytesOut: 500, latencyMs: 900 });
    // outside the last hour: ignored
    await addEdge(h.db, { bucket: new Date('2026-11-23T10:30:00Z'), src: 'web/frontend', dst: 'shop/cart', requests: 1000, errors: 1000 });
    const t = await topology({ range: { preset: '1h' } });
    expect(t.edges).toHaveLength(1);
    const e = edgeOf(t, 'web/frontend', 'shop/cart')!;
    // Latency, bytes and 4xx are the edge panel's (graph.edge): 5,000 histograms would dominate the answer.
    expect(e).toEqual({ source: 'web/frontend', target: 'shop/cart', requests: 100, errors: 10, errorRate: 0.1, mtlsShare: 0.9, classes: [] });
    expect(t.totals).toEqual({ nodes: 2, edges: 1, requests: 100 });
  });

  it('describes nodes: traffic in and out, 5xx rate, namespace, clusters from proxies, external callers', async () => {
    await addEdge(h.db, { bucket: min(5), src: 'external', dst: 'web/gateway', requests: 200, errors: 2 });
    await addEdge(h.db, { bucket: min(5), src: 'web/gateway', dst: 'shop/cart', requests: 150, errors: 30 });
    await addEdge(h.db, { bucket: min(6), src: 'shop/cart', dst: 'spiffe://cluster.local/ns/payments/sa/cards', requests: 40 });
    await addProxy(h.db, { id: 'gw-1', service: 'web/gateway', cluster: 'eu-1', now: NOW });
    await addProxy(h.db, { id: 'gw-2', service: 'web/gateway', cluster: 'us-2', now: NOW });
    await addProxy(h.db, { id: 'gw-3', service: 'web/gateway', cluster: 'eu-1', now: NOW });
    await addProxy(h.db, { id: 'cart-1', service: 'shop/cart', cluster: null, now: NOW });
    const t = await topology();
    expect(nodeOf(t, 'external')).toMatchObject({ external: true, namespace: null, requestsIn: 0, requestsOut: 200, errorRate: null, clusters: [] });
    expect(nodeOf(t, 'web/gateway')).toMatchObject({ external: false, namespace: 'web', requestsIn: 200, errorsIn: 2, requestsOut: 150, errorRate: 0.01, clusters: ['eu-1', 'us-2'] });
    expect(nodeOf(t, 'shop/cart')).toMatchObject({ namespace: 'shop', requestsIn: 150, errorsIn: 30, errorRate: 0.2, requestsOut: 40, clusters: [] });
    expect(nodeOf(t, 'spiffe://cluster.local/ns/payments/sa/cards')).toMatchObject({ namespace: 'payments' });
    expect(t.available.namespaces).toEqual([
      { name: 'payments', services: 1 }, { name: 'shop', services: 1 }, { name: 'web', services: 1 },
    ]);
    // busiest first
    expect(t.edges.map((e) => e.requests)).toEqual([200, 150, 40]);
  });

  it('filters by namespace (either end), minimum volume and data class, and keeps node totals whole', async () => {
    await addEdge(h.db, { bucket: min(1), src: 'external', dst: 'web/gateway', requests: 500 });
    await addEdge(h.db, { bucket: min(1), src: 'web/gateway', dst: 'shop/cart', requests: 300 });
    await addEdge(h.db, { bucket: min(1), src: 'shop/cart', dst: 'payments/cards', requests: 50 });
    await addEdge(h.db, { bucket: min(1), src: 'payments/cards', dst: 'payments/ledger', requests: 5 });
    await addSensitive(h.db, { bucket: min(1), src: 'shop/cart', dst: 'payments/cards', dataClass: 'credit_card', direction: 'request', matches: 50 });
    await addSensitive(h.db, { bucket: min(1), src: 'shop/cart', dst: 'payments/cards', dataClass: 'email', direction: 'response', matches: 7 });
    await addSensitive(h.db, { bucket: min(2), src: 'shop/cart', dst: 'payments/cards', dataClass: 'credit_card', direction: 'request', matches: 10 });
    await addSensitive(h.db, { bucket: min(1), src: 'external', dst: 'web/gateway', dataClass: 'email', direction: 'request', matches: 3 });

    const shop = await topology({ namespaces: ['shop'] });
    expect(shop.edges.map((e) => `${e.source}>${e.target}`)).toEqual(['web/gateway>shop/cart', 'shop/cart>payments/cards']);
    expect(shop.totals).toEqual({ nodes: 3, edges: 2, requests: 350 });
    // the filter cuts edges, not a node's own figures
    expect(nodeOf(shop, 'web/gateway')).toMatchObject({ requestsIn: 500, requestsOut: 300 });
    // the controls still offer everything in the range
    expect(shop.available.namespaces.map((n) => n.name)).toEqual(['payments', 'shop', 'web']);
    expect(shop.available.classes).toEqual(['credit_card', 'email']);

    const two = await topology({ namespaces: ['web', 'payments'] });
    expect(two.edges).toHaveLength(4);

    const busy = await topology({ minRequests: 50 });
    expect(busy.edges.map((e) => e.requests)).toEqual([500, 300, 50]);
    expect(busy.nodes.map((n) => n.id).sort()).toEqual(['external', 'payments/cards', 'shop/cart', 'web/gateway']);

    const cards = await topology({ dataClass: 'credit_card' });
    expect(cards.edges).toHaveLength(1);
    expect(cards.edges[0]).toMatchObject({ source: 'shop/cart', target: 'payments/cards' });
    expect(cards.edges[0].classes).toEqual([{ dataClass: 'credit_card', matches: 60 }, { dataClass: 'email', matches: 7 }]);
    expect(nodeOf(cards, 'shop/cart')!.classes).toEqual(['credit_card', 'email']);

    const combined = await topology({ dataClass: 'email', minRequests: 100 });
    expect(combined.edges.map((e) => e.source)).toEqual(['external']);

    expect((await topology({ namespaces: ['nope'] })).edges).toEqual([]);
  });

  it('cuts to the busiest edges at the cap and says so, with totals of everything the filters kept', async () => {
    for (let i = 0; i < 6; i++) {
      await addEdge(h.db, { bucket: min(20), src: 'load/gen', dst: `load/svc-${i}`, requests: 10 * (i + 1) });
    }
    const t = await topology({ limit: 3 });
    expect(t.truncated).toBe(true);
    expect(t.limit).toBe(3);
    expect(t.edges.map((e) => e.target)).toEqual(['load/svc-5', 'load/svc-4', 'load/svc-3']);
    expect(t.nodes).toHaveLength(4);
    expect(t.totals).toEqual({ nodes: 7, edges: 6, requests: 210 });
    expect((await topology({ limit: 6 })).truncated).toBe(false);
  });

  it('reads hour rollups for ranges beyond 12 hours and minute rollups below', async () => {
    await addEdge(h.db, { bucket: new Date('2026-11-23T09:00:00Z'), src: 'a/x', dst: 'a/y', requests: 7000, hour: true });
    await addEdge(h.db, { bucket: min(30), src: 'a/x', dst: 'a/y', requests: 70 });
    const day = await topology({ range: { preset: '24h' } });
    expect(day.range.resolution).toBe('hour');
    expect(day.edges[0].requests).toBe(7000);
    const hour = await topology({ range: { preset: '1h' } });
    expect(hour.edges[0].requests).toBe(70);
    const absolute = await topology({ range: { from: '2026-11-23T11:25:00Z', to: '2026-11-23T11:35:00Z' } });
    expect(absolute.edges[0].requests).toBe(70);
    const before = await topology({ range: { from: '2026-11-23T11:00:00Z', to: '2026-11-23T11:30:00Z' } });
    expect(before.edges).toEqual([]); // the bucket at 11:30 starts at the end of the window
  });

  it('refuses bad filters', () => {
    expect(topologyInput.safeParse({ minRequests: -1 }).success).toBe(false);
    expect(topologyInput.safeParse({ limit: EDGE_CAP + 1 }).success).toBe(false);
    expect(topologyInput.safeParse({ limit: 0 }).success).toBe(false);
    expect(topologyInput.safeParse({ namespaces: [''] }).success).toBe(false);
    expect(topologyInput.safeParse({ range: { preset: '2y' } }).success).toBe(false);
    expect(topologyInput.parse(undefined)).toMatchObject({ range: { preset: '1h' }, namespaces: [], minRequests: 0, limit: EDGE_CAP });
  });

  it('is served through tRPC to a viewer, with dates intact', async () => {
    await addEdge(h.db, { bucket: min(1), src: 'external', dst: 'web/gateway', requests: 5 });
    const caller = createCaller({ ...ctxFor(h.db, actor('viewer'), { now: () => NOW }), sameOrigin: true });
    const t = await caller.graph.topology({ range: { preset: '15m' }, minRequests: 1 });
    expect(t.range.from).toBeInstanceOf(Date);
    expect(t.edges).toEqual([]); // 11:01 is outside the last 15 minutes
    const wide = await caller.graph.topology({ range: { preset: '1h' } });
    expect(wide.edges).toHaveLength(1);
  });
});
