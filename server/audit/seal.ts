import { desc, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { auditLog } from '@/db/schema';
import type { Ctx } from '@/server/context';
import { log } from '@/server/log';
import { AUDIT_CHAIN_LOCK, appendAudit } from './append';
import { installedAuditKeyring } from './keyring';

/**
 * When the newest entry predates the keyed chain (a database upgraded from a version that
 * hashed with plain SHA-256), appends a keyed entry after it: from there on, rewriting any
 * earlier entry breaks a MAC only the key can make. Run at start, before anything else writes.
 */
export async function sealLegacyChain(ctx: Ctx): Promise<{ legacyEntries: number } | null> {
  const ring = installedAuditKeyring();
  const sealed = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
    const [head] = await tx.select({ id: auditLog.id, keyId: auditLog.keyId }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    if (!head || head.keyId !== null) return null;
    await appendAudit(tx, ctx, {
      action: 'audit.chain_keyed', targetType: 'audit_log',
      after: { key_id: ring.current.id, legacy_entries: head.id },
      reason: 'the entries before this one were hashed without the audit key; from here on every entry is MACed with it',
    });
    return { legacyEntries: head.id };
  });
  if (sealed) {
    // Loud on purpose: on a database that was already keyed this would mean its chain was
    // replaced by an unkeyed one, which only an earlier checkpoint can prove.
    log.warn({ legacy_entries: sealed.legacyEntries, key_id: ring.current.id }, 'sealed the unkeyed audit entries under the audit key');
  }
  return sealed;
}
