import { describe, expect, it } from 'vitest';
import type { Topology, TopologyEdge, TopologyNode } from '@/server/traffic/graph-schemas';
import { edgeWidth, errorColor, ERROR_BANDS, MAX_WIDTH, MIN_WIDTH, matching, mtlsLevel, NO_DATA_COLOR, shortName, toElements } from './graph-elements';

const node = (id: string, extra: Partial<TopologyNode> = {}): TopologyNode => ({
  id, namespace: id.includes('/') ? id.split('/')[0] : null, clusters: [], external: id === 'external',
  requestsIn: 10, requestsOut: 0, errorsIn: 0, errorRate: 0, classes: [], ...extra,
});
const edge = (source: string, target: string, extra: Partial<TopologyEdge> = {}): TopologyEdge => ({
  source, target, requests: 10, errors: 0, errorRate: 0, mtlsShare: 1, classes: [], ...extra,
});
const topology = (nodes: TopologyNode[], edges: TopologyEdge[]): Topology => ({
  range: { from: new Date(0), to: new Date(60_000), resolution: 'minute', stepS: 60 },
  nodes, edges, truncated: false, limit: 1000,
  totals: { nodes: nodes.length, edges: edges.length, requests: 0 },
  available: { namespaces: [], classes: [] },
});

describe('graph elements', () => {
  const t = topology(
    [node('external', { requestsIn: 0, errorRate: null }), node('shop/web', { clusters: ['eu-1'] }), node('shop/cart', { clusters: ['eu-2'] }), node('pay/api', { classes: ['credit_card'] })],
    [
      edge('external', 'shop/web', { requests: 1000, mtlsShare: 0 }),
      edge('shop/web', 'shop/cart', { requests: 10, errorRate: 0.2, mtlsShare: 0.5 }),
      edge('shop/cart', 'pay/api', { requests: 1, classes: [{ dataClass: 'credit_card', matches: 3 }] }),
    ],
  );

  it('groups services under one parent per namespace, labelled with its clusters; external stands alone', () => {
    const { elements } = toElements(t, []);
    const groups = elements.filter((e) => e.classes === 'namespace');
    expect(groups.map((g) => g.data)).toEqual([
      { id: 'ns:pay', label: 'pay', namespace: 'pay' },
      { id: 'ns:shop', label: 'shop · eu-1, eu-2', namespace: 'shop' },
    ]);
    const ext = elements.find((e) => e.data.id === 'external')!;
    expect(ext.classes).toBe('service external');
    expect(ext.data.parent).toBeUndefined();
    expect(elements.find((e) => e.data.id === 'shop/cart')!.data).toMatchObject({ parent: 'ns:shop', label: 'cart' });
  });

  it('gives edges both colours, width by volume and the mTLS level as a class', () => {
    const edges = toElements(t, []).elements.filter((e) => e.group === 'edges');
    const byId = Object.fromEntries(edges.map((e) => [e.data.id, e]));
    expect(byId['external->shop/web'].data.width).toBe(MAX_WIDTH);
    expect(byId['external->shop/web'].classes).toBe('mtls-none');
    expect(byId['shop/web->shop/cart'].classes).toBe('mtls-partial');
    expect(byId['shop/web->shop/cart'].data.errColor).toBe(ERROR_BANDS[2].color);
    expect(byId['shop/cart->pay/api'].data.dataColor).not.toBe(NO_DATA_COLOR);
    expect(byId['shop/web->shop/cart'].data.dataColor).toBe(NO_DATA_COLOR);
    expect(byId['shop/cart->pay/api'].classes).toBe('mtls-full');
    // what a big mesh draws boldly among faint edges
    expect(edges.filter((e) => e.data.failing).map((e) => e.data.id)).toEqual(['shop/web->shop/cart']);
    expect(edges.filter((e) => e.data.sensitive).map((e) => e.data.id)).toEqual(['shop/cart->pay/api']);
  });

  it('leaves out hidden services, their edges, and services those edges were the only link of', () => {
    const { elements, hiddenCount } = toElements(t, ['shop/cart']);
    const ids = elements.map((e) => e.data.id);
    expect(hiddenCount).toBe(1);
    expect(ids).not.toContain('shop/cart');
    expect(ids).not.toContain('pay/api');
    expect(ids).not.toContain('ns:pay');
    expect(ids.filter((i) => String(i).includes('->'))).toEqual(['external->shop/web']);
  });

  it('colours error rates by band and shows no data as grey', () => {
    expect(errorColor(null)).toBe(NO_DATA_COLOR);
    expect(errorColor(0)).toBe(ERROR_BANDS[0].color);
    expect(errorColor(0.01)).toBe(ERROR_BANDS[1].color);
    expect(errorColor(0.05)).toBe(ERROR_BANDS[2].color);
    expect(errorColor(1)).toBe(ERROR_BANDS[2].color);
  });

  it('scales width logarithmically between the bounds', () => {
    expect(edgeWidth(0, 100)).toBe(MIN_WIDTH);
    expect(edgeWidth(5, 0)).toBe(MIN_WIDTH);
    expect(edgeWidth(100, 100)).toBe(MAX_WIDTH);
    const mid = edgeWidth(10, 100);
    expect(mid).toBeGreaterThan(MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * 0.4);
    expect(mid).toBeLessThan(MAX_WIDTH);
  });

  it('names mTLS levels and short labels', () => {
    expect([null, 0, 0.3, 0.9995, 1].map(mtlsLevel)).toEqual(['none', 'none', 'partial', 'full', 'full']);
    expect(shortName('shop/cart', 'shop')).toBe('cart');
    expect(shortName('spiffe://td/ns/shop/sa/cart', 'shop')).toBe('cart');
    expect(shortName('external', null)).toBe('external');
  });

  it('finds services by a case-insensitive part of the name', () => {
    expect(matching(t, 'SHOP/')).toEqual(['shop/web', 'shop/cart']);
    expect(matching(t, '  ')).toEqual([]);
    expect(matching(undefined, 'shop')).toEqual([]);
  });
});
