import { TRPCError } from '@trpc/server';
import { expect, it } from 'vitest';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { insertRollups } from '@/server/traffic/rollup-fixture';
import type { TrpcContext } from '@/server/trpc';
import { createCaller } from './index';

const NOW = new Date('2026-11-23T12:34:56Z');
const range = { preset: '1h' as const };

describeEachEngine('dataflow procedures', (h) => {
  const viewer = () => createCaller({ ...ctxFor(h.db, actor('viewer'), { now: () => NOW }), sameOrigin: true } satisfies TrpcContext);

  it('serve a viewer classes, heatmaps, flows and a token page, in the declared shapes', async () => {
    await insertRollups(h.db, [
      { at: '2026-11-23T12:10:00Z', src: 'web/bff', dst: 'payments/cards', tokenId: 'tok_a', route: '/api/cards/{id}', n: 4,
        sensitive: [{ class: 'credit_card', direction: 'response', count: 1 }] },
      { at: '2026-11-23T12:12:00Z', src: 'external', dst: 'identity/users', tokenId: 'tok_b', n: 2,
        sensitive: [{ class: 'email', direction: 'request', count: 3 }] },
    ]);
    const api = viewer();
    expect((await api.dataflow.classes({ range })).map((c) => [c.class, c.matches])).toEqual([['email', 6], ['credit_card', 4]]);
    const services = await api.dataflow.matrix({ range, dimension: 'service' });
    expect(services.keys.map((k) => k.key)).toEqual(['identity/users', 'payments/cards']);
    const tokens = await api.dataflow.matrix({ range, dimension: 'token', class: 'credit_card' });
    expect(tokens.keys.map((k) => k.key)).toEqual(['tok_a']);
    const flows = await api.dataflow.flows({ range, class: 'email' });
    expect(flows).toEqual({ total: 1, rows: [{ src: 'external', dst: 'identity/users', class: 'email', direction: 'request', matches: 6, events: 2 }] });
    const token = await api.dataflow.token({ range, tokenId: 'tok_a' });
    expect(token).toMatchObject({ tokenId: 'tok_a', totals: { requests: 4, matches: 4 }, routes: [expect.objectContaining({ route: '/api/cards/{id}' })] });
    expect(token.firstSeen).toBeInstanceOf(Date);
    const unknown = await api.dataflow.token({ range, tokenId: 'tok_never' });
    expect(unknown).toMatchObject({ firstSeen: null, lastSeen: null, routes: [], classes: [] });
  });

  it('refuse bad input with BAD_REQUEST: empty token, unknown sort, page size, dimension', async () => {
    const api = viewer();
    const bad = async (p: Promise<unknown>) => {
      const e: unknown = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TRPCError);
      expect((e as TRPCError).code).toBe('BAD_REQUEST');
    };
    await bad(api.dataflow.token({ range, tokenId: '   ' }));
    await bad(api.dataflow.token({ range } as never));
    await bad(api.dataflow.flows({ range, sort: 'bytes' } as never));
    await bad(api.dataflow.flows({ range, pageSize: 1000 }));
    await bad(api.dataflow.matrix({ range, dimension: 'route' } as never));
    await bad(api.dataflow.classes({ range: { preset: 'forever' } } as never));
  });
});
