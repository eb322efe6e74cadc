// What /policies lists: every service that has approved endpoints or a policy, with its
// published and open revisions and how far the fleet has applied the newest; and one service
// with its history.
import { enabledAdminCount } from '@/server/users/provenance';
import { desc, eq, sql } from 'drizzle-orm';
import { rows } from '@/db/client';
import { policyRevisions } from '@/db/schema/policies';
import type { Ctx } from '@/server/context';
import { diffPolicies } from './diff';
import { currentPublished, openRevision, revisionOf, type Revision } from './revisions';
import { policyRollout, type ProxyRollout } from './rollout';
import type { DiffInput } from './schemas';

export interface RevisionBrief {
  id: string;
  revision: number;
  state: Revision['state'];
  sha256: string;
  allow: number;
  deny: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  editors: string[];
  approvedBy: string | null;
  approvedAt: Date | null;
  publishedBy: string | null;
  publishedAt: Date | null;
  rollbackOf: number | null;
  reason: string | null;
}

export function brief(r: Revision): RevisionBrief {
  return {
    id: r.id, revision: r.revision, state: r.state, sha256: r.sha256, allow: r.document.allow.length, deny: r.document.deny.length,
    createdBy: r.createdBy, createdAt: r.createdAt, updatedAt: r.updatedAt, editors: r.editors, approvedBy: r.approvedBy, approvedAt: r.approvedAt,
    publishedBy: r.publishedBy, publishedAt: r.publishedAt, rollbackOf: r.rollbackOf, reason: r.reason,
  };
}

function fleetCounts(list: ProxyRollout[]) {
  return {
    proxies: list.length,
    current: list.filter((p) => p.state === 'current').length,
    pending: list.filter((p) => p.state === 'pending').length,
    outdated: list.filter((p) => p.state === 'outdated').length,
  };
}

export async function listPolicyServices(ctx: Ctx) {
  const found = await rows<{ service: string; approved: number; learned: number; published: number | null; published_at: Date | string | null; open: number | null; open_state: string | null }>(
    ctx.db,
    sql`with svc as (
          select service from endpoints union select service from policy_revisions
        ), ep as (
          select service, count(*) filter (where state = 'approved')::int as approved, count(*) filter (where state = 'learned')::int as learned
          from endpoints group by service
        ), pub as (
          select distinct on (service) service, revision, published_at from policy_revisions where state = 'published' order by service, revision desc
        ), open as (
          select service, revision, state from policy_revisions where state in ('draft', 'approved')
        )
        select svc.service, coalesce(ep.approved, 0) as approved, coalesce(ep.learned, 0) as learned,
          pub.revision as published, pub.published_at, open.revision as open, open.state as open_state
        from svc left join ep using (service) left join pub using (service) left join open using (service)
        order by svc.service`,
  );
  const rollout = await policyRollout(ctx);
  const byService = new Map<string, ProxyRollout[]>();
  for (const p of rollout) byService.set(p.service, [...(byService.get(p.service) ?? []), p]);
  return found.map((r) => ({
    service: r.service,
    approvedEndpoints: Number(r.approved),
    learnedEndpoints: Number(r.learned),
    published: r.published === null ? null : { revision: Number(r.published), publishedAt: new Date(r.published_at!) },
    open: r.open === null ? null : { revision: Number(r.open), state: r.open_state as 'draft' | 'approved' },
    fleet: fleetCounts(byService.get(r.service) ?? []),
  }));
}

export async function getPolicyService(ctx: Ctx, service: string) {
  const [history, open, published, fleet, admins] = await Promise.all([
    ctx.db.select().from(policyRevisions).where(eq(policyRevisions.service, service)).orderBy(desc(policyRevisions.revision)).limit(100),
    openRevision(ctx.db, service),
    currentPublished(ctx.db, service),
    policyRollout(ctx, [service]),
    enabledAdminCount(ctx.db),
  ]);
  return {
    service,
    /** false while a single enabled admin exists: nobody can approve (two-person rule) */
    approvalPossible: admins >= 2,
    open: open ? { ...brief(open), document: open.document, diff: diffPolicies(published?.document ?? null, open.document) } : null,
    published: published ? { ...brief(published), document: published.document } : null,
    history: history.map(brief),
    fleet,
    fleetCounts: fleetCounts(fleet),
  };
}

/** The diff between two revisions of a service (`from` 0: an empty policy). */
export async function diffRevisions(ctx: Ctx, input: DiffInput) {
  const [from, to] = await Promise.all([
    input.from === 0 ? Promise.resolve(null) : revisionOf(ctx.db, input.service, input.from),
    revisionOf(ctx.db, input.service, input.to),
  ]);
  return { from: from ? brief(from) : null, to: brief(to), diff: diffPolicies(from?.document ?? null, to.document) };
}
