import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { proxyTokens } from '@/db/schema';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { newId } from '@/server/ids';
import { announceRevocation } from './revocations';
import { serviceScopeSchema } from './scope';

const TOKEN_PREFIX = 'mwp_';

export const createTokenInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the token (for example the cluster or proxy it is for)')
    .max(100)
    .regex(/^[\w.\-/ :@]+$/, 'Use letters, digits, spaces and . _ - / : @'),
  /** required: a token serves the services named here and no other (server/fleet/scope.ts) */
  services: serviceScopeSchema,
});
export const revokeTokenInput = z.object({ tokenId: z.string().min(1).max(64), reason: z.string().trim().min(3).max(1000) });

export function hashProxyToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a token; the secret is returned here once and only its hash is stored. */
export async function createProxyToken(ctx: Ctx, input: z.output<typeof createTokenInput>) {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const row = await audited(ctx, async (tx, audit) => {
    const [r] = await tx
      .insert(proxyTokens)
      .values({
        id: newId('pt'),
        name: input.name,
        prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
        tokenHash: hashProxyToken(secret),
        services: input.services,
        createdAt: ctx.now(),
        createdBy: ctx.actor?.email ?? 'cli',
      })
      .returning({ id: proxyTokens.id, name: proxyTokens.name, prefix: proxyTokens.prefix, services: proxyTokens.services, createdAt: proxyTokens.createdAt });
    audit({ action: 'proxy_token.create', targetType: 'proxy_token', targetId: r.id, after: { name: r.name, prefix: r.prefix, services: r.services } });
    return r;
  });
  return { ...row, token: secret };
}

/** Revokes a token; this process refuses it at once, other replicas within the cache TTL. */
export async function revokeProxyToken(ctx: Ctx, input: z.output<typeof revokeTokenInput>) {
  const result = await audited(ctx, async (tx, audit) => {
    const [before] = await tx.select().from(proxyTokens).where(eq(proxyTokens.id, input.tokenId)).limit(1);
    if (!before) throw new DomainError('NOT_FOUND', 'No such proxy token');
    if (before.revokedAt) throw new DomainError('CONFLICT', 'This token is already revoked');
    await tx
      .update(proxyTokens)
      .set({ revokedAt: ctx.now(), revokedBy: ctx.actor?.email ?? 'cli' })
      .where(and(eq(proxyTokens.id, input.tokenId), isNull(proxyTokens.revokedAt)));
    audit({
      action: 'proxy_token.revoke', targetType: 'proxy_token', targetId: before.id,
      before: { name: before.name, revoked: false }, after: { name: before.name, revoked: true }, reason: input.reason,
    });
    return { id: before.id };
  });
  announceRevocation(result.id);
  return result;
}

export async function listProxyTokens(ctx: Ctx) {
  return ctx.db
    .select({
      id: proxyTokens.id,
      name: proxyTokens.name,
      prefix: proxyTokens.prefix,
      services: proxyTokens.services,
      createdAt: proxyTokens.createdAt,
      createdBy: proxyTokens.createdBy,
      revokedAt: proxyTokens.revokedAt,
      lastUsedAt: proxyTokens.lastUsedAt,
      // Spelled out: inside a one-table select drizzle leaves `id` unqualified, which would bind to p.id.
      proxies: sql<number>`(select count(*)::int from proxies p where p.token_id = proxy_tokens.id)`,
    })
    .from(proxyTokens)
    .orderBy(sql`${proxyTokens.revokedAt} is not null`, desc(proxyTokens.createdAt));
}

export interface ProxyPrincipal {
  tokenId: string;
  tokenName: string;
  /** the service patterns the token serves (server/fleet/scope.ts) */
  services: string[];
}

/** The token's owner if it is valid and not revoked. */
export async function lookupProxyToken(db: Db, token: string): Promise<ProxyPrincipal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({ id: proxyTokens.id, name: proxyTokens.name, services: proxyTokens.services })
    .from(proxyTokens)
    .where(and(eq(proxyTokens.tokenHash, hashProxyToken(token)), isNull(proxyTokens.revokedAt)))
    .limit(1);
  return row ? { tokenId: row.id, tokenName: row.name, services: row.services } : null;
}

export async function touchProxyToken(db: Db, tokenId: string, at: Date) {
  await db.update(proxyTokens).set({ lastUsedAt: at }).where(eq(proxyTokens.id, tokenId));
}
