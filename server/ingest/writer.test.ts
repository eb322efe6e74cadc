import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '@/db/client';
import { accessEvents, proxies, proxyMinuteStats } from '@/db/schema';
import { PartitionManager } from '@/server/maintenance/partitions';
import { describeEachEngine } from '@/server/testing/db';
import type { AccessEventInput } from './event';
import { IngestWriter, WriteRefused } from './writer';

const principal = { tokenId: 'pt_test', tokenName: 'test' };
const T0 = Date.UTC(2026, 10, 23, 9, 30, 15);

function ev(i: number, over: Partial<AccessEventInput> = {}): AccessEventInput {
  return {
    ts: T0 + i * 1000, proxyId: 'proxy-a', requestId: `req-${i}`, source: 'otlp', cluster: 'eu-1', namespace: 'shop',
    srcService: 'shop/web', dstService: 'shop/users', method: 'GET', path: `/api/users/${i}`, route: '/api/users/{id}', query: i % 2 ? 'x=1' : null,
    status: 200, responseFlags: null, durationMs: 12.5, bytesIn: 0, bytesOut: 512, clientIp: '10.1.2.3',
    serverAddress: 'users.shop', userAgent: 'curl/8', protocol: 'HTTP/1.1', tokenId: 'tok-1', userId: 'u-1', mtls: true,
    sensitive: i === 0 ? [{ class: 'email', direction: 'response', count: 2, path: '$.email' }] : null, sample: null, ...over,
  };
}

describeEachEngine('ingest writer', (h) => {
  const writer = (opts: Partial<ConstructorParameters<typeof IngestWriter>[0]> = {}) =>
    new IngestWriter({ db: h.db, partitions: new PartitionManager(h.db), lanes: 2, maxQueuedEvents: 10_000, maxGroupEvents: 5000, now: () => new Date(T0 + 60_000), ...opts });

  it('stores events with every field, creating the day partition on demand', async () => {
    const w = writer();
    expect(await w.submit([ev(0), ev(1)], principal)).toEqual({ stored: 2, duplicates: 0 });
    const stored = await h.db.select().from(accessEvents).orderBy(accessEvents.ts);
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({
      proxyId: 'proxy-a', requestId: 'req-0', source: 'otlp', srcService: 'shop/web', dstService: 'shop/users',
      method: 'GET', path: '/api/users/0', query: null, status: 200, durationMs: 12.5, bytesOut: 512,
      clientIp: '10.1.2.3', mtls: true, tokenId: 'tok-1', userId: 'u-1',
      sensitive: [{ class: 'email', direction: 'response', count: 2, path: '$.email' }],
    });
    expect(stored[0].ts.getTime()).toBe(T0);
    expect(stored[1].query).toBe('x=1');
  });

  it('stores a retried batch once (proxy id + request id + start time)', async () => {
    const w = writer();
    const batch = [ev(0), ev(1), ev(2)];
    await w.submit(batch, principal);
    expect(await w.submit(batch, principal)).toEqual({ stored: 0, duplicates: 3 });
    expect(await w.submit([ev(2), ev(3), ev(3)], principal)).toEqual({ stored: 1, duplicates: 2 });
    const [{ n }] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from access_events`);
    expect(n).toBe(4);
  });

  it('counts only inserted events in the per-minute rollup and registers the proxy', async () => {
    const w = writer();
    await w.submit([ev(0), ev(1), ev(50)], principal);
    await w.submit([ev(0), ev(51)], principal);
    const stats = await h.db.select().from(proxyMinuteStats).orderBy(proxyMinuteStats.minute);
    expect(stats.map((s) => [s.minute.toISOString(), s.events])).toEqual([
      ['2026-11-23T09:30:00.000Z', 2],
      ['2026-11-23T09:31:00.000Z', 2],
    ]);
    const [p] = await h.db.select().from(proxies).where(eq(proxies.id, 'proxy-a'));
    expect(p).toMatchObject({ tokenId: 'pt_test', cluster: 'eu-1', service: 'shop/users' });
    expect(p.lastSeenAt.getTime()).toBe(T0 + 60_000);
    expect(p.lastEventAt?.getTime()).toBe(T0 + 51_000);
  });

  it('merges concurrent batches across lanes and stores every event exactly once', async () => {
    const w = writer({ lanes: 3 });
    const batches = Array.from({ length: 30 }, (_, b) =>
      Array.from({ length: 40 }, (_, i) => ev(b * 40 + i, { proxyId: `proxy-${b % 5}`, requestId: `b${b}-i${i}` })));
    const outcomes = await Promise.all(batches.map((batch) => w.submit(batch, principal)));
    expect(outcomes.reduce((s, o) => s + o.stored, 0)).toBe(1200);
    const [{ n }] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from access_events`);
    expect(n).toBe(1200);
    expect(w.queuedEvents).toBe(0);
    expect(await h.db.select().from(proxies)).toHaveLength(5);
  });

  it('takes every batch that arrived during a statement into the next one, whichever proxy sent it', async () => {
    let statements = 0;
    const counting = new Proxy(h.db, {
      get(target, key, receiver) {
        if (key !== 'execute') return Reflect.get(target, key, receiver);
        return (q: Parameters<typeof h.db.execute>[0]) => {
          statements += 1;
          return target.execute(q);
        };
      },
    });
    const w = writer({ db: counting, lanes: 1 });
    const outcomes = await Promise.all(['proxy-a', 'proxy-b', 'proxy-c', 'proxy-d'].map((proxyId, b) =>
      w.submit([ev(b * 2, { proxyId }), ev(b * 2 + 1, { proxyId })], principal)));
    expect(outcomes).toEqual(Array(4).fill({ stored: 2, duplicates: 0 }));
    // the first batch alone, then the three that queued behind it
    expect(statements).toBe(2);
  });

  it('refuses with "overloaded" instead of growing past its bound', async () => {
    const w = writer({ maxQueuedEvents: 100, lanes: 1 });
    const first = w.submit(Array.from({ length: 80 }, (_, i) => ev(i)), principal);
    const second = w.submit(Array.from({ length: 30 }, (_, i) => ev(100 + i)), principal);
    await expect(second).rejects.toBeInstanceOf(WriteRefused);
    await expect(second).rejects.toMatchObject({ code: 'overloaded', retryAfterS: 1 });
    await first;
    expect(w.queuedEvents).toBe(0);
    await expect(w.submit([ev(200)], principal)).resolves.toEqual({ stored: 1, duplicates: 0 });
  });

  it('isolates a batch the database refuses from the batches merged with it', async () => {
    const w = writer({ lanes: 1 });
    const bad = ev(7, { requestId: 'bad', clientIp: 'not-an-ip' });
    const results = await Promise.allSettled([
      w.submit([ev(1)], principal),
      w.submit([bad], principal),
      w.submit([ev(2)], principal),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'invalid' });
    const [{ n }] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from access_events`);
    expect(n).toBe(2);
  });

  it('refuses new batches once closed, after committing the queued ones', async () => {
    const w = writer();
    const pending = w.submit([ev(1)], principal);
    await w.close();
    await expect(pending).resolves.toEqual({ stored: 1, duplicates: 0 });
    await expect(w.submit([ev(2)], principal)).rejects.toMatchObject({ code: 'unavailable' });
  });
});
