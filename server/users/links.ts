// One-time set-password links (SPEC "Roles": passwords are set only by their owners). An admin
// creating an account or resetting a password never chooses or sees the password: they get a
// link to hand over, and whoever opens it sets the password. Only the token's hash is stored.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { passwordLinks, users } from '@/db/schema';
import { audited } from '@/server/audit/append';
import { hashPassword } from '@/server/auth/password';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';

/** Long enough to hand over the same day, short enough that a forgotten link goes stale. */
export const LINK_LIFETIME_MS = 24 * 3600_000;
export const SET_PASSWORD_PATH = '/set-password';
const TOKEN_PREFIX = 'mwl_';

/** The CLI acts as this pseudo-user: the operator, whose links carry no console issuer. */
export const CLI_ACTOR_ID = 'cli';

export type LinkPurpose = 'create' | 'reset' | 'admin_grant';

export interface IssuedLink {
  linkId: string;
  /** shown once; the database has only its hash */
  token: string;
  /** `/set-password#token=…`: in the fragment, so it never reaches a server log or a Referer */
  path: string;
  expiresAt: Date;
}

export const tokenSha256 = (token: string) => createHash('sha256').update(token).digest('hex');

export function linkPath(token: string): string {
  return `${SET_PASSWORD_PATH}#token=${token}`;
}

/** The whole link for someone outside the console (the CLI): needs the console's public URL. */
export function linkUrl(publicUrl: string, token: string): string {
  return new URL(linkPath(token), publicUrl).toString();
}

/**
 * Issues a link for `userId`, ending any earlier unused one. Runs inside the caller's
 * transaction; the caller's audit entry records it (with the link id, never the token).
 */
export async function issuePasswordLink(tx: Db, ctx: Ctx, userId: string, purpose: LinkPurpose): Promise<IssuedLink> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS);
  await tx.update(passwordLinks).set({ revokedAt: now })
    .where(and(eq(passwordLinks.userId, userId), isNull(passwordLinks.usedAt), isNull(passwordLinks.revokedAt)));
  const linkId = newId('pwl');
  await tx.insert(passwordLinks).values({
    id: linkId, tokenSha256: tokenSha256(token), userId, purpose,
    issuedBy: ctx.actor && ctx.actor.id !== CLI_ACTOR_ID ? ctx.actor.id : null,
    issuedByEmail: ctx.actor?.email ?? 'system', issuedFromIp: ctx.sourceIp, issuedAt: now, expiresAt,
  });
  return { linkId, token, path: linkPath(token), expiresAt };
}

/** Ends every unused link of an account (its role changed, or it was disabled). */
export async function revokePasswordLinks(tx: Db, ctx: Ctx, userId: string): Promise<void> {
  await tx.update(passwordLinks).set({ revokedAt: ctx.now() })
    .where(and(eq(passwordLinks.userId, userId), isNull(passwordLinks.usedAt), isNull(passwordLinks.revokedAt)));
}

type LinkRow = typeof passwordLinks.$inferSelect;

function whyUnusable(link: LinkRow | undefined, now: Date, disabled: boolean): string | null {
  if (!link) return 'This link is not valid. Check that you copied all of it, or ask an administrator for a new one.';
  if (link.usedAt) return 'This link has been used already. Each link works once: ask an administrator for a new one.';
  if (link.revokedAt) return 'This link was replaced by a newer one. Use the newest link you were given, or ask for a new one.';
  if (link.expiresAt.getTime() <= now.getTime()) return 'This link has expired. Ask an administrator for a new one.';
  if (disabled) return 'This account is disabled. Ask an administrator.';
  return null;
}

const tokenShape = (token: string) => token.startsWith(TOKEN_PREFIX) && token.length < 200;

/** What the set-password page shows before the password is typed: whose account, or why not. */
export async function inspectPasswordLink(ctx: Ctx, token: string): Promise<{ ok: true; email: string; expiresAt: Date } | { ok: false; error: string }> {
  if (!tokenShape(token)) return { ok: false, error: whyUnusable(undefined, ctx.now(), false)! };
  const [row] = await ctx.db.select({ link: passwordLinks, email: users.email, disabledAt: users.disabledAt })
    .from(passwordLinks).innerJoin(users, eq(users.id, passwordLinks.userId))
    .where(eq(passwordLinks.tokenSha256, tokenSha256(token))).limit(1);
  const error = whyUnusable(row?.link, ctx.now(), Boolean(row?.disabledAt));
  return error ? { ok: false, error } : { ok: true, email: row!.email, expiresAt: row!.link.expiresAt };
}

/**
 * Sets the account's password from a link: once, before it expires. Ends every session of the
 * account and records who issued the link as the credential's provenance (the two-person rule
 * reads it). Audited with the source address, in the same transaction.
 */
export async function usePasswordLink(ctx: Ctx, input: { token: string; password: string }): Promise<{ email: string }> {
  if (!tokenShape(input.token)) throw new DomainError('BAD_REQUEST', whyUnusable(undefined, ctx.now(), false)!);
  const passwordHash = await hashPassword(input.password);
  return audited(ctx, async (tx, audit) => {
    const [link] = await tx.select().from(passwordLinks).where(eq(passwordLinks.tokenSha256, tokenSha256(input.token))).limit(1).for('update');
    const [user] = link ? await tx.select().from(users).where(eq(users.id, link.userId)).limit(1).for('update') : [];
    const error = whyUnusable(link, ctx.now(), Boolean(user?.disabledAt));
    if (error || !user) throw new DomainError(link ? 'CONFLICT' : 'BAD_REQUEST', error ?? 'This link is not valid.');
    const now = ctx.now();
    await tx.update(passwordLinks).set({ usedAt: now, usedFromIp: ctx.sourceIp }).where(eq(passwordLinks.id, link.id));
    await tx.update(users).set({
      passwordHash, credentialIssuedBy: link.issuedBy, credentialSetAt: now, sessionsValidAfter: now, updatedAt: now,
      // chosen by the link's holder, not generated: nothing left to change
      mustChangePassword: false,
    }).where(eq(users.id, user.id));
    // The person acting is whoever holds the link: recorded as the account it is for.
    audit({
      action: 'user.set_password', targetType: 'user', targetId: user.id,
      after: { linkId: link.id, purpose: link.purpose, issuedBy: link.issuedByEmail, issuedFromIp: link.issuedFromIp, usedFromIp: ctx.sourceIp },
    }, { id: user.id, email: user.email, role: user.role });
    return { email: user.email };
  });
}
