// Admin-grant requests: once two enabled admins exist, making someone an admin (a new account
// or a promotion) is a request a second admin approves. The approver, not the requester, issues
// the new admin's set-password link, so the requester never holds a credential for an admin
// account they asked for.
import { and, desc, eq, gt, or } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { adminGrants, users } from '@/db/schema';
import { audited, type RecordAudit } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import { issuePasswordLink, type IssuedLink } from './links';
import { assertEmailFree, findUser, insertAccount, publicUserColumns, type PublicUser } from './accounts';
import { noteAdminCount } from './provenance';

export const GRANT_LIFETIME_MS = 72 * 3600_000;

export type AdminGrant = typeof adminGrants.$inferSelect;

const who = (ctx: Ctx) => {
  if (!ctx.actor) throw new DomainError('FORBIDDEN', 'Sign in first');
  return ctx.actor;
};

export async function requestAdminGrant(
  tx: Db, ctx: Ctx, audit: RecordAudit, input: { kind: 'create' | 'promote'; email: string; name: string; targetUserId: string | null; reason: string },
): Promise<AdminGrant> {
  const actor = who(ctx);
  const now = ctx.now();
  const [open] = await tx.select({ id: adminGrants.id, expiresAt: adminGrants.expiresAt }).from(adminGrants)
    .where(and(eq(adminGrants.email, input.email), eq(adminGrants.state, 'pending'))).limit(1);
  if (open && open.expiresAt > now) throw new DomainError('CONFLICT', `A request to make ${input.email} an admin is already waiting for a second admin`);
  // an expired request no longer blocks a new one
  if (open) await tx.update(adminGrants).set({ state: 'denied', decidedAt: now, decisionReason: 'expired' }).where(eq(adminGrants.id, open.id));
  const [grant] = await tx.insert(adminGrants).values({
    id: newId('grt'), kind: input.kind, email: input.email, name: input.name, targetUserId: input.targetUserId,
    requestedBy: actor.id, requestedByEmail: actor.email, requestReason: input.reason, requestedAt: now,
    expiresAt: new Date(now.getTime() + GRANT_LIFETIME_MS),
  }).returning();
  audit({
    action: 'user.admin_grant.request', targetType: 'admin_grant', targetId: grant.id, reason: input.reason,
    after: { kind: grant.kind, email: grant.email, targetUserId: grant.targetUserId, expiresAt: grant.expiresAt.toISOString() },
  });
  return grant;
}

export interface GrantListing extends AdminGrant {
  expired: boolean;
}

/** Pending requests (expired ones flagged) and the decisions of the last week. */
export async function listAdminGrants(ctx: Ctx): Promise<GrantListing[]> {
  const now = ctx.now();
  const since = new Date(now.getTime() - 7 * 24 * 3600_000);
  const list = await ctx.db.select().from(adminGrants)
    .where(or(eq(adminGrants.state, 'pending'), gt(adminGrants.decidedAt, since)))
    .orderBy(desc(adminGrants.requestedAt)).limit(100);
  return list.map((g) => ({ ...g, expired: g.state === 'pending' && g.expiresAt <= now }));
}

export interface GrantDecision {
  grant: AdminGrant;
  user: PublicUser | null;
  /** the new admin's set-password link, issued by the approver and shown to them once */
  link: IssuedLink | null;
}

/**
 * Approves or denies a pending request. Approving needs an admin who is neither the requester
 * nor the account being promoted; the requester may deny (withdraw) their own request. The
 * approver is not checked against the requester's credential provenance: the first two admins
 * are always so linked (the first issued the second's link), and a new admin's link comes from
 * the approver anyway, so the requester never holds it.
 */
export async function decideAdminGrant(ctx: Ctx, input: { grantId: string; decision: 'approve' | 'deny'; reason: string }): Promise<GrantDecision> {
  const actor = who(ctx);
  return audited(ctx, async (tx, audit) => {
    const [g] = await tx.select().from(adminGrants).where(eq(adminGrants.id, input.grantId)).limit(1).for('update');
    if (!g) throw new DomainError('NOT_FOUND', 'No such admin request');
    if (g.state !== 'pending') throw new DomainError('CONFLICT', `This request was ${g.state} already`);
    const now = ctx.now();
    if (g.expiresAt <= now) throw new DomainError('CONFLICT', `This request expired on ${g.expiresAt.toISOString()}: ask for it again`);
    const decided = { decidedBy: actor.id, decidedByEmail: actor.email, decidedAt: now, decisionReason: input.reason };
    if (input.decision === 'deny') {
      const [next] = await tx.update(adminGrants).set({ state: 'denied', ...decided }).where(eq(adminGrants.id, g.id)).returning();
      audit({ action: 'user.admin_grant.deny', targetType: 'admin_grant', targetId: g.id, before: { state: 'pending' }, after: { state: 'denied', email: g.email }, reason: input.reason });
      return { grant: next, user: null, link: null };
    }
    if (g.requestedBy === actor.id) throw new DomainError('FORBIDDEN', 'You asked for this: another admin must approve it (two-person rule)');
    if (g.targetUserId === actor.id) throw new DomainError('FORBIDDEN', 'You cannot approve your own promotion');
    const [requester] = await tx.select({ role: users.role, disabledAt: users.disabledAt }).from(users).where(eq(users.id, g.requestedBy)).limit(1);
    if (!requester || requester.role !== 'admin' || requester.disabledAt) throw new DomainError('CONFLICT', `${g.requestedByEmail} is no longer an enabled admin: deny this request`);

    let user: PublicUser;
    let link: IssuedLink | null = null;
    if (g.kind === 'create') {
      await assertEmailFree(tx, g.email);
      user = await insertAccount(tx, ctx, { email: g.email, name: g.name, role: 'admin' });
      link = await issuePasswordLink(tx, ctx, user.id, 'admin_grant');
    } else {
      const target = await findUser(tx, g.targetUserId!, true);
      if (target.disabledAt) throw new DomainError('CONFLICT', `${target.email} is disabled: deny this request`);
      if (target.role === 'admin') throw new DomainError('CONFLICT', `${target.email} is an admin already: deny this request`);
      // A password account gets a fresh credential from the approver: whoever set the old one
      // (maybe the requester, through a reset) does not carry it into the admin role.
      const fresh = target.authProvider === 'credentials';
      [user] = await tx.update(users).set({ role: 'admin', updatedAt: now, ...(fresh ? { passwordHash: null, sessionsValidAfter: now } : {}) })
        .where(eq(users.id, target.id)).returning(publicUserColumns);
      if (fresh) link = await issuePasswordLink(tx, ctx, user.id, 'admin_grant');
      await noteAdminCount(tx, now);
    }
    const [next] = await tx.update(adminGrants).set({ state: 'approved', ...decided }).where(eq(adminGrants.id, g.id)).returning();
    audit({
      action: 'user.admin_grant.approve', targetType: 'admin_grant', targetId: g.id, reason: input.reason,
      before: { state: 'pending' },
      after: { state: 'approved', kind: g.kind, userId: user.id, email: user.email, role: 'admin', linkId: link?.linkId ?? null },
    });
    return { grant: next, user, link };
  });
}
