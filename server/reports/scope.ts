import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { ReportScope } from './types';

const names = (max: number) => z.array(z.string().trim().min(1).max(253)).max(max).default([]).transform((v) => [...new Set(v)].sort());

/** What a report covers: each list empty means "all"; non-empty lists must all match. */
export const reportScopeSchema = z.object({
  services: names(200),
  namespaces: names(100),
  clusters: names(100),
});

export function isWholeFleet(scope: ReportScope): boolean {
  return scope.services.length === 0 && scope.namespaces.length === 0 && scope.clusters.length === 0;
}

const list = (values: readonly string[]) => sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;

/**
 * The namespace of a service name: `shop` of `shop/orders` and of the Istio SPIFFE id
 * `spiffe://cluster.local/ns/shop/sa/orders`; null for a bare name (`api.stripe.com`).
 */
export function namespaceOf(column: SQL): SQL {
  return sql`(case when ${column} like 'spiffe://%' then substring(${column} from '/ns/([^/]+)/') else nullif(split_part(${column}, '/', 1), ${column}) end)`;
}

/**
 * Whether the service in `column` is in the scope: named in `services` (when given), in one of
 * `namespaces` (when given), and served by a proxy of one of `clusters` (when given; a
 * service's clusters are those of the proxies registered for it).
 */
export function serviceInScope(column: SQL, scope: ReportScope): SQL {
  const parts: SQL[] = [];
  if (scope.services.length) parts.push(sql`${column} in ${list(scope.services)}`);
  if (scope.namespaces.length) parts.push(sql`${namespaceOf(column)} in ${list(scope.namespaces)}`);
  if (scope.clusters.length) {
    parts.push(sql`${column} in (select p.service from proxies p where p.service is not null and p.cluster in ${list(scope.clusters)})`);
  }
  return parts.length ? sql`(${sql.join(parts, sql` and `)})` : sql`true`;
}

/** A line for the title page and the history list. */
export function describeScope(scope: ReportScope): string {
  if (isWholeFleet(scope)) return 'All services, namespaces and clusters';
  const parts: string[] = [];
  if (scope.services.length) parts.push(`services: ${scope.services.join(', ')}`);
  if (scope.namespaces.length) parts.push(`namespaces: ${scope.namespaces.join(', ')}`);
  if (scope.clusters.length) parts.push(`clusters: ${scope.clusters.join(', ')}`);
  return parts.join('; ');
}
