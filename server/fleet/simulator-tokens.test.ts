import { and, isNull, like, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows } from '@/db/client';
import { proxyTokens } from '@/db/schema';
import { systemCtx } from '@/server/context';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { simulatorTokens } from './simulator-tokens';
import { createProxyToken } from './tokens';

describeEachEngine('the demo fleet\'s proxy tokens', (h) => {
  it('replaces the simulator tokens of an earlier run and leaves other tokens alone', async () => {
    const ctx = systemCtx(h.db, 'simulator');
    const other = await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'prod-eu-1', services: ['*'] });
    const first = await simulatorTokens(ctx, ['a', 'b']);
    const second = await simulatorTokens(ctx, ['a', 'b']);
    expect([...second.keys()]).toEqual(['a', 'b']);
    expect(second.get('a')).not.toBe(first.get('a'));
    const active = await h.db.select({ name: proxyTokens.name }).from(proxyTokens).where(isNull(proxyTokens.revokedAt));
    expect(active.map((t) => t.name).sort()).toEqual(['prod-eu-1', 'simulator: a', 'simulator: b']);
    const all = await h.db.select({ id: proxyTokens.id }).from(proxyTokens).where(and(like(proxyTokens.name, 'simulator:%')));
    expect(all).toHaveLength(4);
    expect(other.name).toBe('prod-eu-1');
    const [{ n }] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from audit_log where action = 'proxy_token.revoke' and reason = 'replaced by the simulator at start'`);
    expect(n).toBe(2);
  });
});
