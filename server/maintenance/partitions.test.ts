import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '@/db/client';
import { edgeHour, edgeMinute, proxyMinuteStats, signInAttempts } from '@/db/schema';
import { compactionState } from '@/server/rollups/compact';
import { describeEachEngine } from '@/server/testing/db';
import { PartitionManager, dayOf, partitionName } from './partitions';
import { deleteBefore, runRetention } from './retention';

const DAY = 86_400_000;

it('names partitions by UTC day', () => {
  expect(partitionName(dayOf(Date.UTC(2026, 10, 23, 23, 59)))).toBe('access_events_p20261123');
  expect(partitionName(dayOf(Date.UTC(2026, 10, 24, 0, 0)))).toBe('access_events_p20261124');
});

describeEachEngine('partitions and retention', (h) => {
  const clean = async () => {
    for (const r of await rows<{ name: string }>(h.db, sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'access_events'`)) {
      await h.db.execute(sql.raw(`drop table "${r.name}"`));
    }
  };

  it('creates today and the days ahead, and a past day on demand, idempotently', async () => {
    await clean();
    const now = Date.UTC(2026, 10, 23, 10);
    const pm = new PartitionManager(h.db);
    await pm.createAhead(now, 2);
    await pm.ensureFor([now - 3 * DAY, now - 3 * DAY + 1000, now]);
    await Promise.all([new PartitionManager(h.db).ensureFor([now - 3 * DAY]), new PartitionManager(h.db).ensureFor([now - 3 * DAY])]);
    expect((await pm.existing()).map((d) => partitionName(d))).toEqual([
      'access_events_p20261120', 'access_events_p20261123', 'access_events_p20261124', 'access_events_p20261125',
    ]);
    await expect(h.db.execute(sql`insert into access_events (ts, proxy_id, request_id, source, src_service, dst_service, method, path, status)
      values ('2026-11-22T10:00:00Z', 'p', 'r', 'otlp', 'a', 'b', 'GET', '/', 200)`)).rejects.toThrow();
  });

  it('drops whole days older than the retention period, and old rollups', async () => {
    await clean();
    const now = Date.UTC(2026, 10, 23, 10);
    const pm = new PartitionManager(h.db);
    await pm.ensureFor([now - 10 * DAY, now - 8 * DAY, now - 7 * DAY, now - 6 * DAY]);
    await h.db.insert(proxyMinuteStats).values([
      { proxyId: 'p', minute: new Date(now - 9 * DAY), events: 1 },
      { proxyId: 'p', minute: new Date(now - DAY), events: 2 },
    ]);
    await h.db.insert(signInAttempts).values({ ts: new Date(now - 30 * DAY), email: 'a@b.c', ip: '1.2.3.4', success: false, reason: 'bad_password' });
    const { dropped } = await runRetention(h.db, pm, now, 7);
    expect(dropped).toEqual(['access_events_p20261113', 'access_events_p20261115']);
    const left = (await pm.existing()).map((d) => partitionName(d));
    expect(left[0]).toBe('access_events_p20261116');
    expect(left).toContain('access_events_p20261126');
    expect((await h.db.select().from(proxyMinuteStats)).map((r) => r.events)).toEqual([2]);
    expect(await h.db.select().from(signInAttempts)).toHaveLength(0);
  });

  it('deletes hour rollups past the retention period and moves minute rollups past MINUTE_ROLLUP_DAYS into hours', async () => {
    const now = Date.UTC(2026, 10, 23, 10);
    const row = (bucket: number, requests: number) => ({ bucket: new Date(bucket), srcService: 'a', dstService: 'b', requests, latency: [requests] });
    await h.db.insert(edgeHour).values([row(now - 40 * DAY, 5), row(now - 20 * DAY, 6), row(now - 8 * DAY, 1)]);
    await h.db.insert(edgeMinute).values([row(now - 8 * DAY, 1), row(now - 8 * DAY + 60_000, 2), row(now - DAY, 3)]);
    await runRetention(h.db, new PartitionManager(h.db), now, 30);
    expect((await h.db.select().from(edgeHour).orderBy(edgeHour.bucket)).map((r) => [(now - r.bucket.getTime()) / DAY, r.requests, r.latency]))
      .toEqual([[20, 6, [6]], [8, 3, [3]]]);
    expect((await h.db.select().from(edgeMinute)).map((r) => (now - r.bucket.getTime()) / DAY)).toEqual([1]);
    expect((await compactionState(h.db)).minutesFrom?.getTime()).toBe(now - 7 * DAY);
  });

  it('deletes in batches until nothing older is left', async () => {
    const now = Date.UTC(2026, 10, 23, 10);
    await h.db.insert(proxyMinuteStats).values(Array.from({ length: 7 }, (_, i) => ({ proxyId: 'p', minute: new Date(now - i * 60_000), events: i })));
    expect(await deleteBefore(h.db, 'proxy_minute_stats', 'minute', new Date(now - 60_000), 2)).toBe(5);
    expect((await h.db.select().from(proxyMinuteStats)).map((r) => r.events).sort()).toEqual([0, 1]);
  });
});
