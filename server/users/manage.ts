import { and, count, eq, isNull, ne } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { appendAudit, withAudit } from '@/server/audit/append';
import { generatePassword, hashPassword, verifyPassword } from '@/server/auth/password';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import type { changeOwnPasswordInput, createUserInput, resetPasswordInput, setDisabledInput, setRoleInput } from './schemas';

/** What the console may show of an account: never the password hash. */
export const publicUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  authProvider: users.authProvider,
  disabledAt: users.disabledAt,
  createdAt: users.createdAt,
  lastSignInAt: users.lastSignInAt,
};

async function findUser(db: Db, userId: string) {
  const [user] = await db.select(publicUserColumns).from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new DomainError('NOT_FOUND', 'No such user');
  return user;
}

/** Refuses a change that would leave no enabled admin to manage the console. */
async function assertAnotherAdmin(db: Db, exceptUserId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.id, exceptUserId)));
  if (Number(row?.n ?? 0) === 0) throw new DomainError('CONFLICT', 'This is the last enabled admin: promote someone else first');
}

export async function createUser(ctx: Ctx, input: z.output<typeof createUserInput>) {
  const password = input.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  if (existing) throw new DomainError('CONFLICT', `An account for ${input.email} already exists`);
  const user = await withAudit(
    ctx,
    async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ id: newId('usr'), email: input.email, name: input.name, role: input.role, passwordHash })
        .returning(publicUserColumns);
      return row;
    },
    (u) => ({ action: 'user.create', targetType: 'user', targetId: u.id, after: { email: u.email, name: u.name, role: u.role } }),
  );
  return { user, generatedPassword: input.password ? null : password };
}

export async function setUserRole(ctx: Ctx, input: z.output<typeof setRoleInput>) {
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const before = await findUser(tx, input.userId);
    if (before.role === input.role) return before;
    if (before.role === 'admin') await assertAnotherAdmin(tx, before.id);
    const [after] = await tx
      .update(users)
      .set({ role: input.role, updatedAt: ctx.now() })
      .where(eq(users.id, input.userId))
      .returning(publicUserColumns);
    await appendAudit(tx, ctx, {
      action: 'user.set_role', targetType: 'user', targetId: before.id,
      before: { role: before.role }, after: { role: after.role }, reason: input.reason,
    });
    return after;
  });
}

export async function setUserDisabled(ctx: Ctx, input: z.output<typeof setDisabledInput>) {
  if (input.disabled && input.userId === ctx.actor?.id) throw new DomainError('CONFLICT', 'You cannot disable your own account');
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const before = await findUser(tx, input.userId);
    if (Boolean(before.disabledAt) === input.disabled) return before;
    if (input.disabled && before.role === 'admin') await assertAnotherAdmin(tx, before.id);
    const [after] = await tx
      .update(users)
      .set({ disabledAt: input.disabled ? ctx.now() : null, updatedAt: ctx.now() })
      .where(eq(users.id, input.userId))
      .returning(publicUserColumns);
    await appendAudit(tx, ctx, {
      action: input.disabled ? 'user.disable' : 'user.enable', targetType: 'user', targetId: before.id,
      before: { disabled: Boolean(before.disabledAt) }, after: { disabled: input.disabled }, reason: input.reason,
    });
    return after;
  });
}

/** Sets a new generated password, returned once to the admin who hands it over; ends the account's sessions. */
export async function resetUserPassword(ctx: Ctx, input: z.output<typeof resetPasswordInput>) {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const user = await withAudit(
    ctx,
    async (tx) => {
      const u = await findUser(tx, input.userId);
      await tx.update(users).set({ passwordHash, sessionsValidAfter: ctx.now(), updatedAt: ctx.now() }).where(eq(users.id, u.id));
      return u;
    },
    (u) => ({ action: 'user.reset_password', targetType: 'user', targetId: u.id, reason: input.reason }),
  );
  return { user, generatedPassword: password };
}

/** Changes one's own password and ends every session of the account, this one included. */
export async function changeOwnPassword(ctx: Ctx, input: z.output<typeof changeOwnPasswordInput>) {
  const actorId = ctx.actor?.id;
  if (!actorId) throw new DomainError('FORBIDDEN', 'Sign in first');
  const [row] = await ctx.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, actorId)).limit(1);
  if (!row?.hash || !(await verifyPassword(row.hash, input.current))) {
    throw new DomainError('BAD_REQUEST', 'The current password is not correct');
  }
  const passwordHash = await hashPassword(input.next);
  await withAudit(
    ctx,
    (tx) => tx.update(users).set({ passwordHash, sessionsValidAfter: ctx.now(), updatedAt: ctx.now() }).where(eq(users.id, actorId)),
    () => ({ action: 'user.change_password', targetType: 'user', targetId: actorId }),
  );
  return { ok: true as const };
}

export async function listUsers(ctx: Ctx) {
  return ctx.db.select(publicUserColumns).from(users).orderBy(users.email);
}
