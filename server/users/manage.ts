import { and, count, desc, eq, isNull, ne } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '@/db/client';
import { passwordLinks, users } from '@/db/schema';
import { audited, type RecordAudit } from '@/server/audit/append';
import { hashPassword, verifyPassword } from '@/server/auth/password';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { assertEmailFree, findUser, insertAccount, publicUserColumns, type PublicUser } from './accounts';
import { requestAdminGrant, type AdminGrant } from './grants';
import { removeInitialPassword } from './initial-password-file';
import { issuePasswordLink, revokePasswordLinks, type IssuedLink } from './links';
import { adminGrantRequired, noteAdminCount } from './provenance';
import type { changeOwnPasswordInput, createUserInput, resetPasswordInput, setDisabledInput, setRoleInput } from './schemas';

export { publicUserColumns, type PublicUser } from './accounts';

/** Refuses a change that would leave no enabled admin to manage the console. */
async function assertAnotherAdmin(db: Db, exceptUserId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.id, exceptUserId)));
  if (Number(row?.n ?? 0) === 0) throw new DomainError('CONFLICT', 'This is the last enabled admin: promote someone else first');
}

export interface Operator {
  /** the CLI: the operator with database access, who needs no second admin (break-glass) */
  operator?: boolean;
}

export type CreateUserResult =
  | { kind: 'created'; user: PublicUser; link: IssuedLink }
  | { kind: 'grant_requested'; grant: AdminGrant };

/**
 * Creates an account and a one-time link for its owner to set the password. An admin account,
 * once two enabled admins exist (or ever did), is only a request another admin approves.
 */
export async function createUser(ctx: Ctx, input: z.output<typeof createUserInput>, opts: Operator = {}): Promise<CreateUserResult> {
  return audited(ctx, async (tx, audit) => {
    await assertEmailFree(tx, input.email);
    if (input.role === 'admin' && !opts.operator && (await adminGrantRequired(tx))) {
      if (!input.reason) throw new DomainError('BAD_REQUEST', 'Say why this person needs the admin role: another admin approves the request');
      const grant = await requestAdminGrant(tx, ctx, audit, { kind: 'create', email: input.email, name: input.name, targetUserId: null, reason: input.reason });
      return { kind: 'grant_requested' as const, grant };
    }
    const user = await insertAccount(tx, ctx, input);
    const link = await issuePasswordLink(tx, ctx, user.id, 'create');
    audit({
      action: 'user.create', targetType: 'user', targetId: user.id, reason: input.reason ?? null,
      after: { email: user.email, name: user.name, role: user.role, linkId: link.linkId, linkExpiresAt: link.expiresAt.toISOString() },
    });
    return { kind: 'created' as const, user, link };
  });
}

export type SetRoleResult = { user: PublicUser; grant: AdminGrant | null };

/** Changes a role; making someone an admin is a request once two admins exist (see createUser). */
export async function setUserRole(ctx: Ctx, input: z.output<typeof setRoleInput>, opts: Operator = {}): Promise<SetRoleResult> {
  return audited(ctx, async (tx, audit) => {
    const before = await findUser(tx, input.userId, true);
    if (before.role === input.role) return { user: before, grant: null };
    if (input.role === 'admin' && !opts.operator && (await adminGrantRequired(tx))) {
      if (before.disabledAt) throw new DomainError('CONFLICT', `${before.email} is disabled: enable the account first`);
      const grant = await requestAdminGrant(tx, ctx, audit, { kind: 'promote', email: before.email, name: before.name, targetUserId: before.id, reason: input.reason });
      return { user: before, grant };
    }
    if (before.role === 'admin') await assertAnotherAdmin(tx, before.id);
    const [after] = await tx
      .update(users)
      .set({ role: input.role, updatedAt: ctx.now() })
      .where(eq(users.id, input.userId))
      .returning(publicUserColumns);
    await noteAdminCount(tx, ctx.now());
    audit({
      action: 'user.set_role', targetType: 'user', targetId: before.id,
      before: { role: before.role }, after: { role: after.role }, reason: input.reason,
    });
    return { user: after, grant: null };
  });
}

export async function setUserDisabled(ctx: Ctx, input: z.output<typeof setDisabledInput>) {
  if (input.disabled && input.userId === ctx.actor?.id) throw new DomainError('CONFLICT', 'You cannot disable your own account');
  return audited(ctx, async (tx, audit) => {
    const before = await findUser(tx, input.userId, true);
    if (Boolean(before.disabledAt) === input.disabled) return before;
    if (input.disabled && before.role === 'admin') await assertAnotherAdmin(tx, before.id);
    const [after] = await tx
      .update(users)
      .set({ disabledAt: input.disabled ? ctx.now() : null, updatedAt: ctx.now() })
      .where(eq(users.id, input.userId))
      .returning(publicUserColumns);
    if (input.disabled) await revokePasswordLinks(tx, ctx, before.id);
    else await noteAdminCount(tx, ctx.now());
    audit({
      action: input.disabled ? 'user.disable' : 'user.enable', targetType: 'user', targetId: before.id,
      before: { disabled: Boolean(before.disabledAt) }, after: { disabled: input.disabled }, reason: input.reason,
    });
    return after;
  });
}

