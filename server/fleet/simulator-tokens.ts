import { and, isNull, like } from 'drizzle-orm';
import { proxyTokens } from '@/db/schema';
import type { Ctx } from '@/server/context';
import { createProxyToken, revokeProxyToken } from './tokens';

/** Proxy tokens of the built-in simulator are named for the cluster whose proxies use them. */
export const SIMULATOR_TOKEN_PREFIX = 'simulator:';
export const simulatorTokenName = (cluster: string) => `${SIMULATOR_TOKEN_PREFIX} ${cluster}`;

/**
 * Fresh proxy tokens for the simulator, one per cluster, each for every service (`*`: a
 * simulated cluster's proxies report for all its namespaces, as a gateway would), obtained as an admin would create them
 * for real proxies (audited). The previous run's tokens are revoked first: their plaintext died
 * with that process, and while they stay active they would own the simulated proxy ids.
 */
export async function simulatorTokens(ctx: Ctx, clusters: readonly string[]): Promise<Map<string, string>> {
  const stale = await ctx.db
    .select({ id: proxyTokens.id })
    .from(proxyTokens)
    .where(and(like(proxyTokens.name, `${SIMULATOR_TOKEN_PREFIX}%`), isNull(proxyTokens.revokedAt)));
  for (const { id } of stale) {
    await revokeProxyToken(ctx, { tokenId: id, reason: 'replaced by the simulator at start' });
  }
  const tokens = new Map<string, string>();
  for (const cluster of clusters) tokens.set(cluster, (await createProxyToken(ctx, { name: simulatorTokenName(cluster), services: ['*'] })).token);
  return tokens;
}
