import { expect, it } from 'vitest';
import type { AccessEventInput } from '@/server/ingest/event';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { identityGaps } from './identity-gaps';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ago = (min: number) => NOW - min * 60_000;

/** n requests from `src` to `dst`, `minutes` ago, from the addresses `ip(i)` gives */
function calls(src: string, dst: string, n: number, minutes: number, ip: (i: number) => string | null): AccessEventInput[] {
  return Array.from({ length: n }, (_, i) => event(ago(minutes) + i, `${dst}-${src}-${minutes}-${i}`, { srcService: src, dstService: dst, clientIp: ip(i), tokenId: null, proxyId: `${dst.split('/').pop()}-px` }));
}
const pod = (i: number) => `10.4.${i % 250}.7`;
const internet = (i: number) => `203.0.113.${i % 250}`;

describeEachEngine('services whose telemetry names no caller', (h) => {
  const ctx = () => ({ ...ctxFor(h.db, actor('viewer')), now: () => new Date(NOW) });

  it('flags a service called by pods that name no caller; a gateway, a service the outside calls directly and a small one are not', async () => {
    const events = [
      // a sidecar whose log format leaves out the peer certificate: pods call it, unnamed
      ...calls('external', 'shop/orders', 300, 10, pod),
      ...calls('shop/web', 'shop/orders', 5, 5, pod),
      // the front door: called from the internet, forwards into the mesh
      ...calls('external', 'edge/gateway', 400, 10, internet),
      ...calls('edge/gateway', 'shop/web', 380, 10, pod),
      // static assets the internet fetches directly: not a front door, but not pods either
      ...calls('external', 'shop/assets', 300, 10, internet),
      // no address at all: nothing says it is the outside
      ...calls('external', 'shop/ledger', 150, 10, () => null),
      // too few requests to judge
      ...calls('external', 'shop/rare', 20, 10, pod),
      // older than the hour
      ...calls('external', 'shop/old', 300, 120, pod),
      // a proxy that could not name its destination
      ...calls('external', 'unknown', 42, 3, pod),
    ];
    await ingest(h.db, [{ events, principal }], NOW);
    expect(await identityGaps(ctx())).toEqual({
      services: [
        { service: 'shop/orders', requests: 305, noCaller: 300, proxies: ['orders-px'] },
        { service: 'shop/ledger', requests: 150, noCaller: 150, proxies: ['ledger-px'] },
      ],
      more: 0,
      unknownDestination: 42,
    });
  });

  it('is quiet on a mesh whose callers are named', async () => {
    await ingest(h.db, [{ events: [...calls('external', 'edge/gateway', 300, 10, internet), ...calls('edge/gateway', 'shop/web', 300, 10, pod), ...calls('shop/web', 'shop/orders', 200, 10, pod)], principal }], NOW);
    expect(await identityGaps(ctx())).toEqual({ services: [], more: 0, unknownDestination: 0 });
  });
});