/**
 * Ends the account's password and sessions at once and issues a one-time link for its owner.
 * Refused for admin accounts in the console: whoever used the link would hold a second admin
 * account, so an admin's password is reset only by the operator (CLI, `operator: true`).
 */
export async function resetUserPassword(ctx: Ctx, input: z.output<typeof resetPasswordInput>, opts: Operator = {}) {
  return audited(ctx, async (tx, audit) => {
    const user = await findUser(tx, input.userId, true);
    if (user.authProvider !== 'credentials') throw new DomainError('BAD_REQUEST', `${user.email} signs in with single sign-on: there is no password to reset`);
    if (user.role === 'admin' && !opts.operator) {
      throw new DomainError('FORBIDDEN', `${user.email} is an admin: an admin's password is reset by the operator with the CLI (meshward user reset-password --email ${user.email}), never from the console`);
    }
    const now = ctx.now();
    await tx.update(users).set({ passwordHash: null, sessionsValidAfter: now, updatedAt: now }).where(eq(users.id, user.id));
    const link = await issuePasswordLink(tx, ctx, user.id, 'reset');
    audit({
      action: 'user.reset_password', targetType: 'user', targetId: user.id, reason: input.reason,
      after: { linkId: link.linkId, linkExpiresAt: link.expiresAt.toISOString() },
    });
    return { user, link };
  });
}

/**
 * Changes one's own password and ends every session of the account, this one included. A
 * generated password (`mustChangePassword`) is replaced this way, which clears the flag and
 * deletes the file it was written to (`initialPasswordFile`).
 */
export async function changeOwnPassword(ctx: Ctx, input: z.output<typeof changeOwnPasswordInput>, opts: { initialPasswordFile?: string | null } = {}) {
  const actorId = ctx.actor?.id;
  if (!actorId) throw new DomainError('FORBIDDEN', 'Sign in first');
  const [row] = await ctx.db.select({ hash: users.passwordHash, mustChange: users.mustChangePassword }).from(users).where(eq(users.id, actorId)).limit(1);
  if (!row?.hash || !(await verifyPassword(row.hash, input.current))) {
    throw new DomainError('BAD_REQUEST', 'The current password is not correct');
  }
  if (input.next === input.current) throw new DomainError('BAD_REQUEST', 'Choose a new password: this one is the current password');
  const passwordHash = await hashPassword(input.next);
  // The credential's provenance stays: whoever used the link may be the one changing it.
  await audited(ctx, async (tx, audit) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false, sessionsValidAfter: ctx.now(), updatedAt: ctx.now() }).where(eq(users.id, actorId));
    audit({
      action: 'user.change_password', targetType: 'user', targetId: actorId,
      ...(row.mustChange ? { before: { mustChangePassword: true }, after: { mustChangePassword: false } } : {}),
    });
  });
  // The generated password is no more: its copy on disk goes too.
  if (row.mustChange) await removeInitialPassword(opts.initialPasswordFile);
  return { ok: true as const };
}

export interface UserListing extends PublicUser {
  /** whose link the current password came from (null: the operator, or none yet) */
  credentialIssuedByEmail: string | null;
  /** the link was used from the address it was issued from: the issuer may have used it */
  credentialSameAddress: boolean;
  /** a set-password link is out and unused */
  linkPendingUntil: Date | null;
}

export async function listUsers(ctx: Ctx): Promise<UserListing[]> {
  const list = await ctx.db.select(publicUserColumns).from(users).orderBy(users.email);
  const links = await ctx.db.select().from(passwordLinks).orderBy(desc(passwordLinks.issuedAt));
  const emailOf = new Map(list.map((u) => [u.id, u.email]));
  const now = ctx.now().getTime();
  return list.map((u) => {
    const mine = links.filter((l) => l.userId === u.id);
    const used = mine.find((l) => l.usedAt);
    const pending = mine.find((l) => !l.usedAt && !l.revokedAt && l.expiresAt.getTime() > now);
    return {
      ...u,
      credentialIssuedByEmail: u.credentialIssuedBy ? (emailOf.get(u.credentialIssuedBy) ?? u.credentialIssuedBy) : null,
      credentialSameAddress: Boolean(used?.issuedFromIp && used.issuedFromIp === used.usedFromIp && used.issuedBy),
      linkPendingUntil: pending?.expiresAt ?? null,
    };
  });
}
