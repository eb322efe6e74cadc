'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/trpc';
import { CSV_EXPORTS, csvExportHref, type CsvExportName } from '@/lib/csv-exports';
import { can } from '@/lib/permissions';

interface Props {
  table: CsvExportName;
  /** the input the table's tRPC query is given: the file has the same filters, sort and range */
  input?: unknown;
  /** what the table is, for the accessible name: "Download flows as CSV" */
  label: string;
}

/**
 * "Download CSV" for a table: a plain link to its streamed export (GET /api/export/<table>,
 * server/exports/tables.ts), so the browser downloads it without holding it in memory. Shown only
 * to roles that may download the table (lib/csv-exports.ts); the route checks again.
 */
export function CsvDownload({ table, input, label }: Props) {
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions(undefined, { staleTime: Infinity }));
  if (!me.data || !can(me.data.role, CSV_EXPORTS[table])) return null;
  return (
    <a className="btn small" href={csvExportHref(table, input)} download aria-label={`Download ${label} as CSV`} title={`Download ${label} as CSV, with the filters and time range shown`} data-testid={`csv-${table}`}>
      Download CSV
    </a>
  );
}
