import { describe, expect, it } from 'vitest';
import { buildTopology, edgeKey } from './topology';

describe('simulated mesh topology', () => {
  const topo = buildTopology(5);

  it('spans at least 30 services in 4 namespaces over 2 clusters, each with a REST API of 5 to 40 endpoints', () => {
    expect(topo.services.length).toBeGreaterThanOrEqual(30);
    expect(topo.namespaces.length).toBeGreaterThanOrEqual(4);
    expect(topo.clusters).toHaveLength(2);
    expect(new Set(topo.services.map((s) => s.cluster))).toEqual(new Set(topo.clusters));
    for (const s of topo.services) {
      expect(s.endpoints.length, s.name).toBeGreaterThanOrEqual(5);
      expect(s.endpoints.length, s.name).toBeLessThanOrEqual(40);
      expect(s.name).toBe(`${s.namespace}/${s.shortName}`);
      for (const e of s.endpoints) {
        expect(e.service).toBe(s);
        expect(e.key).toBe(`${s.name} ${e.method} ${e.template}`);
        expect(topo.endpoint(e.key)).toBe(e);
      }
    }
  });

  it('gives every service several proxies that belong to it, with unique ids', () => {
    expect(topo.services.filter((s) => s.proxies.length >= 2).length).toBeGreaterThan(topo.services.length / 2);
    for (const s of topo.services) {
      expect(s.proxies.length, s.name).toBeGreaterThanOrEqual(1);
      for (const p of s.proxies) {
        expect(p.service).toBe(s);
        expect(topo.proxies[p.index]).toBe(p);
        expect(p.id.startsWith(`${s.shortName}-`)).toBe(true);
      }
    }
    expect(new Set(topo.proxies.map((p) => p.id)).size).toBe(topo.proxies.length);
    expect(topo.proxies.length).toBe(topo.services.reduce((n, s) => n + s.proxies.length, 0));
  });

  it('has proxies sending each wire format in mixed mode, and only the asked-for one otherwise', () => {
    const formats = new Set(topo.proxies.map((p) => p.format));
    expect(formats).toEqual(new Set(['otlp-proto', 'otlp-json', 'envoy']));
    expect(new Set(buildTopology(5, 'envoy').proxies.map((p) => p.format))).toEqual(new Set(['envoy']));
    expect(new Set(buildTopology(5, 'otlp').proxies.map((p) => p.format))).toEqual(new Set(['otlp-proto']));
  });

  it('wires calls between services only along edges it declares, never to the caller itself', () => {
    for (const s of topo.services) {
      for (const e of s.endpoints) {
        for (const c of e.calls) {
          expect(c.target.service).not.toBe(s);
          expect(topo.edges.has(edgeKey(s.name, c.target.service.name))).toBe(true);
        }
      }
    }
    expect(topo.services.some((s) => s.public && topo.edges.has(edgeKey('external', s.name)))).toBe(true);
  });

  it('draws pod names from the seed but keeps the API fixed', () => {
    const other = buildTopology(6);
    expect(other.proxies.map((p) => p.id)).not.toEqual(topo.proxies.map((p) => p.id));
    expect(other.services.map((s) => s.endpoints.map((e) => e.key))).toEqual(topo.services.map((s) => s.endpoints.map((e) => e.key)));
    expect(buildTopology(5).proxies.map((p) => p.id)).toEqual(topo.proxies.map((p) => p.id));
  });

  it('says which name is unknown', () => {
    expect(() => topo.service('nowhere/nothing')).toThrow(/nowhere\/nothing/);
    expect(() => topo.endpoint('edge/gateway GET /nope')).toThrow(/GET \/nope/);
  });
});
