import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * How policies are compiled for the workloads of one cluster (trust domain, service accounts,
 * workload selector labels, Istio rollout options), as admins set them on `/settings/clusters`.
 * The row `*` applies to every cluster without a row of its own; with no row at all the stock
 * Kubernetes defaults apply. `settings` is validated on write (server/policy/cluster-settings.ts)
 * and read back through the same schema.
 */
export const clusterSettings = pgTable('cluster_settings', {
  cluster: text('cluster').primaryKey(),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
