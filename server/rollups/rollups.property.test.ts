import { expect, it } from 'vitest';
import { Prng } from '@/simulator/prng';
import type { AccessEventInput } from '@/server/ingest/event';
import type { InsertJob } from '@/server/ingest/insert';
import { describeEachEngine } from '@/server/testing/db';
import { compactionState, compactRollups } from './compact';
import { LATE_EVENT_MS } from './ingest-sql';
import { pruneMinuteRollups } from './prune';
import { ROLLUPS } from './specs';
import { allMismatches, countRows, event, ingest, principal } from './test-events';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 20, 6, 0);

const SERVICES = ['shop/web', 'shop/users', 'shop/cart', 'pay/api'];
const ROUTES = [['GET', '/api/users/{id}'], ['POST', '/api/cart'], ['GET', '/health']] as const;
const STATUSES = [200, 200, 200, 201, 204, 302, 400, 404, 429, 500, 503];
const CLASSES = ['email', 'card', 'ssn'];

/** A random event: durations are multiples of 1/4 ms, so float sums are exact in any order. */
function randomEvent(r: Prng, ts: number, requestId: string): AccessEventInput {
  const [method, route] = r.pick(ROUTES);
  const sensitive = r.chance(0.3)
    ? Array.from({ length: 1 + r.int(3) }, () => ({
      class: r.pick(CLASSES), direction: r.pick(['request', 'response'] as const), count: 1 + r.int(4),
    }))
    : null;
  return event(ts, requestId, {
    proxyId: `proxy-${r.int(3)}`, srcService: r.pick(SERVICES), dstService: r.pick(SERVICES), method, route,
    status: r.pick(STATUSES), durationMs: r.chance(0.1) ? null : r.chance(0.05) ? 70_000 : r.int(8000) / 4,
    bytesIn: r.chance(0.2) ? null : r.int(5000), bytesOut: r.chance(0.2) ? null : r.int(50_000),
    tokenId: r.chance(0.3) ? null : `tok-${r.int(4)}`, mtls: r.chance(0.1) ? null : r.chance(0.7), sensitive,
  });
}

/**
 * Ingests random batches around an advancing clock (on time, late by up to hours, retried
 * whole or in part), in random groupings, with compaction runs in between; returns counters
 * that show the run exercised what it should.
 */
async function simulate(db: Parameters<typeof ingest>[0], r: Prng, clock: number, steps: number, seed: number, tag: string) {
  const sent: AccessEventInput[][] = [];
  let submitted = 0;
  let inserted = 0;
  let dirty = 0;
  let late = 0;
  for (let step = 0; step < steps; step++) {
    clock += r.int(20) * MIN + r.int(MIN);
    const jobs: InsertJob[] = [];
    for (let b = 1 + r.int(3); b > 0; b--) {
      if (sent.length && r.chance(0.2)) {
        const old = r.pick(sent);
        jobs.push({ events: r.chance(0.5) ? old : old.slice(r.int(old.length)), principal });
        continue;
      }
      const events = Array.from({ length: 1 + r.int(30) }, (_, i) => {
        const isLate = r.chance(0.15);
        late += isLate ? 1 : 0;
        const ts = isLate ? clock - LATE_EVENT_MS - 1 - r.int(3 * HOUR) : clock - r.int(LATE_EVENT_MS);
        return randomEvent(r, ts, `s${seed}-${tag}-${step}-${b}-${i}`);
      });
      sent.push(events);
      jobs.push({ events, principal });
    }
    // Random groupings: one statement per group, as the writer merges queued batches.
    while (jobs.length) {
      const group = jobs.splice(0, 1 + r.int(jobs.length));
      submitted += group.reduce((s, j) => s + j.events.length, 0);
      inserted += await ingest(db, group, clock);
    }
    if (r.chance(0.3)) dirty += (await compactRollups(db, clock)).dirty;
  }
  dirty += (await compactRollups(db, clock)).dirty;
  return { clock, submitted, inserted, dirty, late };
}

describeEachEngine('rollups equal the raw-event aggregates', (h) => {
  it.each([1, 2, 3])('seed %i: every minute and hour rollup, before and after pruning', async (seed) => {
    const r = new Prng(seed);
    const first = await simulate(h.db, r, T0, 24, seed, 'a');
    expect(first.inserted).toBeLessThan(first.submitted);
    expect(first.late).toBeGreaterThan(0);
    expect(first.dirty).toBeGreaterThan(0);
    expect(await countRows(h.db, 'rollup_dirty_hours')).toBe(0);
    expect(await countRows(h.db, ROLLUPS[0].hour)).toBeGreaterThan(3);
    expect(await allMismatches(h.db)).toEqual([]);

    // A week later: the first hours' minutes are pruned, then late events land in them.
    const later = T0 + 7 * DAY + 2 * HOUR;
    await pruneMinuteRollups(h.db, later);
    const { minutesFrom } = await compactionState(h.db);
    expect(minutesFrom?.getTime()).toBe(T0 + 2 * HOUR);
    expect(await countRows(h.db, ROLLUPS[0].minute, `bucket < '${minutesFrom!.toISOString()}'`)).toBe(0);
    expect(await allMismatches(h.db, minutesFrom!)).toEqual([]);

    const lateBatches = Array.from({ length: 4 }, (_, b) => ({
      events: Array.from({ length: 20 }, (_, i) => randomEvent(r, T0 + r.int(4 * HOUR), `s${seed}-late-${b}-${i}`)),
      principal,
    }));
    await ingest(h.db, lateBatches.slice(0, 2), later);
    await ingest(h.db, lateBatches.slice(1), later);
    expect(await countRows(h.db, ROLLUPS[0].minute, `bucket < '${minutesFrom!.toISOString()}'`)).toBeGreaterThan(0);
    await compactRollups(h.db, later);
    expect(await countRows(h.db, ROLLUPS[0].minute, `bucket < '${minutesFrom!.toISOString()}'`)).toBe(0);
    expect(await allMismatches(h.db, minutesFrom!)).toEqual([]);
  });
});
