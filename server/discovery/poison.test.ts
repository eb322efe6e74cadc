// Issue 9 item 4: a `%00` in a path became a NUL in a learned template; jsonb refused it and
// the service's inventory never saved again, surviving restarts (the events were replayed at
// start). One bad path, sample or endpoint must cost only itself.
import { expect, it } from 'vitest';
import { endpoints } from '@/db/schema';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { describeEachEngine } from '@/server/testing/db';
import { DiscoveryLearner } from './learner';
import { DiscoveryService } from './service';
import { StatsBaseline } from './stats-delta';
import { persistService, unstorableAt } from './store';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const S = 'shop/files';

function traffic(from: number, poisoned: boolean) {
  const out = [];
  for (let i = 0; i < 40; i++) {
    out.push(event(NOW - 60_000 + i, `ok-${from + i}`, { dstService: S, path: `/api/files/${1000 + from + i}`, route: '/api/files/{id}' }));
    out.push(event(NOW - 60_000 + i, `me-${from + i}`, { dstService: S, path: '/api/files/me', route: '/api/files/me' }));
    if (poisoned) {
      // what ingest let through before it decoded paths: NUL and a newline behind escapes, and a JSON sample key with a NUL
      out.push(event(NOW - 60_000 + i, `nul-${from + i}`, { dstService: S, path: `/api/blobs/x%00${i}/raw`, route: '/api/blobs/{id}/raw' }));
      out.push(event(NOW - 60_000 + i, `lf-${from + i}`, { dstService: S, path: '/api/x%0Ay', route: '/api/x%0Ay' }));
      out.push(event(NOW - 60_000 + i, `smp-${from + i}`, { dstService: S, path: '/api/files/me', route: '/api/files/me', sample: '{"ok":1,"bad\\u0000key":2,"\\ud800":3}' }));
    }
  }
  return out;
}

describeEachEngine('discovery with poisoned paths', (h) => {
  const stored = async () => (await h.db.select().from(endpoints)).filter((e) => e.service === S).map((e) => ({ t: `${e.method} ${e.template}`, schema: e.bodySchema }));

  it('learns and stores the service; the paths that decode to control characters are left out', async () => {
    const d = new DiscoveryService(h.db, { now: () => new Date(NOW) });
    d.observeEvents(traffic(0, true));
    await d.persist(); // threw "unsupported Unicode escape sequence" before, and on every later write
    const list = await stored();
    expect(list.map((e) => e.t).sort()).toEqual(['GET /api/files/me', 'GET /api/files/{file_id}']);
    expect(list.find((e) => e.t === 'GET /api/files/me')!.schema).toMatchObject({ properties: { ok: { type: 'integer' } } });
    expect(JSON.stringify(list)).not.toMatch(/\\u0000|\\ud800/);
    expect(d.learner.unsafe).toBe(80);
  });

  it('a restarted console warms from the stored poisoned events and still writes the inventory', async () => {
    await ingest(h.db, [{ events: traffic(100, true), principal }], NOW);
    const d = new DiscoveryService(h.db, { now: () => new Date(NOW) });
    expect(await d.warm(new Date(NOW + 1000))).toBeGreaterThan(100);
    d.observeEvents(traffic(200, false));
    await d.persist();
    expect((await stored()).map((e) => e.t).sort()).toEqual(['GET /api/files/me', 'GET /api/files/{file_id}']);
  });

  it('an endpoint holding what the database refuses is skipped and counted; the others are written', async () => {
    const l = new DiscoveryLearner();
    for (const e of traffic(300, false)) l.observe({ service: S, method: 'GET', path: e.path, status: 200, caller: 'shop/web', ts: e.ts });
    const learned = l.endpointsOf(S);
    expect(learned).toHaveLength(2);
    // as if a future change let one through: a NUL in a template, a lone surrogate in an example
    const bad = [{ ...learned[0], template: '/api/x\u0000' }, { ...learned[1], template: '/api/y', params: [{ name: 'id', type: 'string' as const, examples: ['\ud800'] }] }];
    const r = await persistService(h.db, S, [...learned, ...bad], new StatsBaseline(), new Date(NOW));
    expect(r.skipped).toBe(2);
    expect(r.created).toBe(2);
    expect((await stored()).map((e) => e.t).sort()).toEqual(['GET /api/files/me', 'GET /api/files/{file_id}']);
  });
});

it('names where an unstorable string is', () => {
  expect(unstorableAt({ a: ['ok', 'x\u0000'] })).toBe('$.a[1]');
  expect(unstorableAt({ ['k\u0000']: 1 })).toBe('$ (a key)');
  expect(unstorableAt({ a: '\udc00' })).toBe('$.a');
  expect(unstorableAt({ a: ['ok', { b: 'é😀' }], n: 1, z: null })).toBeNull();
});
