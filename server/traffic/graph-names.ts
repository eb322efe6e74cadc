import { sql, type SQL } from 'drizzle-orm';

/** Namespace of `namespace/name` or of a SPIFFE id (`spiffe://td/ns/<ns>/sa/<name>`); null for `external`. */
export const NAMESPACE_RE = /^(?:spiffe:\/\/[^/]+\/ns\/)?([^/]+)\//;
export const namespaceSql = (column: SQL): SQL => sql`substring(${column} from ${NAMESPACE_RE.source}::text)`;

export function namespaceOf(service: string): string | null {
  return NAMESPACE_RE.exec(service)?.[1] ?? null;
}

/** The caller name of requests from outside the mesh. */
export const EXTERNAL = 'external';
