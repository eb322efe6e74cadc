// The console tables that download as CSV (GET /api/export/<name>, server/exports/tables.ts),
// who may download each, and the link a page builds. Shared by the server's route and the
// pages' buttons, so nothing here imports from db/ or server/.
import superjson from 'superjson';
import type { Permission } from './permissions';

/**
 * Each table and the permission its download needs (lib/permissions.ts). Exports are the
 * analyst's (SPEC "Roles": analyst = viewer + … exports), as the search export is; the audit log
 * is for those who may read it (admin, auditor), and its download is audited as reading it is.
 */
export const CSV_EXPORTS = {
  /** /data: which edge carried which class, which way */
  flows: 'analyse',
  /** /: the busiest edges */
  'top-edges': 'analyse',
  /** /: the busiest services */
  'top-services': 'analyse',
  /** /: tokens by the sensitive data in their traffic */
  'top-tokens': 'analyse',
  /** /apis: the endpoint inventory */
  endpoints: 'analyse',
  /** /fleet: the proxies */
  'fleet-proxies': 'analyse',
  /** /fleet: the proxy tokens (names and prefixes; a token's value is never stored) */
  'fleet-tokens': 'analyse',
  /** /audit */
  'audit-log': 'readAudit',
} as const satisfies Record<string, Permission>;

export type CsvExportName = keyof typeof CSV_EXPORTS;

export function isCsvExport(name: string): name is CsvExportName {
  return Object.hasOwn(CSV_EXPORTS, name);
}

/**
 * The download link of `name` for the input the page gives its tRPC query, serialised as tRPC's
 * own GET requests carry it (superjson, so dates stay dates): the file has the on-screen filters,
 * sort and range, literally.
 */
export function csvExportHref(name: CsvExportName, input?: unknown): string {
  return input === undefined ? `/api/export/${name}` : `/api/export/${name}?input=${encodeURIComponent(superjson.stringify(input))}`;
}
