// Which proxies run which revision of their service's policy, and which are late: a proxy
// that has not reported the newest published revision `graceS` after it was published is
// outdated (it may have refused a bundle, lost its connection or be stuck on an old one).
import { eq, inArray, sql } from 'drizzle-orm';
import { proxies } from '@/db/schema/fleet';
import { policyRevisions } from '@/db/schema/policies';
import type { Ctx } from '@/server/context';
import { isSilent } from '@/server/fleet/proxies';

export const DEFAULT_APPLY_GRACE_S = 60;

/** `7`, `r7` and `shop/users@7` all name revision 7. */
export function revisionNumber(reported: string | null): number | null {
  if (!reported) return null;
  const m = /(\d+)\s*$/.exec(reported.trim());
  return m ? Number(m[1]) : null;
}

export type RolloutState = 'current' | 'pending' | 'outdated' | 'none';

export function rolloutState(applied: number | null, latest: { revision: number; publishedAt: Date } | null, now: Date, graceS = DEFAULT_APPLY_GRACE_S): RolloutState {
  if (!latest) return 'none';
  if (applied === latest.revision) return 'current';
  return now.getTime() - latest.publishedAt.getTime() > graceS * 1000 ? 'outdated' : 'pending';
}

export interface ProxyRollout {
  id: string;
  service: string;
  cluster: string | null;
  node: string | null;
  version: string | null;
  applied: number | null;
  reported: string | null;
  lastHeartbeatAt: Date | null;
  silent: boolean;
  state: RolloutState;
}

/** The proxies of `services` (all when omitted) with their rollout state. */
export async function policyRollout(ctx: Ctx, services?: string[], graceS = DEFAULT_APPLY_GRACE_S): Promise<ProxyRollout[]> {
  const now = ctx.now();
  const latest = await ctx.db
    .selectDistinctOn([policyRevisions.service], { service: policyRevisions.service, revision: policyRevisions.revision, publishedAt: policyRevisions.publishedAt })
    .from(policyRevisions)
    .where(services ? sql`${eq(policyRevisions.state, 'published')} and ${inArray(policyRevisions.service, services)}` : eq(policyRevisions.state, 'published'))
    .orderBy(policyRevisions.service, sql`${policyRevisions.revision} desc`);
  const byService = new Map(latest.map((l) => [l.service, { revision: l.revision, publishedAt: l.publishedAt! }]));
  const list = await ctx.db.select().from(proxies).where(services ? inArray(proxies.service, services) : undefined).orderBy(proxies.service, proxies.id);
  return list.map((p) => {
    const applied = revisionNumber(p.policyRevision);
    return {
      id: p.id, service: p.service ?? '', cluster: p.cluster, node: p.node, version: p.version, applied, reported: p.policyRevision,
      lastHeartbeatAt: p.lastHeartbeatAt, silent: isSilent(p.lastSeenAt, p.intervalS, now),
      state: rolloutState(applied, byService.get(p.service ?? '') ?? null, now, graceS),
    };
  });
}
