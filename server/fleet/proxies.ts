import { desc, eq, gte, sql } from 'drizzle-orm';
import { proxies, proxyMinuteStats, proxyTokens } from '@/db/schema';
import type { Ctx } from '@/server/context';

/** A proxy is silent once it has missed two heartbeat intervals (PCI-DSS 10.7). */
export const SILENT_AFTER_INTERVALS = 2;
/** events/min is the average over this many minutes */
export const RATE_WINDOW_MIN = 5;

export function isSilent(lastSeenAt: Date, intervalS: number, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() > SILENT_AFTER_INTERVALS * intervalS * 1000;
}

/** Every proxy with its health, newest contact first; events/min averages the last five minutes. */
export async function listProxies(ctx: Ctx) {
  const now = ctx.now();
  const since = new Date(now.getTime() - RATE_WINDOW_MIN * 60_000);
  const recent = ctx.db
    .select({ proxyId: proxyMinuteStats.proxyId, events: sql<number>`sum(${proxyMinuteStats.events})::int`.as('events') })
    .from(proxyMinuteStats)
    .where(gte(proxyMinuteStats.minute, since))
    .groupBy(proxyMinuteStats.proxyId)
    .as('recent');
  const rows = await ctx.db
    .select({
      id: proxies.id,
      service: proxies.service,
      cluster: proxies.cluster,
      node: proxies.node,
      version: proxies.version,
      policyRevision: proxies.policyRevision,
      intervalS: proxies.intervalS,
      counters: proxies.counters,
      firstSeenAt: proxies.firstSeenAt,
      lastSeenAt: proxies.lastSeenAt,
      lastHeartbeatAt: proxies.lastHeartbeatAt,
      lastEventAt: proxies.lastEventAt,
      tokenId: proxies.tokenId,
      tokenName: proxyTokens.name,
      tokenRevoked: sql<boolean>`${proxyTokens.revokedAt} is not null`,
      recentEvents: sql<number>`coalesce(${recent.events}, 0)`,
    })
    .from(proxies)
    .leftJoin(proxyTokens, eq(proxyTokens.id, proxies.tokenId))
    .leftJoin(recent, eq(recent.proxyId, proxies.id))
    .orderBy(desc(proxies.lastSeenAt));
  return rows.map((r) => ({
    ...r,
    eventsPerMin: Math.round((Number(r.recentEvents) / RATE_WINDOW_MIN) * 10) / 10,
    silent: isSilent(r.lastSeenAt, r.intervalS, now),
  }));
}

export async function fleetSummary(ctx: Ctx) {
  const list = await listProxies(ctx);
  return { total: list.length, silent: list.filter((p) => p.silent).length };
}

