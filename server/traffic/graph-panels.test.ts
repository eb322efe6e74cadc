import { expect, it } from 'vitest';
import { compactRollups } from '@/server/rollups/compact';
import { emptyHistogram, histogramQuantile, mergeHistograms } from '@/server/rollups/latency-histogram';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { graphEdge, PANEL_TOKENS } from './graph-edge';
import { addEdge, addProxy, addRoute, addSensitive, addToken, histogramOf } from './graph-fixtures';
import { graphNode } from './graph-node';
import { edgeInput, nodeInput } from './graph-schemas';

const NOW = new Date('2026-11-23T12:00:30Z');
const min = (m: number) => new Date(Date.UTC(2026, 10, 23, 11, m));

describeEachEngine('graph side panels', (h) => {
  const ctx = () => ctxFor(h.db, actor('viewer'), { now: () => NOW });
  const edge = (input: unknown) => graphEdge(ctx(), edgeInput.parse(input));
  const node = (input: unknown) => graphNode(ctx(), nodeInput.parse(input));
  // The fixtures write minute rows only; the rollup job derives the hour rows that totals read for whole hours.
  const compactHours = () => compactRollups(h.db, NOW.getTime(), { span: { from: min(0), to: NOW } });

  async function seed() {
    await addEdge(h.db, { bucket: min(10), src: 'shop/cart', dst: 'payments/cards', requests: 80, errors: 8, clientErrors: 2, mtls: 80, bytesIn: 800, bytesOut: 16_000, latencyMs: 20 });
    await addEdge(h.db, { bucket: min(12), src: 'shop/cart', dst: 'payments/cards', requests: 20, errors: 0, mtls: 10, bytesOut: 4000, latencyMs: 400 });
    await addEdge(h.db, { bucket: min(12), src: 'web/bff', dst: 'payments/cards', requests: 30, errors: 3, mtls: 30 });
    await addEdge(h.db, { bucket: min(12), src: 'payments/cards', dst: 'payments/ledger', requests: 60, mtls: 60 });
    await addEdge(h.db, { bucket: min(12), src: 'external', dst: 'web/bff', requests: 45 });
    await addEdge(h.db, { bucket: min(14), src: 'external', dst: 'web/bff', requests: 15 });
    // a different edge into the same destination never leaks into the edge panel
    await addRoute(h.db, { bucket: min(10), src: 'shop/cart', dst: 'payments/cards', method: 'POST', route: '/api/cards/{id}/charge', requests: 70, errors: 8 });
    await addRoute(h.db, { bucket: min(12), src: 'shop/cart', dst: 'payments/cards', method: 'POST', route: '/api/cards/{id}/charge', requests: 10 });
    await addRoute(h.db, { bucket: min(10), src: 'shop/cart', dst: 'payments/cards', method: 'GET', route: '/api/cards/{id}', requests: 20 });
    await addRoute(h.db, { bucket: min(12), src: 'web/bff', dst: 'payments/cards', method: 'DELETE', route: '/api/cards/{id}', requests: 30 });
    await addSensitive(h.db, { bucket: min(10), src: 'shop/cart', dst: 'payments/cards', dataClass: 'credit_card', direction: 'request', matches: 80, events: 80 });
    await addSensitive(h.db, { bucket: min(12), src: 'shop/cart', dst: 'payments/cards', dataClass: 'credit_card', direction: 'request', matches: 20, events: 20 });
    await addSensitive(h.db, { bucket: min(12), src: 'shop/cart', dst: 'payments/cards', dataClass: 'email', direction: 'response', matches: 9, events: 3 });
    await addSensitive(h.db, { bucket: min(12), src: 'payments/cards', dst: 'payments/ledger', dataClass: 'iban', direction: 'request', matches: 4, events: 4 });
    await addToken(h.db, { bucket: min(10), token: 'tok_a', src: 'shop/cart', dst: 'payments/cards', method: 'POST', route: '/api/cards/{id}/charge', requests: 60, errors: 5 });
    await addToken(h.db, { bucket: min(10), token: 'tok_a', src: 'shop/cart', dst: 'payments/cards', method: 'GET', route: '/api/cards/{id}', requests: 5 });
    await addToken(h.db, { bucket: min(12), token: 'tok_b', src: 'shop/cart', dst: 'payments/cards', method: 'POST', route: '/api/cards/{id}/charge', requests: 25 });
    await addToken(h.db, { bucket: min(12), token: 'tok_c', src: 'web/bff', dst: 'payments/cards', method: 'DELETE', route: '/api/cards/{id}', requests: 30 });
    await addProxy(h.db, { id: 'cards-1', service: 'payments/cards', cluster: 'eu-1', now: NOW });
    await addProxy(h.db, { id: 'cards-2', service: 'payments/cards', cluster: 'eu-2', now: NOW });
    await compactHours();
  }

  it('edge: totals with latency percentiles, a series with every step, routes, classes with direction, tokens', async () => {
    await seed();
    const e = await edge({ range: { preset: '1h' }, src: 'shop/cart', dst: 'payments/cards' });
    const merged = mergeHistograms(mergeHistograms(emptyHistogram(), histogramOf(new Array(80).fill(20))), histogramOf(new Array(20).fill(400)));
    expect(e.totals).toMatchObject({ requests: 100, errors: 8, clientErrors: 2, errorRate: 0.08, bytesIn: 800, bytesOut: 20_000, mtlsShare: 0.9 });
    expect(e.totals.p50Ms).toBeCloseTo(histogramQuantile(merged, 0.5)!, 6);
    expect(e.totals.p95Ms).toBeCloseTo(histogramQuantile(merged, 0.95)!, 6);
    expect(e.totals.p99Ms).toBeCloseTo(histogramQuantile(merged, 0.99)!, 6);

    expect(e.range.stepS).toBe(60);
    expect(e.series).toHaveLength(61); // 11:00 … 12:00, one point per minute, quiet minutes included
    expect(e.series[0].t.toISOString()).toBe('2026-11-23T11:00:00.000Z');
    const at = (m: number) => e.series.find((p) => p.t.getTime() === min(m).getTime())!;
    expect(at(10)).toMatchObject({ requests: 80, errors: 8 });
    expect(at(12)).toMatchObject({ requests: 20, errors: 0 });
    expect(at(12).p95Ms).toBeGreaterThan(300);
    expect(at(11)).toEqual({ t: min(11), requests: 0, errors: 0, p95Ms: null });

    expect(e.routes).toEqual([
      { method: 'POST', route: '/api/cards/{id}/charge', requests: 80, errors: 8, clientErrors: 0, bytesOut: 0 },
      { method: 'GET', route: '/api/cards/{id}', requests: 20, errors: 0, clientErrors: 0, bytesOut: 0 },
    ]);
    expect(e.classes).toEqual([
      { dataClass: 'credit_card', direction: 'request', matches: 100, events: 100 },
      { dataClass: 'email', direction: 'response', matches: 9, events: 3 },
    ]);
    expect(e.tokens).toEqual([
      { tokenId: 'tok_a', requests: 65, errors: 5, routes: 2 },
      { tokenId: 'tok_b', requests: 25, errors: 0, routes: 1 },
    ]);
  });

  it('edge: coarser steps over a day, read from the hour rollups', async () => {
    await addEdge(h.db, { bucket: new Date('2026-11-23T09:00:00Z'), src: 'a/x', dst: 'a/y', requests: 360, hour: true });
    await addRoute(h.db, { bucket: new Date('2026-11-23T09:00:00Z'), src: 'a/x', dst: 'a/y', method: 'GET', route: '/h', requests: 360, hour: true });
    await addEdge(h.db, { bucket: min(5), src: 'a/x', dst: 'a/y', requests: 6 });
    const e = await edge({ range: { preset: '24h' }, src: 'a/x', dst: 'a/y' });
    expect(e.range).toMatchObject({ resolution: 'hour', stepS: 3600 });
    expect(e.series).toHaveLength(25);
    expect(e.totals.requests).toBe(360);
    expect(e.series.find((p) => p.requests > 0)?.t.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    expect(e.routes.map((r) => r.route)).toEqual(['/h']);
  });

  it('edge: an edge without traffic answers zeros, not an error', async () => {
    const e = await edge({ range: { preset: '15m' }, src: 'no/such', dst: 'no/where' });
    expect(e.totals).toMatchObject({ requests: 0, errorRate: null, mtlsShare: null, p95Ms: null });
    expect(e.series.every((p) => p.requests === 0)).toBe(true);
    expect([e.routes, e.classes, e.tokens]).toEqual([[], [], []]);
  });

  it('edge: keeps the top tokens only', async () => {
    for (let i = 0; i < PANEL_TOKENS + 5; i++) {
      await addToken(h.db, { bucket: min(3), token: `tok_${String(i).padStart(2, '0')}`, src: 'a/x', dst: 'a/y', method: 'GET', route: '/r', requests: 100 - i });
    }
    await compactHours();
    const e = await edge({ src: 'a/x', dst: 'a/y' });
    expect(e.tokens).toHaveLength(PANEL_TOKENS);
    expect(e.tokens[0]).toMatchObject({ tokenId: 'tok_00', requests: 100 });
  });

  it('node: served totals, neighbours both ways, its routes, classes by side, tokens that called it, clusters', async () => {
    await seed();
    const n = await node({ range: { preset: '1h' }, service: 'payments/cards' });
    expect(n).toMatchObject({ service: 'payments/cards', namespace: 'payments', external: false, clusters: ['eu-1', 'eu-2'], seriesOf: 'inbound' });
    expect(n.totals).toMatchObject({ requestsIn: 130, errorsIn: 11, requestsOut: 60 });
    expect(n.totals.errorRate).toBeCloseTo(11 / 130, 9);
    expect(n.inbound).toEqual([
      { service: 'shop/cart', requests: 100, errors: 8, errorRate: 0.08, mtlsShare: 0.9 },
      { service: 'web/bff', requests: 30, errors: 3, errorRate: 0.1, mtlsShare: 1 },
    ]);
    expect(n.outbound).toEqual([{ service: 'payments/ledger', requests: 60, errors: 0, errorRate: 0, mtlsShare: 1 }]);
    expect(n.series.reduce((s, p) => s + p.requests, 0)).toBe(130);
    expect(n.routes.map((r) => `${r.method} ${r.route} ${r.requests}`)).toEqual([
      'POST /api/cards/{id}/charge 80', 'DELETE /api/cards/{id} 30', 'GET /api/cards/{id} 20',
    ]);
    expect(n.classes).toEqual([
      { side: 'inbound', dataClass: 'credit_card', direction: 'request', matches: 100, events: 100 },
      { side: 'inbound', dataClass: 'email', direction: 'response', matches: 9, events: 3 },
      { side: 'outbound', dataClass: 'iban', direction: 'request', matches: 4, events: 4 },
    ]);
    expect(n.tokens.map((t) => [t.tokenId, t.requests])).toEqual([['tok_a', 65], ['tok_c', 30], ['tok_b', 25]]);
  });

  it('node: external serves nothing, so its series is what it sent', async () => {
    await seed();
    const n = await node({ range: { preset: '1h' }, service: 'external' });
    expect(n).toMatchObject({ external: true, namespace: null, seriesOf: 'outbound', inbound: [], routes: [] });
    expect(n.totals).toMatchObject({ requestsIn: 0, requestsOut: 60, errorRate: null, p95Ms: null });
    expect(n.series.reduce((s, p) => s + p.requests, 0)).toBe(60);
    expect(n.outbound.map((o) => o.service)).toEqual(['web/bff']);
  });

  it('refuses a missing or empty service', () => {
    expect(nodeInput.safeParse({ service: '' }).success).toBe(false);
    expect(nodeInput.safeParse({}).success).toBe(false);
    expect(edgeInput.safeParse({ src: 'a/x' }).success).toBe(false);
    expect(edgeInput.safeParse({ src: 'a/x', dst: 'a/y', range: { from: '2026-11-23T11:00:00Z', to: '2026-11-23T10:00:00Z' } }).success).toBe(false);
  });
});
