import { expect, it } from 'vitest';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { describeEachEngine } from '@/server/testing/db';
import { readEvents } from './events';

describeEachEngine('stored events for the engine', (h) => {
  const now = Date.now();
  const at = now - 10 * 60_000;
  /** a burst of parallel requests walking ids: several share a millisecond, their request ids in no order */
  const burst = (first: number, n: number, proxyId = 'proxy-a') => Array.from({ length: n }, (_, i) => event(at + Math.floor((first + i) / 8), `r-${((first + i) * 7919) % 1000}-${proxyId}`, {
    proxyId, path: `/api/accounts/${20_000 + first + i}`, route: '/api/accounts/{id}',
  }));
  const read = async (pageSize: number, limit = 1000) => {
    const out: string[] = [];
    for await (const page of readEvents(h.db, { from: new Date(at - 60_000), to: new Date(now), limit, pageSize })) out.push(...page.events.map((e) => e.path));
    return out;
  };

  it('replays the events of one millisecond in the order they were stored, across pages', async () => {
    await ingest(h.db, [{ events: burst(0, 40), principal }], now);
    await ingest(h.db, [{ events: burst(40, 40), principal }], now);
    const walked = Array.from({ length: 80 }, (_, i) => `/api/accounts/${20_000 + i}`);
    expect(await read(5000)).toEqual(walked);
    // pages that end inside a millisecond go on where they stopped
    expect(await read(7)).toEqual(walked);
    // at most `limit`, from the millisecond where the newest `limit` begin, still in order
    const newest = await read(7, 30);
    expect(newest).toHaveLength(30);
    const from = walked.indexOf(newest[0]);
    expect(from).toBeGreaterThanOrEqual(80 - 30 - 7);
    expect(newest).toEqual(walked.slice(from, from + 30));
  });
});
