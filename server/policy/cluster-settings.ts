// Per-cluster compile settings (`/settings/clusters`): the trust domain of the cluster's SPIFFE
// ids, how a service maps to its service account and to workload selector labels, and Istio
// rollout options. A mesh with another trust domain or bookinfo-style accounts (`bookinfo-web`)
// is denied everything by a policy compiled with the stock defaults, so admins set them here and
// every bundle a proxy of that cluster pulls is compiled with them. Each change is audited.
import { asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { reason } from '@/server/audit/reason';
import type { Db } from '@/db/client';
import { clusterSettings } from '@/db/schema/cluster-settings';
import { proxies } from '@/db/schema/fleet';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { DomainError } from '@/server/errors';
import { HOST_LIKE_RULE, isHostLike, isNamespace, isServiceName, SERVICE_RULE } from '@/server/identity/names';
import { callerIdentity } from './compile/identity';
import { fillTemplate, isLabelKey, isLabelValue, isServiceAccountName, isTrustDomain } from './compile/mesh-names';
import type { CompileOptions } from './compile/options';

/** The row that applies to every cluster without its own. */
export const EVERY_CLUSTER = '*';

const SAMPLE = { namespace: 'shop', name: 'web' };
const ONLY_PLACEHOLDERS = /^(?:[^{}]|\{namespace\}|\{name\})*$/;

const template = (what: 'account' | 'label') =>
  z.string().trim().min(1).max(120)
    .refine((t) => ONLY_PLACEHOLDERS.test(t), 'Only {namespace} and {name} may stand in braces')
    .refine(
      (t) => (what === 'account' ? isServiceAccountName : isLabelValue)(fillTemplate(t, SAMPLE)),
      what === 'account'
        ? 'For shop/web this would not be a Kubernetes service account name (lower-case letters, digits, - and .)'
        : 'For shop/web this would not be a Kubernetes label value (at most 63 letters, digits, ., - and _)',
    );

export const clusterCompileSettings = z.object({
  trustDomain: z.string().trim().min(1).max(255).refine(isTrustDomain, 'A trust domain is lower-case letters, digits, ., - and _ (e.g. cluster.local)'),
  serviceAccountTemplate: template('account'),
  /** exceptions to the template, service → account */
  serviceAccounts: z.record(z.string().max(253), z.string().refine(isServiceAccountName, 'A service account is lower-case letters, digits, - and . (at most 253)'))
    .refine((r) => Object.keys(r).length <= 2000, 'At most 2,000 exceptions')
    .superRefine((r, c) => {
      const bad = Object.keys(r).find((s) => !isServiceName(s) || !s.includes('/') || s.startsWith('spiffe:'));
      if (bad !== undefined) c.addIssue({ code: 'custom', message: `Name each service as namespace/name (${SERVICE_RULE}): ${JSON.stringify(bad.slice(0, 80))} is not one` });
    }),
  // keys checked apart: zod reports a refused record key only as "Invalid key in record"
  selectorLabels: z.record(z.string().max(317), template('label'))
    .refine((r) => Object.keys(r).length >= 1, 'Give at least one selector label, or the policy would select every workload of the namespace')
    .refine((r) => Object.keys(r).length <= 16, 'At most 16 selector labels')
    .superRefine((r, c) => {
      const bad = Object.keys(r).find((k) => !isLabelKey(k));
      if (bad !== undefined) c.addIssue({ code: 'custom', message: `${JSON.stringify(bad.slice(0, 80))} is not a label key: a Kubernetes label name (letters, digits, ., - and _), optionally after a DNS prefix and /` });
    }),
  istioDryRun: z.boolean(),
  /** `service`: `targetRefs` to the Service, for ambient-mode waypoints (rows stored before it existed read as `workload`) */
  istioAttach: z.enum(['workload', 'service']).default('workload'),
});
export type ClusterCompileSettings = z.output<typeof clusterCompileSettings>;

export const DEFAULT_CLUSTER_SETTINGS: ClusterCompileSettings = {
  trustDomain: 'cluster.local',
  serviceAccountTemplate: '{name}',
  serviceAccounts: {},
  selectorLabels: { app: '{name}' },
  istioDryRun: false,
  istioAttach: 'workload',
};

export const clusterName = z.string().trim().min(1).max(253)
  .refine((c) => c === EVERY_CLUSTER || isHostLike(c), `A cluster is ${HOST_LIKE_RULE}, or * for every cluster`);

export const setClusterSettingsInput = z.object({ cluster: clusterName, settings: clusterCompileSettings, reason });
export type SetClusterSettingsInput = z.output<typeof setClusterSettingsInput>;
export const removeClusterSettingsInput = z.object({ cluster: clusterName.refine((c) => c !== EVERY_CLUSTER, 'The * row can be changed but not removed: set it back to the defaults instead'), reason });
export type RemoveClusterSettingsInput = z.output<typeof removeClusterSettingsInput>;
export const previewClusterSettingsInput = z.object({
  settings: clusterCompileSettings,
  services: z.array(z.string().max(253)).max(20),
});
export type PreviewClusterSettingsInput = z.output<typeof previewClusterSettingsInput>;

/** What the compilers take from a cluster's settings. */
export function compileOptionsOf(s: ClusterCompileSettings): CompileOptions {
  return {
    trustDomain: s.trustDomain,
    serviceAccountTemplate: s.serviceAccountTemplate,
    serviceAccounts: s.serviceAccounts,
    istio: { selectorLabels: s.selectorLabels, dryRun: s.istioDryRun, attach: s.istioAttach === 'service' ? 'service' : 'selector' },
  };
}

/** A stored row read back through the write schema: a row edited around the console fails loudly, never half-applies. */
function readStored(cluster: string, raw: unknown): ClusterCompileSettings {
  const r = clusterCompileSettings.safeParse(raw);
  if (!r.success) throw new Error(`the stored compile settings of cluster ${JSON.stringify(cluster)} are not valid: ${r.error.issues[0]?.message}`);
  return r.data;
}

export interface EffectiveSettings {
  /** the row used: the cluster's own, `*`, or null for the built-in defaults */
  from: string | null;
  settings: ClusterCompileSettings;
}

/** The settings a proxy of `cluster` gets: its own row, else `*`, else the defaults. */
export async function settingsForCluster(db: Db, cluster: string | null): Promise<EffectiveSettings> {
  const wanted = cluster && cluster !== EVERY_CLUSTER ? [cluster, EVERY_CLUSTER] : [EVERY_CLUSTER];
  const rows = await db.select().from(clusterSettings).where(inArray(clusterSettings.cluster, wanted));
  const row = rows.find((r) => r.cluster === cluster) ?? rows.find((r) => r.cluster === EVERY_CLUSTER);
  return row ? { from: row.cluster, settings: readStored(row.cluster, row.settings) } : { from: null, settings: DEFAULT_CLUSTER_SETTINGS };
}

export interface ClusterSettingsRow {
  cluster: string;
  settings: ClusterCompileSettings;
  updatedBy: string;
  updatedAt: Date;
}

export interface ClusterSettingsList {
  /** the `*` row, or null while the defaults apply */
  every: ClusterSettingsRow | null;
  rows: ClusterSettingsRow[];
  /** clusters proxies have reported, with the row each one gets */
  known: { cluster: string; proxies: number; own: boolean }[];
  defaults: ClusterCompileSettings;
}

export async function listClusterSettings(ctx: Ctx): Promise<ClusterSettingsList> {
  const stored = await ctx.db.select().from(clusterSettings).orderBy(asc(clusterSettings.cluster));
  const rows = stored.map((r) => ({ cluster: r.cluster, settings: readStored(r.cluster, r.settings), updatedBy: r.updatedBy, updatedAt: r.updatedAt }));
  const seen = await ctx.db.select({ cluster: proxies.cluster, n: sql<number>`count(*)::int` }).from(proxies)
    .where(isNotNull(proxies.cluster)).groupBy(proxies.cluster).orderBy(asc(proxies.cluster)).limit(500);
  const own = new Set(rows.map((r) => r.cluster));
  return {
    every: rows.find((r) => r.cluster === EVERY_CLUSTER) ?? null,
    rows: rows.filter((r) => r.cluster !== EVERY_CLUSTER),
    known: seen.map((s) => ({ cluster: s.cluster!, proxies: Number(s.n), own: own.has(s.cluster!) })),
    defaults: DEFAULT_CLUSTER_SETTINGS,
  };
}

export async function setClusterSettings(ctx: Ctx, input: SetClusterSettingsInput): Promise<ClusterSettingsRow> {
  const by = ctx.actor?.email;
  if (!by) throw new DomainError('FORBIDDEN', 'Sign in to change compile settings');
  return audited(ctx, async (tx, audit) => {
    const [before] = await tx.select().from(clusterSettings).where(eq(clusterSettings.cluster, input.cluster)).for('update');
    const [row] = await tx.insert(clusterSettings).values({ cluster: input.cluster, settings: input.settings, updatedBy: by, updatedAt: ctx.now() })
      .onConflictDoUpdate({ target: clusterSettings.cluster, set: { settings: input.settings, updatedBy: by, updatedAt: ctx.now() } })
      .returning();
    audit({
      action: 'policy.cluster_settings.set', targetType: 'cluster_settings', targetId: input.cluster,
      before: before ? before.settings : { defaults: DEFAULT_CLUSTER_SETTINGS }, after: input.settings, reason: input.reason,
    });
    return { cluster: row.cluster, settings: input.settings, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
  });
}

/** A cluster goes back to the `*` row (or the defaults). */
export async function removeClusterSettings(ctx: Ctx, input: RemoveClusterSettingsInput): Promise<{ cluster: string }> {
  return audited(ctx, async (tx, audit) => {
    const [before] = await tx.delete(clusterSettings).where(eq(clusterSettings.cluster, input.cluster)).returning();
    if (!before) throw new DomainError('NOT_FOUND', `${input.cluster} has no settings of its own: it uses the * row`);
    audit({ action: 'policy.cluster_settings.remove', targetType: 'cluster_settings', targetId: input.cluster, before: before.settings, after: null, reason: input.reason });
    return { cluster: input.cluster };
  });
}

export interface PreviewRow {
  service: string;
  /** the SPIFFE id callers of this service present, as Envoy and Istio match it */
  principal: string | null;
  /** the Istio workload selector of the service's own policy */
  selector: Record<string, string> | null;
  problem: string | null;
}

/** What the settings make of a few services, before they are saved. */
export function previewClusterSettings(input: PreviewClusterSettingsInput): PreviewRow[] {
  const o = compileOptionsOf(input.settings);
  return input.services.map((service) => {
    const m = /^([^/]+)\/([^/]+)$/.exec(service);
    if (!m || !isServiceName(service) || !isNamespace(m[1])) return { service, principal: null, selector: null, problem: 'not a namespace/name service' };
    const id = callerIdentity(service, o);
    const principal = id.kind === 'spiffe' ? id.uri : null;
    const selector: Record<string, string> = {};
    let problem = id.kind === 'unmapped' ? id.reason : null;
    for (const [key, t] of Object.entries(input.settings.selectorLabels)) {
      const value = fillTemplate(t, { namespace: m[1], name: m[2] });
      if (!isLabelValue(value)) problem ??= `label ${key} would be "${value.slice(0, 80)}", which Kubernetes refuses`;
      selector[key] = value;
    }
    return { service, principal, selector: problem ? null : selector, problem };
  });
}
