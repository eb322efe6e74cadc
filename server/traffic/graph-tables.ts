import { sql, type SQL } from 'drizzle-orm';
import {
  edgeHour, edgeMinute, edgeRouteHour, edgeRouteMinute, sensitiveEdgeHour, sensitiveEdgeMinute, serviceHour, serviceMinute,
  tokenHour, tokenMinute,
} from '@/db/schema';
import { LATENCY_BUCKETS } from '@/server/rollups/latency-histogram';
import type { Resolution } from './time-range';

/** The rollup tables that answer a range at `resolution` (minutes up to 12 h, hours beyond). */
export function rollupTables(resolution: Resolution) {
  const minute = resolution === 'minute';
  return {
    edge: minute ? edgeMinute : edgeHour,
    service: minute ? serviceMinute : serviceHour,
    edgeRoute: minute ? edgeRouteMinute : edgeRouteHour,
    token: minute ? tokenMinute : tokenHour,
    sensitiveEdge: minute ? sensitiveEdgeMinute : sensitiveEdgeHour,
  };
}

/** `array[sum(latency[1]), …]`: the element-wise sum of the histograms of a group, in one pass. */
export const histogramSumSql: SQL = sql.raw(
  `array[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => `coalesce(sum(latency[${i + 1}]), 0)`).join(', ')}]`,
);

/** Namespace of `namespace/name` or of a SPIFFE id (`spiffe://td/ns/<ns>/sa/<name>`); null for `external`. */
export const NAMESPACE_RE = /^(?:spiffe:\/\/[^/]+\/ns\/)?([^/]+)\//;
export const namespaceSql = (column: SQL): SQL => sql`substring(${column} from ${NAMESPACE_RE.source}::text)`;

export function namespaceOf(service: string): string | null {
  return NAMESPACE_RE.exec(service)?.[1] ?? null;
}

export const EXTERNAL = 'external';
