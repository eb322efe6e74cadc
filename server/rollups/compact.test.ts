import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows, type Db } from '@/db/client';
import { edgeHour, edgeMinute } from '@/db/schema';
import { compactionState, compactRollups, SWEEP_MARGIN_MS } from './compact';
import { LATE_EVENT_MS } from './ingest-sql';
import { pruneMinuteRollups } from './prune';
import { describeEachEngine } from '@/server/testing/db';
import { allMismatches, countRows, event, ingest, principal } from './test-events';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 23, 10, 20);

const hourRequests = async (db: Db) =>
  (await db.select().from(edgeHour).orderBy(edgeHour.bucket)).map((r) => [r.bucket.toISOString(), r.requests]);
const batch = (tag: string, ts: number[]) => [{ events: ts.map((t, i) => event(t, `${tag}-${i}`)), principal }];


describeEachEngine('rollup compaction', (h) => {
  it('includes the current hour, and is idempotent', async () => {
    await ingest(h.db, batch('a', [NOW - 2 * MIN, NOW - MIN, NOW - 25 * MIN]), NOW);
    expect(await compactRollups(h.db, NOW)).toEqual({ hours: 2, dirty: 1 });
    const first = await h.db.select().from(edgeHour).orderBy(edgeHour.bucket);
    expect(first.map((r) => [r.bucket.toISOString(), r.requests])).toEqual([
      ['2026-11-23T09:00:00.000Z', 1], ['2026-11-23T10:00:00.000Z', 2],
    ]);
    await compactRollups(h.db, NOW);
    await compactRollups(h.db, NOW, { span: { from: new Date(NOW - DAY), to: new Date(NOW + HOUR) } });
    expect(await h.db.select().from(edgeHour).orderBy(edgeHour.bucket)).toEqual(first);
    expect((await compactionState(h.db)).compactedAt?.getTime()).toBe(NOW);
  });

  it('picks up on-time events committed after a run, in the hour before that run', async () => {
    const run = Date.UTC(2026, 10, 23, 10, 2);
    await compactRollups(h.db, run);
    // Stamped by a writer whose clock read 10:01 (a slow statement), inside the late threshold.
    await ingest(h.db, batch('a', [run - LATE_EVENT_MS + 2 * MIN]), run - MIN);
    expect(await countRows(h.db, 'rollup_dirty_hours')).toBe(0);
    await compactRollups(h.db, run + MIN);
    expect(await hourRequests(h.db)).toEqual([['2026-11-23T09:00:00.000Z', 1]]);
    expect(SWEEP_MARGIN_MS).toBeGreaterThan(LATE_EVENT_MS);
  });

  it('recomputes hours marked dirty by late events and consumes the marks', async () => {
    await ingest(h.db, batch('a', [NOW - 5 * HOUR, NOW]), NOW);
    await compactRollups(h.db, NOW);
    await h.db.execute(sql`truncate rollup_dirty_hours`);
    await ingest(h.db, batch('b', [NOW - 5 * HOUR + MIN, NOW - 5 * HOUR + 2 * MIN]), NOW + MIN);
    expect(await countRows(h.db, 'rollup_dirty_hours')).toBe(1);
    expect(await compactRollups(h.db, NOW + 2 * MIN)).toMatchObject({ dirty: 1 });
    expect(await countRows(h.db, 'rollup_dirty_hours')).toBe(0);
    expect(await hourRequests(h.db)).toEqual([['2026-11-23T05:00:00.000Z', 3], ['2026-11-23T10:00:00.000Z', 1]]);
    expect(await allMismatches(h.db)).toEqual([]);
  });

  it('without its mark, an old hour is left as it was (the mark is what brings it back)', async () => {
    await ingest(h.db, batch('a', [NOW - 5 * HOUR]), NOW);
    await compactRollups(h.db, NOW);
    await ingest(h.db, batch('b', [NOW - 5 * HOUR]), NOW + MIN);
    await h.db.execute(sql`truncate rollup_dirty_hours`);
    await compactRollups(h.db, NOW + 2 * MIN);
    expect(await hourRequests(h.db)).toEqual([['2026-11-23T05:00:00.000Z', 1]]);
  });

  it('compacts an explicit span only, without recording a run', async () => {
    await ingest(h.db, batch('a', [NOW - 30 * HOUR, NOW - 3 * HOUR, NOW - 3 * HOUR + MIN]), NOW);
    await h.db.execute(sql`truncate rollup_dirty_hours`);
    // 06:20–08:20: the hours 06, 07 and 08.
    expect(await compactRollups(h.db, NOW, { span: { from: new Date(NOW - 4 * HOUR), to: new Date(NOW - 2 * HOUR) } }))
      .toEqual({ hours: 3, dirty: 0 });
    expect(await hourRequests(h.db)).toEqual([['2026-11-23T07:00:00.000Z', 2]]);
    expect((await compactionState(h.db)).compactedAt).toBeNull();
  });

  it('on the first run, compacts every hour that holds minute rows', async () => {
    await ingest(h.db, batch('a', [NOW - 3 * DAY, NOW - 30 * HOUR, NOW]), NOW);
    await h.db.execute(sql`truncate rollup_dirty_hours`);
    expect(await compactRollups(h.db, NOW)).toEqual({ hours: 3, dirty: 0 });
    expect(await allMismatches(h.db)).toEqual([]);
  });

  it('prunes minutes past MINUTE_ROLLUP_DAYS into their hours, and keeps late additions exact', async () => {
    const old = NOW - 8 * DAY;
    await ingest(h.db, batch('a', [old, old + MIN, old + HOUR, NOW - DAY]), NOW);
    // Never compacted before: pruning is those hours' compaction.
    const pruned = await pruneMinuteRollups(h.db, NOW);
    expect(pruned.minutesFrom.getTime()).toBe(Date.UTC(2026, 10, 16, 10));
    expect((await h.db.select().from(edgeMinute)).map((r) => r.bucket.getTime())).toEqual([NOW - DAY]);
    expect(await hourRequests(h.db)).toEqual([['2026-11-15T10:00:00.000Z', 2], ['2026-11-15T11:00:00.000Z', 1]]);
    expect(await pruneMinuteRollups(h.db, NOW)).toMatchObject({ hours: 0 });

    await ingest(h.db, batch('b', [old + 2 * MIN, old]), NOW + MIN);
    await ingest(h.db, batch('a', [old]), NOW + MIN);
    await compactRollups(h.db, NOW + 2 * MIN);
    expect(await hourRequests(h.db)).toEqual([
      ['2026-11-15T10:00:00.000Z', 4], ['2026-11-15T11:00:00.000Z', 1], ['2026-11-22T10:00:00.000Z', 1],
    ]);
    expect(await countRows(h.db, 'edge_minute', `bucket < '${pruned.minutesFrom.toISOString()}'`)).toBe(0);
    expect(await allMismatches(h.db, pruned.minutesFrom)).toEqual([]);
  });

  it.skipIf(h.engine !== 'postgres')('leaves a mark an unfinished ingest holds for the next run', async () => {
    await ingest(h.db, batch('a', [NOW - 5 * HOUR, NOW]), NOW);
    await compactRollups(h.db, NOW);
    await ingest(h.db, batch('b', [NOW - 5 * HOUR]), NOW);
    expect(await countRows(h.db, 'rollup_dirty_hours')).toBe(1);
    await h.db.transaction(async (tx) => {
      // This ingest holds the existing mark: the run neither waits for it nor consumes it.
      await ingest(tx as unknown as Db, batch('c', [NOW - 5 * HOUR + MIN]), NOW);
      expect(await compactRollups(h.db, NOW + MIN)).toMatchObject({ dirty: 0 });
    });
    expect(await hourRequests(h.db)).toEqual([['2026-11-23T05:00:00.000Z', 2], ['2026-11-23T10:00:00.000Z', 1]]);
    expect(await countRows(h.db, 'rollup_dirty_hours')).toBe(1);
    await compactRollups(h.db, NOW + 2 * MIN);
    expect(await hourRequests(h.db)).toEqual([['2026-11-23T05:00:00.000Z', 3], ['2026-11-23T10:00:00.000Z', 1]]);
    const [{ n }] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from rollup_dirty_hours`);
    expect(n).toBe(0);
  });
});
