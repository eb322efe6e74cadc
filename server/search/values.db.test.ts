import { expect, it } from 'vitest';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { topValues, type ValuesInput } from './values';

const T = Date.UTC(2026, 0, 15, 12);
const range = { from: new Date(T), to: new Date(T + 3_600_000) };
const cc = { class: 'credit_card', direction: 'response' as const, count: 4 };

describeEachEngine('search top values', (h) => {
  const top = (input: Omit<ValuesInput, 'from' | 'to'>) => topValues(ctxFor(h.db, actor('viewer')), { ...range, ...input });

  it('lists the most frequent values in range, by prefix and under the query', async () => {
    await ingest(h.db, [{ principal, events: [
      event(T + 1000, 'a1', { dstService: 'shop/orders' }),
      event(T + 2000, 'a2', { dstService: 'shop/orders', method: 'post' }),
      event(T + 3000, 'a3', { dstService: 'shop/orders', status: 500, sensitive: [cc, { ...cc, direction: 'request' }] }),
      event(T + 4000, 'a4', { dstService: 'shop/100%_off', clientIp: '10.0.0.7', sensitive: [{ class: 'email', direction: 'request', count: 1 }] }),
      event(T + 5000, 'a5', { dstService: 'shop/100x_off', sensitive: [cc], userAgent: 'Python-requests/2' }),
      event(T + 6000, 'a6', { dstService: 'bank/accounts', tokenId: null }),
      event(T - 1000, 'old', { dstService: 'shop/old' }),
    ] }], T + 3_600_000);
    expect(await top({ field: 'service' })).toEqual({ field: 'service', values: [
      { value: 'shop/orders', count: 3 }, { value: 'bank/accounts', count: 1 }, { value: 'shop/100%_off', count: 1 }, { value: 'shop/100x_off', count: 1 },
    ] });
    expect((await top({ field: 'service', prefix: 'shop/' })).values.map((v) => v.value)).toEqual(['shop/orders', 'shop/100%_off', 'shop/100x_off']);
    // the user's % and _ are literal
    expect((await top({ field: 'service', prefix: 'shop/100%_' })).values).toEqual([{ value: 'shop/100%_off', count: 1 }]);
    expect((await top({ field: 'service', prefix: "'; drop table access_events; --" })).values).toEqual([]);
    expect((await top({ field: 'service', q: 'status:500' })).values).toEqual([{ value: 'shop/orders', count: 1 }]);
    expect((await top({ field: 'service', limit: 1 })).values).toHaveLength(1);
    // an event counts once per class, whatever its directions
    expect((await top({ field: 'class' })).values).toEqual([{ value: 'credit_card', count: 2 }, { value: 'email', count: 1 }]);
    expect((await top({ field: 'class', prefix: 'em' })).values).toEqual([{ value: 'email', count: 1 }]);
    expect((await top({ field: 'method', prefix: 'p' })).values).toEqual([{ value: 'POST', count: 1 }]);
    expect((await top({ field: 'user_agent', prefix: 'python' })).values).toEqual([{ value: 'Python-requests/2', count: 1 }]);
    expect((await top({ field: 'client.address', prefix: '10.0.' })).values).toEqual([{ value: '10.0.0.7', count: 1 }]);
    expect((await top({ field: 'status' })).values).toEqual([{ value: '200', count: 5 }, { value: '500', count: 1 }]);
    expect((await top({ field: 'token' })).values).toEqual([{ value: 'tok-1', count: 5 }]);
  });

  it('refuses fields whose values do not repeat', async () => {
    await expect(top({ field: 'path' as never })).rejects.toThrow();
    await expect(top({ field: 'bytes_out' as never })).rejects.toThrow();
  });
});
