import { count, eq } from 'drizzle-orm';
import { users } from '@/db/schema';
import { audited } from '@/server/audit/append';
import { generatePassword, hashPassword } from '@/server/auth/password';
import type { Ctx } from '@/server/context';
import type { Db } from '@/db/client';
import { newId } from '@/server/ids';

export interface BootstrapResult {
  email: string;
  /** set only when Meshward generated it: to be printed once */
  generatedPassword: string | null;
}

/**
 * On first start (no accounts at all) creates the first admin, from the configured email and
 * password or with a generated password. Does nothing once any account exists. The operator who
 * configured it is its owner, so its credential has no console issuer. A generated password must
 * be changed at first sign-in (`mustChangePassword`, server/auth/password-change.ts).
 */
export async function bootstrapAdmin(ctx: Ctx, opts: { email?: string; password?: string }): Promise<BootstrapResult | null> {
  const [row] = await ctx.db.select({ n: count() }).from(users);
  if (Number(row?.n ?? 0) > 0) return null;
  const email = (opts.email ?? 'admin@meshward.local').toLowerCase();
  const password = opts.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  try {
    await audited(ctx, async (tx, audit) => {
      const id = newId('usr');
      // A generated password was printed and written to a file: its owner must replace it first.
      const mustChangePassword = !opts.password;
      await tx.insert(users).values({ id, email, name: 'Administrator', role: 'admin', passwordHash, credentialSetAt: ctx.now(), mustChangePassword });
      audit({ action: 'user.create', targetType: 'user', targetId: id, after: { email, name: 'Administrator', role: 'admin', bootstrap: true, mustChangePassword } });
    });
  } catch (e) {
    // Another replica won the race: its admin stands.
    const [exists] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (exists) return null;
    throw e;
  }
  return { email, generatedPassword: opts.password ? null : password };
}
