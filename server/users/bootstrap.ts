import { count, eq } from 'drizzle-orm';
import { users } from '@/db/schema';
import { generatePassword } from '@/server/auth/password';
import type { Ctx } from '@/server/context';
import { createUser } from './manage';

export interface BootstrapResult {
  email: string;
  /** set only when Meshward generated it: to be printed once */
  generatedPassword: string | null;
}

/**
 * On first start (no accounts at all) creates the first admin, from the configured email and
 * password or with a generated password. Does nothing once any account exists.
 */
export async function bootstrapAdmin(ctx: Ctx, opts: { email?: string; password?: string }): Promise<BootstrapResult | null> {
  const [row] = await ctx.db.select({ n: count() }).from(users);
  if (Number(row?.n ?? 0) > 0) return null;
  const email = (opts.email ?? 'admin@meshward.local').toLowerCase();
  const password = opts.password ?? generatePassword();
  try {
    await createUser(ctx, { email, name: 'Administrator', role: 'admin', password });
  } catch (e) {
    // Another replica won the race: its admin stands.
    const [exists] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (exists) return null;
    throw e;
  }
  return { email, generatedPassword: opts.password ? null : password };
}
