import { desc, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditLog } from '@/db/schema';
import type { Ctx } from '@/server/context';
import { GENESIS_HASH, asStoredJson, keyedEntryHash } from './hash';
import { installedAuditKeyring } from './keyring';

export interface AuditInput {
  /** dotted verb, e.g. `proxy_token.create` */
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

// Serialises appenders so two transactions cannot both extend the same link.
export const AUDIT_CHAIN_LOCK = 7_420_002;

/**
 * Appends one entry to the hash chain, MACed with the current audit key. Must run inside the
 * transaction that makes the change being recorded, so the entry exists exactly when the
 * change does.
 */
export async function appendAudit(tx: Db, ctx: Ctx, input: AuditInput) {
  const ring = installedAuditKeyring();
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx
    .select({ id: auditLog.id, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(1);
  const entry = {
    id: (last?.id ?? 0) + 1,
    ts: ctx.now(),
    actorId: ctx.actor?.id ?? null,
    actorEmail: ctx.actor?.email ?? null,
    actorRole: ctx.actor?.role ?? null,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    before: asStoredJson(input.before),
    after: asStoredJson(input.after),
    reason: input.reason?.trim() || null,
    sourceIp: ctx.sourceIp,
    requestId: ctx.requestId,
    prevHash: last?.hash ?? GENESIS_HASH,
    keyId: ring.current.id,
  };
  const hash = keyedEntryHash(ring.current.key, entry);
  await tx.insert(auditLog).values({ ...entry, hash });
  return { ...entry, hash };
}

/** Runs `change` and its audit entry in one transaction; the entry may depend on the result. */
export async function withAudit<T>(
  ctx: Ctx,
  change: (tx: Db) => Promise<T>,
  describe: (result: T) => AuditInput,
): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    const result = await change(tx as unknown as Db);
    await appendAudit(tx as unknown as Db, ctx, describe(result));
    return result;
  });
}
