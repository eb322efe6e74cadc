import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import superjson from 'superjson';
import { expect, it } from 'vitest';
import type { Actor } from '@/server/context';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import type { TrpcContext } from '@/server/trpc';
import { appRouter, createCaller } from './index';

const T = Date.UTC(2026, 0, 15, 12);
const range = { from: new Date(T), to: new Date(T + 3_600_000) };

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e: unknown = await p.then(() => null, (x: unknown) => x);
  return e instanceof TRPCError ? e.code : String(e);
}

describeEachEngine('search procedures', (h) => {
  const ctx = (who: Actor | null): TrpcContext => ({ ...ctxFor(h.db, who), sameOrigin: true });
  const api = (who: Actor | null = actor('viewer')) => createCaller(ctx(who));

  it('serve a viewer results, histogram, values and fields in the declared shapes', async () => {
    await ingest(h.db, [{ principal, events: [event(T + 1000, 'a', { status: 500 }), event(T + 2000, 'b')] }], T + 3_600_000);
    const page = await api().search.events({ q: 'status>=500', ...range });
    expect(page.rows.map((r) => r.requestId)).toEqual(['a']);
    expect((await api().search.histogram({ q: '', ...range })).total).toBe(2);
    expect((await api().search.values({ field: 'status', ...range })).values).toEqual([{ value: '200', count: 1 }, { value: '500', count: 1 }]);
    const fields = await api().search.fields();
    expect(fields.map((f) => f.name)).toContain('client.address');
  });

  it('answer a query the user must fix with BAD_REQUEST, its message and its column', async () => {
    const err = await api().search.events({ q: 'status:', ...range }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect(err).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^col 8: /) });
    expect(await codeOf(api().search.histogram({ q: '(', ...range }))).toBe('BAD_REQUEST');
    expect(await codeOf(api().search.values({ field: 'service', q: 'nope:x', ...range }))).toBe('BAD_REQUEST');
    expect(await codeOf(api().search.events({ q: '', from: range.to, to: range.from }))).toBe('BAD_REQUEST');
    expect(await codeOf(api().search.events({ q: '', ...range, limit: 501 }))).toBe('BAD_REQUEST');
  });

  it('give the client the column over HTTP', async () => {
    const input = encodeURIComponent(JSON.stringify(superjson.serialize({ q: 'status:', ...range })));
    const res = await fetchRequestHandler({
      endpoint: '/api/trpc',
      req: new Request(`http://localhost/api/trpc/search.events?input=${input}`),
      router: appRouter,
      createContext: () => ctx(actor('viewer')),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { json: { message: string; data: { code: string; column: number | null } } } };
    expect(body.error.json).toMatchObject({ message: expect.stringMatching(/^col 8: /), data: { code: 'BAD_REQUEST', column: 8 } });
  });

  it('refuse a signed-out caller', async () => {
    for (const p of [api(null).search.events({ q: '', ...range }), api(null).search.histogram({ q: '', ...range }), api(null).search.values({ field: 'service', ...range }), api(null).search.fields()]) {
      expect(await codeOf(p)).toBe('UNAUTHORIZED');
    }
  });
});
