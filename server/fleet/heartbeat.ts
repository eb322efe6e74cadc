import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { proxies } from '@/db/schema';
import type { AccountMap } from '@/server/identity/account-map';
import { HOST_LIKE_RULE, isHostLike, isPrintableText, isProxyId, PROXY_ID_RULE } from '@/server/identity/names';
import { canonicalService, IDENTITY_RULE, MAX_SAN_LIST } from '@/server/identity/service-identity';
import type { ProxyPrincipal } from './tokens';

// Names are checked against the identity grammar exactly as sent (no trimming): they are shown
// in Fleet and joined to policies by service, so a heartbeat cannot smuggle in what ingest refuses.
const hostLike = z.string().refine(isHostLike, HOST_LIKE_RULE);
const printable = (max: number) => z.string().max(max).refine(isPrintableText, 'no control characters or line separators');

/** `POST /api/fleet/v1/status` body (snake_case, as proxies and agents write it). */
export const heartbeatSchema = z.object({
  proxy_id: z.string().refine(isProxyId, `a proxy id: ${PROXY_ID_RULE}`),
  version: printable(64).optional(),
  cluster: hostLike.optional(),
  node: hostLike.optional(),
  /** a service name, or the workload's SPIFFE id (read as ingest reads it: heartbeatService) */
  service: z.string().max(MAX_SAN_LIST).refine((v) => typeof canonicalService(v).service === 'string', `must be ${IDENTITY_RULE}`).optional(),
  policy_revision: printable(128).nullable().optional(),
  /** the classifier set revision the content filter applied (`?format=classifiers` bundles) */
  classifier_revision: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
  interval_s: z.number().int().min(5).max(3600).optional(),
  counters: z
    .record(printable(64), z.number().finite().nonnegative())
    .refine((c) => Object.keys(c).length <= 50, 'at most 50 counters')
    .optional(),
});
export type Heartbeat = z.output<typeof heartbeatSchema>;

/**
 * The heartbeat's service as ingest stores the same identity (one spelling everywhere): a SPIFFE
 * id becomes `namespace/service`, its account read back with the cluster's settings. The schema
 * has already refused anything that is not one workload identity.
 */
export function heartbeatService(hb: Heartbeat, accounts: AccountMap | null): string | undefined {
  if (hb.service === undefined) return undefined;
  return canonicalService(hb.service, accounts).service ?? undefined;
}

/** Registers the proxy on first contact and records what it reports about itself. */
export async function recordHeartbeat(db: Db, principal: ProxyPrincipal, hb: Heartbeat, now: Date) {
  const values = {
    id: hb.proxy_id,
    tokenId: principal.tokenId,
    service: hb.service ?? null,
    cluster: hb.cluster ?? null,
    node: hb.node ?? null,
    version: hb.version ?? null,
    policyRevision: hb.policy_revision ?? null,
    classifierRevision: hb.classifier_revision ?? null,
    intervalS: hb.interval_s ?? 30,
    counters: hb.counters ?? {},
    firstSeenAt: now,
    lastSeenAt: now,
    lastHeartbeatAt: now,
  };
  await db
    .insert(proxies)
    .values(values)
    .onConflictDoUpdate({
      target: proxies.id,
      set: {
        tokenId: values.tokenId,
        service: sql`coalesce(excluded.service, ${proxies.service})`,
        cluster: sql`coalesce(excluded.cluster, ${proxies.cluster})`,
        node: sql`coalesce(excluded.node, ${proxies.node})`,
        version: sql`coalesce(excluded.version, ${proxies.version})`,
        policyRevision: hb.policy_revision === undefined ? sql`${proxies.policyRevision}` : values.policyRevision,
        classifierRevision: hb.classifier_revision === undefined ? sql`${proxies.classifierRevision}` : values.classifierRevision,
        intervalS: hb.interval_s === undefined ? sql`${proxies.intervalS}` : values.intervalS,
        counters: hb.counters === undefined ? sql`${proxies.counters}` : values.counters,
        lastSeenAt: now,
        lastHeartbeatAt: now,
      },
    });
}
