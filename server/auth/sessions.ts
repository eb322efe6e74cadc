import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { sessions, users } from '@/db/schema';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';

/** What the session functions need: the database and the clock, nothing of the process. */
export interface SessionDeps {
  db: Db;
  now: () => Date;
}

export type RevokeReason = 'sign_out' | 'sign_out_everywhere';

/** 144 random bits: the id is checked against the database, never trusted alone. */
const newSessionId = () => `ses_${randomBytes(18).toString('base64url')}`;

/** Records a new session at sign-in; its id goes into the session token as `sid`. */
export async function startSession(
  deps: SessionDeps,
  input: { userId: string; provider: string; maxAgeS: number; userAgent: string | null; ip: string | null },
): Promise<string> {
  const now = deps.now();
  const id = newSessionId();
  await deps.db.insert(sessions).values({
    id,
    userId: input.userId,
    provider: input.provider,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + input.maxAgeS * 1000),
    // Shown to the account's owner only; a browser's own string, so kept short.
    userAgent: (input.userAgent ?? '').slice(0, 300),
    ip: input.ip,
  });
  return id;
}

/**
 * Ends one session (sign-out). Every copy of its cookie stops working on the next request.
 * Audited when it ended a live session; signing out of one already ended is a no-op.
 */
export async function endSession(ctx: Ctx, sessionId: string, reason: RevokeReason = 'sign_out'): Promise<boolean> {
  return audited(ctx, async (tx, audit) => {
    const [ended] = await tx
      .update(sessions)
      .set({ revokedAt: ctx.now(), revokedReason: reason })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id, userId: sessions.userId });
    if (!ended) return false;
    // Recorded as the session's owner: the one request that can end it carries their cookie.
    const [owner] = await tx.select({ id: users.id, email: users.email, role: users.role }).from(users).where(eq(users.id, ended.userId));
    audit({ action: 'auth.sign_out', targetType: 'user', targetId: ended.userId }, owner ?? null);
    return true;
  });
}

/** Ends every session of the acting person's account, this one included ("sign out everywhere"). */
export async function endAllSessions(ctx: Ctx): Promise<{ ended: number }> {
  const userId = ctx.actor?.id;
  if (!userId) throw new DomainError('FORBIDDEN', 'Sign in first');
  return audited(ctx, async (tx, audit) => {
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: ctx.now(), revokedReason: 'sign_out_everywhere' })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, ctx.now())))
      .returning({ id: sessions.id });
    audit({ action: 'auth.sign_out_everywhere', targetType: 'user', targetId: userId, after: { sessionsEnded: ended.length } });
    return { ended: ended.length };
  });
}

export const ownSessionsOutput = z.array(
  z.object({ createdAt: z.date(), lastSeenAt: z.date(), provider: z.string(), userAgent: z.string(), ip: z.string().nullable(), current: z.boolean() }),
);

/** The acting person's live sessions, newest first (at most 50: enough to notice a stranger's). */
export async function listOwnSessions(ctx: Ctx & { sessionId?: string | null }): Promise<z.output<typeof ownSessionsOutput>> {
  const userId = ctx.actor?.id;
  if (!userId) throw new DomainError('FORBIDDEN', 'Sign in first');
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, ctx.now())))
    .orderBy(desc(sessions.createdAt))
    .limit(50);
  return rows.map((r) => ({
    createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, provider: r.provider, userAgent: r.userAgent, ip: r.ip, current: r.id === ctx.sessionId,
  }));
}

/** Deletes session records that ended (expired or revoked) before `cutoff`. */
export async function pruneSessions(db: Db, cutoff: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, cutoff));
}
