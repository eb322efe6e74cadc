import { eq } from 'drizzle-orm';
import { users } from '@/db/schema';
import type { Role } from '@/lib/enums';
import { audited } from '@/server/audit/append';
import type { Actor, Ctx } from '@/server/context';
import { newId } from '@/server/ids';

/**
 * The email an OIDC login may be matched by, or null. Only an identity provider's explicit
 * `email_verified: true` counts: a missing claim, `false`, or the string "true" is refused,
 * because an unverified email is whatever the person typed at the provider, and matching it
 * would hand them the Meshward account of that address.
 */
export function verifiedOidcEmail(profile: Record<string, unknown> | null | undefined): string | null {
  if (!profile || profile.email_verified !== true) return null;
  const email = profile.email;
  if (typeof email !== 'string') return null;
  const normalised = email.trim().toLowerCase();
  return /^[^\s@]{1,64}@[^\s@]{1,255}$/.test(normalised) ? normalised : null;
}

/**
 * Maps a verified OIDC identity to a Meshward account. Known emails sign in with their
 * role; unknown ones are created with `defaultRole` when it is configured, refused otherwise.
 */
export async function resolveOidcUser(ctx: Ctx, email: string, name: string, defaultRole: Role | undefined): Promise<Actor | null> {
  const normalised = email.trim().toLowerCase();
  const [existing] = await ctx.db.select().from(users).where(eq(users.email, normalised)).limit(1);
  if (existing) {
    if (existing.disabledAt) return null;
    const actor: Actor = { id: existing.id, email: existing.email, role: existing.role };
    await audited(ctx, async (tx, audit) => {
      await tx.update(users).set({ lastSignInAt: ctx.now() }).where(eq(users.id, existing.id));
      audit({ action: 'auth.sign_in', targetType: 'user', targetId: existing.id, after: { provider: 'oidc' } }, actor);
    });
    return actor;
  }
  if (!defaultRole) return null;
  const actor: Actor = { id: newId('usr'), email: normalised, role: defaultRole };
  await audited(ctx, async (tx, audit) => {
    await tx.insert(users).values({ id: actor.id, email: normalised, name, role: defaultRole, authProvider: 'oidc', lastSignInAt: ctx.now() });
    audit({
      action: 'user.create', targetType: 'user', targetId: actor.id, after: { email: normalised, role: defaultRole, provider: 'oidc' },
    }, actor);
  });
  return actor;
}
