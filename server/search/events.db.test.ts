import { desc, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '@/db/client';
import { auditLog } from '@/db/schema';
import type { AccessEventInput } from '@/server/ingest/event';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { actor, ctxFor, describeEachEngine, type Harness } from '@/server/testing/db';
import { DomainError } from '@/server/errors';
import { parseEventKey } from './event-key';
import { searchEvents, type EventRow, type EventsInput } from './events';

const T = Date.UTC(2026, 0, 15, 12);
const HOUR = 3_600_000;
const range = { from: new Date(T), to: new Date(T + HOUR) };

/**
 * 120 events, 40 instants of 3 (rows with equal ts are what keyset pagination gets wrong), two
 * of each three 500s; four of them moved by microseconds, which a millisecond cursor would lose.
 */
async function seedMany(h: Harness) {
  const events = Array.from({ length: 120 }, (_, i) => event(T + Math.floor(i / 3) * 1000, `r${String(i).padStart(3, '0')}`, { status: i % 3 === 2 ? 200 : 500 }));
  // outside the range: never returned
  events.push(event(T - 1, 'before', { status: 500 }), event(T + HOUR, 'at-end', { status: 500 }));
  await ingest(h.db, [{ events, principal }], T + HOUR);
  await h.db.execute(sql`update access_events set ts = ts + interval '250 microseconds' where request_id in ('r030', 'r033', 'r060', 'r061')`);
}

async function everyPage(h: Harness, input: EventsInput): Promise<EventRow[][]> {
  const pages: EventRow[][] = [];
  let cursor: string | undefined;
  do {
    const page = await searchEvents(ctxFor(h.db, actor('viewer')), { ...input, cursor });
    pages.push(page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 100);
  return pages;
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e: unknown = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe('BAD_REQUEST');
  return e as DomainError;
}

describeEachEngine('search events', (h) => {
  it('pages through every matching row exactly once, newest first, ties broken by id', async () => {
    await seedMany(h);
    const expected = await rows<{ request_id: string }>(h.db, sql`select request_id from access_events
      where status = 500 and ts >= ${new Date(T).toISOString()}::timestamptz and ts < ${new Date(T + HOUR).toISOString()}::timestamptz
      order by ts desc, id desc`);
    expect(expected).toHaveLength(80);
    for (const limit of [1, 7, 13, 80, 500]) {
      const pages = await everyPage(h, { q: 'status:500', ...range, limit });
      expect(pages.flat().map((r) => r.requestId), `limit ${limit}`).toEqual(expected.map((r) => r.request_id));
      expect(pages.length, `limit ${limit}`).toBe(Math.ceil(80 / limit));
      expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
    }
    // and all of them, 500s or not
    expect((await everyPage(h, { q: '', ...range, limit: 11 })).flat()).toHaveLength(120);
  });

  it('returns what the result table shows, with a key naming the event', async () => {
    await ingest(h.db, [{ principal, events: [event(T + 5000, 'full', {
      userId: 'alice', clientIp: '2001:db8::1', bytesIn: 3_000_000_000, durationMs: null,
      sensitive: [{ class: 'credit_card', direction: 'response', count: 2, path: '$.card', partial: 'abcd' }, { class: 'credit_card', direction: 'response', count: 1 }],
    })] }], T + HOUR);
    const { rows: [row], nextCursor } = await searchEvents(ctxFor(h.db, actor('viewer')), { q: 'user:alice', ...range });
    expect(nextCursor).toBeNull();
    expect(row).toEqual({
      key: expect.any(String), ts: '2026-01-15T12:00:05.000Z', service: 'shop/users', caller: 'shop/web', method: 'GET', path: '/api/users/1',
      endpoint: '/api/users/{id}', status: 200, durationMs: null, bytesIn: 3_000_000_000, bytesOut: 512, clientAddress: '2001:db8::1',
      userAgent: 'curl/8', token: 'tok-1', user: 'alice', proxy: 'proxy-a', cluster: 'eu-1', namespace: 'shop',
      sensitive: [{ class: 'credit_card', direction: 'response', count: 3 }], requestId: 'full',
    });
    expect(parseEventKey(row.key)).toEqual({ ts: '2026-01-15T12:00:05.000000Z', proxyId: 'proxy-a', requestId: 'full' });
  });

  it('refuses a cursor it did not give out for this search', async () => {
    await seedMany(h);
    const ctx = ctxFor(h.db, actor('viewer'));
    const first = await searchEvents(ctx, { q: 'status:500', ...range, limit: 5 });
    const cursor = first.nextCursor!;
    await refusal(searchEvents(ctx, { q: 'status:500', ...range, limit: 5, cursor: `${cursor.slice(0, -2)}AA` }));
    await refusal(searchEvents(ctx, { q: 'status:200', ...range, limit: 5, cursor }));
    await refusal(searchEvents(ctx, { q: 'status:500', ...range, limit: 5, cursor: "' or 1=1 --" }));
    await expect(searchEvents(ctx, { q: 'status:500', ...range, limit: 5, cursor })).resolves.toMatchObject({ rows: expect.any(Array) });
  });

  it('refuses a range that is empty, reversed or longer than the retention', async () => {
    const ctx = ctxFor(h.db, actor('viewer'));
    expect((await refusal(searchEvents(ctx, { q: '', from: range.from, to: range.from }))).message).toMatch(/start before it ends/);
    await refusal(searchEvents(ctx, { q: '', from: range.to, to: range.from }));
    const week = { from: new Date(T), to: new Date(T + 7 * 86_400_000) };
    expect((await refusal(searchEvents(ctx, { q: '', ...week }, { retentionDays: 6 }))).message).toMatch(/longer than the 6 days/);
    await expect(searchEvents(ctx, { q: '', ...week }, { retentionDays: 7 })).resolves.toEqual({ rows: [], nextCursor: null });
  });

  it('turns a query the user must fix into BAD_REQUEST with its column', async () => {
    const e = await refusal(searchEvents(ctxFor(h.db, actor('viewer')), { q: 'status:500 AND (', ...range }));
    expect(e.column).toBe(17);
    expect(e.message).toMatch(/^col 17: /);
  });

  it('audits each page it returns with the query, range and row count, not the rows; an empty search reads nothing', async () => {
    await seedMany(h);
    const ctx = ctxFor(h.db, actor('viewer', 'usr_reader'));
    const first = await searchEvents(ctx, { q: 'status:500', ...range, limit: 70 });
    await searchEvents(ctx, { q: 'status:500', ...range, limit: 70, cursor: first.nextCursor! });
    await searchEvents(ctx, { q: 'status:404', ...range });
    const entries = await h.db.select().from(auditLog).where(eq(auditLog.action, 'search.read')).orderBy(desc(auditLog.id));
    expect(entries.map((e) => [e.actorId, e.targetType, e.after])).toEqual([
      ['usr_reader', 'access_events', { query: 'status:500', from: range.from.toISOString(), to: range.to.toISOString(), rows: 10, page: 'next' }],
      ['usr_reader', 'access_events', { query: 'status:500', from: range.from.toISOString(), to: range.to.toISOString(), rows: 70, page: 'first' }],
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/r0\d\d|\/api\/users/);
  });
});
