import { and, desc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { signInThrottle, users } from '@/db/schema';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { reasonSchema } from '@/server/users/schemas';
import { ACCOUNT_RULE, liveFailures } from './throttle';

export const unlockAccountInput = z.object({ userId: z.string().min(1).max(64), reason: reasonSchema });

export const signInLocksOutput = z.array(
  z.object({
    userId: z.string(),
    email: z.string(),
    /** the latest instant any address must wait until, or null when none waits now */
    blockedUntil: z.date().nullable(),
    addresses: z.array(
      z.object({ ip: z.string(), failures: z.number(), refused: z.number(), lastFailureAt: z.date().nullable(), blockedUntil: z.date().nullable() }),
    ),
  }),
);

// The page lists what is going on now; a flood of rows would only hide it.
const MAX_ROWS = 500;

/**
 * Accounts with remembered sign-in failures, by source address: what the throttle holds
 * against each. Only existing accounts: typed emails that match none are not shown.
 */
export async function listSignInLocks(ctx: Ctx): Promise<z.output<typeof signInLocksOutput>> {
  const now = ctx.now();
  const rows = await ctx.db
    .select({
      userId: users.id, email: users.email, ip: signInThrottle.ip, failures: signInThrottle.failures,
      lastFailureAt: signInThrottle.lastFailureAt, blockedUntil: signInThrottle.blockedUntil, refused: signInThrottle.refused,
    })
    .from(signInThrottle)
    .innerJoin(users, eq(users.email, signInThrottle.email))
    .where(and(eq(signInThrottle.scope, 'account'), gt(signInThrottle.failures, 0)))
    .orderBy(desc(signInThrottle.lastFailureAt))
    .limit(MAX_ROWS);
  const byUser = new Map<string, z.output<typeof signInLocksOutput>[number]>();
  for (const r of rows) {
    const failures = liveFailures(r, now, ACCOUNT_RULE);
    const blockedUntil = r.blockedUntil && r.blockedUntil > now ? r.blockedUntil : null;
    if (failures === 0 && !blockedUntil) continue;
    const entry = byUser.get(r.userId) ?? { userId: r.userId, email: r.email, blockedUntil: null, addresses: [] };
    entry.addresses.push({ ip: r.ip, failures, refused: r.refused, lastFailureAt: r.lastFailureAt, blockedUntil });
    if (blockedUntil && (!entry.blockedUntil || blockedUntil > entry.blockedUntil)) entry.blockedUntil = blockedUntil;
    byUser.set(r.userId, entry);
  }
  return [...byUser.values()];
}

/**
 * Forgets every sign-in failure held against an account, from every address, so its owner
 * can sign in at once. Address-wide counters (spraying) are left alone: they are about the
 * address, not the account. Audited with the reason, in the same transaction.
 */
export async function unlockAccount(ctx: Ctx, input: z.output<typeof unlockAccountInput>) {
  return audited(ctx, async (tx, audit) => {
    const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, input.userId)).limit(1);
    if (!user) throw new DomainError('NOT_FOUND', 'No such user');
    const cleared = await tx
      .delete(signInThrottle)
      .where(and(eq(signInThrottle.scope, 'account'), eq(signInThrottle.email, user.email)))
      .returning({ ip: signInThrottle.ip, failures: signInThrottle.failures, blockedUntil: signInThrottle.blockedUntil });
    audit({
      action: 'user.unlock',
      targetType: 'user',
      targetId: user.id,
      before: { addresses: cleared.filter((c) => c.failures > 0).map((c) => ({ ip: c.ip, failures: c.failures, blockedUntil: c.blockedUntil })) },
      after: { addresses: [] },
      reason: input.reason,
    });
    return { userId: user.id, email: user.email, clearedAddresses: cleared.filter((c) => c.failures > 0).length };
  });
}
