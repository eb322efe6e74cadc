import { desc, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditLog } from '@/db/schema';
import type { Actor, Ctx } from '@/server/context';
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

export type RecordAudit = (entry: AuditInput, actor?: Actor | null) => void;

/**
 * The one way a change to security posture is written: `change` runs in a transaction and names
 * its audit entry with `audit(...)` (acting as `actor` when given, as whoever holds a set-password
 * link does; else as ctx.actor); the entry is appended to the chain in that same transaction,
 * after the change, so it exists exactly when the change does. One change, one entry: naming a
 * second is a programming error, and a change that turns out to be a no-op may name none.
 */
export async function audited<T>(ctx: Ctx, change: (tx: Db, audit: RecordAudit) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    let named: { entry: AuditInput; actor: Actor | null } | null = null;
    const result = await change(tx, (entry, actor) => {
      if (named) throw new Error(`one change, one audit entry: ${named.entry.action} is named already, ${entry.action} cannot be added`);
      named = { entry, actor: actor === undefined ? ctx.actor : actor };
    });
    const last = named as { entry: AuditInput; actor: Actor | null } | null;
    if (last) await appendAudit(tx, { ...ctx, actor: last.actor }, last.entry);
    return result;
  });
}
