'use client';

import type { ColumnId } from './columns';

export function exportHref(format: 'csv' | 'ndjson', q: string, window: { from: Date; to: Date }, columns: ColumnId[]): string {
  const p = new URLSearchParams({ q, from: window.from.toISOString(), to: window.to.toISOString(), format, columns: columns.join(',') });
  return `/api/search/export?${p.toString()}`;
}

/**
 * Everything the on-screen search matches, exactly its query, window and columns, streamed as
 * it is read (no row cap). The server audits each export with the query and the row count.
 */
export function ExportMenu({ q, window, columns, disabled }: { q: string; window: { from: Date; to: Date }; columns: ColumnId[]; disabled: boolean }) {
  if (disabled) return <button type="button" className="btn small" disabled title="Exporting is for analysts and admins">Export</button>;
  return (
    <details className="popover">
      <summary className="btn small">Export</summary>
      <div className="popover-body">
        <a className="btn small" href={exportHref('csv', q, window, columns)} download data-testid="export-csv">CSV (shown columns)</a>
        <a className="btn small" href={exportHref('ndjson', q, window, columns)} download data-testid="export-ndjson">NDJSON (shown columns)</a>
        <p className="faint small">All matching events in the range, not only the loaded rows. Exports are recorded in the audit log.</p>
      </div>
    </details>
  );
}
