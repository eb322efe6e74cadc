import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '@/db/client';
import { compactRollups } from '@/server/rollups/compact';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { describeEachEngine } from '@/server/testing/db';
import { panelTokens, PANEL_TOKENS } from './graph-edge';
import { resolveRange } from './time-range';

const HOUR = 3600_000;
const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const NOW = T0 + 5 * HOUR + 17 * 60_000;

/**
 * panelTokens ranks from token_edge (hour rows the compaction job derives, plus token_minute's
 * minutes); it must answer exactly what ranking token_minute's rows directly answers.
 */
describeEachEngine('panel tokens', (h) => {
  it('ranks the same tokens with the same sums as the token rows, over whole and partial hours', async () => {
    const events = [];
    let r = 7;
    // a small xorshift: deterministic and spread over every field
    const rand = (n: number) => {
      r ^= r << 13; r ^= r >>> 17; r ^= r << 5;
      return (r >>> 0) % n;
    };
    for (let i = 0; i < 3000; i++) {
      events.push(event(T0 + rand(5 * HOUR + 17 * 60_000), `r-${i}`, {
        tokenId: `tok-${rand(40)}`, srcService: ['shop/web', 'external', 'shop/cart'][rand(3)], dstService: ['shop/users', 'shop/orders'][rand(2)],
        method: ['GET', 'POST'][rand(2)], route: ['/a/{id}', '/b', '/c/{id}/d'][rand(3)], status: [200, 200, 503][rand(3)],
      }));
    }
    expect(await ingest(h.db, [{ events, principal }], NOW)).toBe(events.length);
    await compactRollups(h.db, NOW, { span: { from: new Date(T0), to: new Date(NOW) } });

    for (const preset of ['1h', '6h'] as const) {
      const range = resolveRange({ preset }, new Date(NOW));
      for (const [where, filter] of [
        [sql`dst_service = 'shop/users'`, `dst_service = 'shop/users'`],
        [sql`src_service = 'external' and dst_service = 'shop/orders'`, `src_service = 'external' and dst_service = 'shop/orders'`],
      ] as const) {
        const direct = await rows<{ tokenId: string; requests: number; errors: number; routes: number }>(h.db, sql.raw(
          `select token_id as "tokenId", sum(requests)::int as requests, sum(errors)::int as errors, count(distinct (method, route))::int as routes
           from token_minute where ${filter} and bucket >= '${range.from.toISOString()}' and bucket < '${range.to.toISOString()}'
           group by 1 order by 2 desc, 1 limit ${PANEL_TOKENS}`));
        expect(direct.length).toBe(PANEL_TOKENS);
        expect(await panelTokens(h.db, range, where)).toEqual(direct);
      }
    }
  });
});
