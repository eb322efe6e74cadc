import { expect, it } from 'vitest';
import { event, ingest, principal } from '@/server/rollups/test-events';
import { describeEachEngine } from '@/server/testing/db';
import type { PolicyDocument } from './model';
import { replay } from './shadow';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const doc: PolicyDocument = {
  service: 'shop/users',
  defaultAction: 'deny',
  allow: [{ caller: 'shop/web', method: 'GET', template: '/api/users/{user_id}', endpointId: null }],
  deny: [{ kind: 'token', value: 'tok-stolen', reason: 'exfiltration', expiresAt: null }],
};

describeEachEngine('shadow impact', (h) => {
  it('replays the window through the revision: what it would deny, grouped by caller, endpoint and reason, with examples', async () => {
    const events = [];
    for (let i = 0; i < 30; i++) events.push(event(NOW - 3600_000 + i * 1000, `ok-${i}`, { path: `/api/users/${i}` }));
    for (let i = 0; i < 7; i++) events.push(event(NOW - 1800_000 + i, `adm-${i}`, { srcService: 'shop/admin', method: 'DELETE', path: `/api/users/${i}`, route: '/api/users/{user_id}' }));
    for (let i = 0; i < 4; i++) events.push(event(NOW - 1700_000, `tok-${i}`, { tokenId: 'tok-stolen', path: `/api/users/${i}` }));
    events.push(event(NOW - 1600_000, 'trick', { path: '/api/users/1/../2' }));
    events.push(event(NOW - 30 * 3600_000, 'old', { srcService: 'shop/admin', method: 'DELETE' })); // outside the window
    events.push(event(NOW - 1000, 'other-svc', { dstService: 'shop/cart', path: '/cart' }));
    await ingest(h.db, [{ events, principal }], NOW);

    const r = await replay(h.db, doc, new Date(NOW - 24 * 3600_000), new Date(NOW), new Date(NOW));
    expect(r).toMatchObject({ evaluated: 42, denied: 12, byReason: { not_whitelisted: 7, denied_actor: 4, ambiguous_path: 1 }, callers: 2, truncated: false });
    expect(r.groups.map((g) => [g.reason, g.caller, g.method, g.route, g.count])).toEqual([
      ['not_whitelisted', 'shop/admin', 'DELETE', '/api/users/{user_id}', 7],
      ['denied_actor', 'shop/web', 'GET', '/api/users/{id}', 4],
      ['ambiguous_path', 'shop/web', 'GET', '/api/users/{id}', 1],
    ]);
    expect(r.groups[0].examples).toHaveLength(3);
    expect(r.groups[0].examples[0]).toMatchObject({ path: '/api/users/0', requestId: 'adm-0', ts: new Date(NOW - 1800_000) });
    expect(r.groups[1].examples[0].tokenId).toBe('tok-stolen');
    // read in pages of 5 (events sharing a timestamp included), the answer is the same
    const paged = await replay(h.db, doc, new Date(NOW - 24 * 3600_000), new Date(NOW), new Date(NOW), 5);
    expect({ ...paged, groups: paged.groups.map((g) => g.count) }).toEqual({ ...r, groups: r.groups.map((g) => g.count) });
  });
});
