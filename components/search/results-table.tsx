'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { Empty } from '@/components/ui/states';
import type { EventRow } from '@/server/search/events';
import { COLUMNS, type ColumnId, type TimeZoneMode } from './columns';

const ROW_PX = 32;

/**
 * The matching events, newest first, in a scroller that renders only the rows in view (a
 * search can match millions). Scrolling near the end loads the next page. Rows are focusable:
 * j/k or the arrow keys move, Enter opens the event.
 */
export function ResultsTable({
  rows, columns, zone, hasMore, loadingMore, onMore, selected, onOpen,
}: {
  rows: EventRow[];
  columns: ColumnId[];
  zone: TimeZoneMode;
  hasMore: boolean;
  loadingMore: boolean;
  onMore: () => void;
  selected: string | null;
  onOpen: (row: EventRow) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length + (hasMore ? 1 : 0), getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 12 });
  const items = v.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && last.index >= rows.length - 1 && hasMore && !loadingMore) onMore();
  }, [last, rows.length, hasMore, loadingMore, onMore]);

  if (!rows.length) return <Empty title="No events match">Widen the time range or loosen the query.</Empty>;

  const cols = columns.map((c) => COLUMNS[c]);
  // fixed columns keep their width; a flexible one (the path) takes the rest, at least its own
  const width = cols.reduce((n, c) => n + c.width, 0);
  const flexible = cols.some((c) => c.flex);
  const top = items[0]?.start ?? 0;
  const bottom = v.getTotalSize() - (last?.end ?? 0);

  const move = (from: HTMLElement, step: number) => {
    const index = Number(from.dataset.index) + step;
    if (index < 0 || index >= rows.length) return;
    v.scrollToIndex(index, { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`tr[data-index="${index}"]`)?.focus());
  };

  return (
    <div ref={scroller} className="search-scroller" tabIndex={-1} aria-label="Matching events">
      <table className="table search-table" style={flexible ? { width: '100%', minWidth: width } : { width, minWidth: '100%' }} aria-rowcount={rows.length + 1}>
        <colgroup>{cols.map((c) => <col key={c.id} style={c.flex ? undefined : { width: c.width }} />)}</colgroup>
        <thead>
          <tr>{cols.map((c) => <th key={c.id} scope="col" style={c.align ? { textAlign: c.align } : undefined}>{c.label}</th>)}</tr>
        </thead>
        <tbody>
          {top > 0 ? <tr aria-hidden="true" style={{ height: top }} /> : null}
          {items.map((it) => {
            const r = rows[it.index];
            if (!r) {
              return (
                <tr key="more" aria-hidden="true" style={{ height: ROW_PX }}>
                  <td colSpan={cols.length} className="muted">{loadingMore ? 'Loading more…' : ''}</td>
                </tr>
              );
            }
            return (
              <tr
                key={r.key}
                data-index={it.index}
                data-testid="search-row"
                aria-rowindex={it.index + 2}
                tabIndex={0}
                className={`search-row${selected === r.key ? ' selected' : ''}`}
                style={{ height: ROW_PX }}
                onClick={() => onOpen(r)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onOpen(r);
                  } else if (e.key === 'ArrowDown' || e.key === 'j') {
                    e.preventDefault();
                    move(e.currentTarget, 1);
                  } else if (e.key === 'ArrowUp' || e.key === 'k') {
                    e.preventDefault();
                    move(e.currentTarget, -1);
                  }
                }}
              >
                {cols.map((c) => (
                  <td key={c.id} className="ellipsis" style={c.align ? { textAlign: c.align } : undefined} title={c.text?.(r)}>
                    {c.render(r, zone)}
                  </td>
                ))}
              </tr>
            );
          })}
          {bottom > 0 ? <tr aria-hidden="true" style={{ height: bottom }} /> : null}
        </tbody>
      </table>
    </div>
  );
}
