import { TRPCError } from '@trpc/server';
import { expect, it } from 'vitest';
import { proxies } from '@/db/schema';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { insertRollups } from '@/server/traffic/rollup-fixture';
import type { TrpcContext } from '@/server/trpc';
import { createCaller } from './index';

const NOW = new Date('2026-11-23T12:34:56Z');
const range = { preset: '1h' as const };

describeEachEngine('overview procedures', (h) => {
  const viewer = () => createCaller({ ...ctxFor(h.db, actor('viewer'), { now: () => NOW }), sameOrigin: true } satisfies TrpcContext);

  it('serve a viewer every figure of the page, in the declared shapes', async () => {
    await insertRollups(h.db, [
      { at: '2026-11-23T12:10:00Z', src: 'web/gateway', dst: 'shop/cart', tokenId: 'tok_a', n: 9, durationMs: 12,
        sensitive: [{ class: 'email', direction: 'response', count: 2 }] },
      { at: '2026-11-23T12:11:00Z', src: 'web/gateway', dst: 'shop/cart', n: 1, status: 502, durationMs: 900 },
    ]);
    await h.db.insert(proxies).values({ id: 'p-1', tokenId: 'pt_1', version: '1.4.2', firstSeenAt: NOW, lastSeenAt: NOW });
    const api = viewer();
    expect(await api.overview.stats({ range })).toMatchObject({ requests: 10, errors: 1, errorRate: 0.1, sensitiveMatches: 18 });
    const series = await api.overview.series({ range });
    expect(series.points).toHaveLength(61);
    expect(series.points.find((p) => p.t === Date.parse('2026-11-23T12:11:00Z'))).toMatchObject({ requests: 1, errors: 1 });
    const top = await api.overview.topTalkers({ range });
    expect(top.edges).toEqual([expect.objectContaining({ src: 'web/gateway', dst: 'shop/cart', requests: 10, errorRate: 0.1 })]);
    expect(await api.overview.topTokens({ range, limit: 5 })).toEqual([{ tokenId: 'tok_a', matches: 18, events: 9, classes: ['email'], requests: 9 }]);
    expect(await api.overview.fleetHealth()).toMatchObject({ total: 1, reporting: 1, silent: 0 });
  });

  it('refuse a malformed range or limit with BAD_REQUEST', async () => {
    const api = viewer();
    const bad = async (p: Promise<unknown>) => {
      const e: unknown = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TRPCError);
      expect((e as TRPCError).code).toBe('BAD_REQUEST');
    };
    await bad(api.overview.stats({ range: { preset: '2y' } } as never));
    await bad(api.overview.series({ range: { from: new Date('2026-11-23T12:00:00Z'), to: new Date('2026-11-23T11:00:00Z') } }));
    await bad(api.overview.topTalkers({ range, limit: 500 }));
    await bad(api.overview.stats(undefined as never));
  });
});
