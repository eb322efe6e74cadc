import { describe, expect, it } from 'vitest';
import type { SimRecord } from './record';
import { generateWindow } from './stream';
import { edgeKey, type Endpoint } from './topology';
import { World } from './world';

const world = new World({ seed: 23, rate: 2, users: 300, attackEveryMin: 5 });
const from = Date.UTC(2025, 5, 10, 16, 0);
const { records } = generateWindow(world, from, from + 10 * 60_000);
const startOf = (r: SimRecord) => r.ts + r.tsNanos / 1e6;
/** Durations are rounded to the microsecond on the wire. */
const EPS_MS = 0.002;

function templateRegex(e: Endpoint): RegExp {
  const escaped = e.template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\}/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

describe('simulated traces (fan-out)', () => {
  const bySpan = new Map(records.map((r) => [`${r.traceId}/${r.spanId}`, r]));
  const children = records.filter((r) => r.parentSpanId !== null);

  it('has fan-out to check', () => {
    expect(children.length).toBeGreaterThan(500);
    expect(new Set(children.map((c) => c.dstService)).size).toBeGreaterThan(10);
  });

  // Problems are collected and compared with [] at the end: an expect() per event would be slow.
  it('makes each child call come from its parent\'s service, in its trace, within its time span', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const child of children) {
      const parent = bySpan.get(`${child.traceId}/${child.parentSpanId}`);
      if (!parent) {
        // Only traces begun before the window lose their parent.
        if (startOf(child) - from >= 60_000) problems.push(`${child.requestId}: no parent`);
        continue;
      }
      checked++;
      const p = (what: string) => problems.push(`${child.requestId} (${parent.dstService} -> ${child.dstService}): ${what}`);
      if (child.srcService !== parent.dstService) p(`src ${child.srcService}`);
      if (child.traceId !== parent.traceId) p('another trace');
      if (startOf(child) < startOf(parent)) p('starts before its parent');
      if (startOf(child) + child.durationMs > startOf(parent) + parent.durationMs + EPS_MS) p('ends after its parent');
      // Identity travels with the request.
      if (child.tokenId !== parent.tokenId || child.user !== parent.user || child.attack !== parent.attack) p('lost the caller\'s identity');
      if (!child.mtls) p('not mTLS');
      // Reported by a replica of the service called, from a pod of the caller.
      if (world.topology.proxies[child.proxy].service.name !== child.dstService) p('reported by another service\'s proxy');
      if (!world.topology.service(parent.dstService).proxies.some((x) => x.podIp === child.clientIp)) p(`client ${child.clientIp} is no pod of the caller`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(children.length * 0.9);
  });

  it('makes every call target an endpoint the topology defines, along an edge it declares', () => {
    const problems: string[] = [];
    const patterns = new Map<Endpoint, RegExp>();
    for (const r of records) {
      const p = (what: string) => problems.push(`${r.requestId} ${r.method} ${r.dstService}${r.path}: ${what}`);
      if (world.topology.proxies[r.proxy].service.name !== r.dstService) p('reported by another service\'s proxy');
      if (r.endpoint === null) {
        if (r.attack === null) p('a path no endpoint has, outside any attack');
        continue;
      }
      const e = world.topology.endpoint(r.endpoint);
      if (!patterns.has(e)) patterns.set(e, templateRegex(e));
      if (e.service.name !== r.dstService || e.method !== r.method) p(`is not ${e.key}`);
      if (!patterns.get(e)!.test(r.path)) p(`does not fit ${e.template}`);
      if (!world.topology.edges.has(edgeKey(r.srcService, r.dstService))) p(`undeclared edge from ${r.srcService}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(patterns.size).toBeGreaterThan(50);
  });

  it('starts traces with a request from outside or from an internal job', () => {
    const jobServices = new Set(world.topology.jobs.map((j) => j.service.name));
    for (const root of records.filter((r) => r.parentSpanId === null)) {
      if (root.srcService !== 'external') expect(jobServices).toContain(root.srcService);
    }
  });
});
