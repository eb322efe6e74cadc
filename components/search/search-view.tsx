'use client';

import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { full } from '@/components/ui/format';
import { ErrorState } from '@/components/ui/states';
import { TimeRangePicker } from '@/components/ui/time-range-picker';
import { useMounted } from '@/components/ui/use-mounted';
import type { EventRow } from '@/server/search/events';
import { ColumnChooser } from './column-chooser';
import { stamp, type TimeZoneMode } from './columns';
import { EventDetail } from './event-detail';
import { ExportMenu } from './export-menu';
import { QueryBar } from './query-bar';
import { ResultsTable } from './results-table';
import { SavedSearches } from './saved-searches';
import { SearchHistogram } from './search-histogram';
import { allOf } from './search-url';
import { useSearchState } from './use-search-state';

const PAGE = 200;

/** A query error from the server: its message, and the column it points at when it has one. */
function queryError(err: unknown): { message: string; column: number | null } | null {
  const e = err as { message?: string; data?: { code?: string; column?: number } } | null;
  if (!e || e.data?.code !== 'BAD_REQUEST') return null;
  return { message: (e.message ?? '').replace(/^col \d+: /, ''), column: typeof e.data.column === 'number' ? e.data.column : null };
}

/** `/` focuses the query box, as on the other pages. */
function useSlashKey(ref: React.RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '/' || e.metaKey || e.ctrlKey || e.altKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      ref.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ref]);
}

/**
 * `/search`: forensics over the access log. The query, range and columns live in the URL, so a
 * search is a link; the histogram zooms the range; the table loads pages as it scrolls; an
 * event opens beside it with pivots.
 */
export function SearchView({ canAnalyse, isAdmin }: { canAnalyse: boolean; isAdmin: boolean }) {
  const s = useSearchState();
  const trpc = useTRPC();
  const inputRef = useRef<HTMLInputElement>(null);
  const mounted = useMounted();
  useSlashKey(inputRef);
  const [open, setOpen] = useState<EventRow | null>(null);
  const zone: TimeZoneMode = s.zoneParam === 'utc' ? 'utc' : 'local';
  const scope = { q: s.q, from: s.window.from, to: s.window.to };

  const histogram = useQuery(trpc.search.histogram.queryOptions({ ...scope, buckets: 60 }, { placeholderData: keepPreviousData }));
  const events = useInfiniteQuery(
    trpc.search.events.infiniteQueryOptions({ ...scope, limit: PAGE }, { getNextPageParam: (p) => p.nextCursor ?? undefined }),
  );
  const rows = useMemo(() => events.data?.pages.flatMap((p) => p.rows) ?? [], [events.data]);
  const error = queryError(histogram.error) ?? queryError(events.error);
  const otherError = !error ? (histogram.error ?? events.error) : null;

  useEffect(() => setOpen(null), [s.q, s.window]);
  const onMore = useCallback(() => void events.fetchNextPage(), [events]);
  const addClause = useCallback((c: string) => s.setQuery(s.q.trim() ? allOf(/\bOR\b/.test(s.q) ? `(${s.q})` : s.q, c) : c), [s]);

  return (
    <div className="page stack search-page">
      <div className="page-head">
        <div>
          <h1>Search</h1>
          <p>Every request the fleet reported, by any field. Reading results and exporting them is recorded in the audit log.</p>
        </div>
        <TimeRangePicker range={s.range} />
      </div>
      <section className="card" aria-label="Query">
        <div className="card-body stack">
          <QueryBar value={s.q} onSubmit={s.setQuery} window={s.window} error={error} inputRef={inputRef} />
          <div className="row search-toolbar">
            <SavedSearches state={s} canSave={canAnalyse} isAdmin={isAdmin} />
            <ColumnChooser value={s.columns} onChange={s.setColumns} />
            <ExportMenu q={s.q} window={s.window} columns={s.columns} disabled={!canAnalyse || Boolean(error)} />
            <span className="spacer" />
            <div className="segmented" role="group" aria-label="Time zone">
              {(['local', 'utc'] as const).map((z) => (
                <button key={z} type="button" className={zone === z ? 'active' : undefined} aria-pressed={zone === z} onClick={() => s.update({ tz: z === 'utc' ? 'utc' : null })}>
                  {z === 'utc' ? 'UTC' : 'Local'}
                </button>
              ))}
            </div>
            {s.range.live ? <button type="button" className="btn small" onClick={s.refresh}>Refresh</button> : null}
          </div>
        </div>
      </section>
      {otherError ? <section className="card"><ErrorState error={otherError} onRetry={() => { void histogram.refetch(); void events.refetch(); }} /></section> : null}
      {!error && !otherError ? (
        <>
          <section className="card" aria-labelledby="hist-title">
            <div className="card-head">
              <h2 id="hist-title">Matching events</h2>
              {/* the chart keeps the previous result while the next loads (no flicker); the count
                  must not: a count shown beside a new query or range is read as that query's */}
              <span className="muted" data-testid="search-total" aria-live="polite" aria-busy={histogram.isPlaceholderData}>
                {histogram.data && !histogram.isPlaceholderData ? `${full(histogram.data.total)} event${histogram.data.total === 1 ? '' : 's'}` : 'Counting…'}
              </span>
              {mounted ? (
                <span className="faint small mono" data-testid="search-window">
                  {stamp(s.window.from.toISOString(), zone)} → {stamp(s.window.to.toISOString(), zone)} {zone === 'utc' ? 'UTC' : Intl.DateTimeFormat().resolvedOptions().timeZone}
                </span>
              ) : null}
            </div>
            <div className="card-body">
              {histogram.data ? (
                <SearchHistogram data={histogram.data} window={s.window} zone={zone} onZoom={(f, t) => s.range.setAbsolute(f, t)} />
              ) : <div className="chart-skeleton" style={{ height: 140 }} aria-hidden="true" />}
            </div>
          </section>
          <div className={`search-results${open ? ' with-detail' : ''}`}>
            <section className="card" aria-labelledby="results-title">
              <div className="card-head">
                <h2 id="results-title">Events</h2>
                <span className="muted small">{rows.length ? `${full(rows.length)} loaded, newest first${events.hasNextPage ? ' · scroll for more' : ''}` : ''}</span>
              </div>
              {events.isPending ? <p className="card-body muted" role="status">Searching…</p> : (
                <ResultsTable
                  rows={rows}
                  columns={s.columns}
                  zone={zone}
                  hasMore={Boolean(events.hasNextPage)}
                  loadingMore={events.isFetchingNextPage}
                  onMore={onMore}
                  selected={open?.key ?? null}
                  onOpen={setOpen}
                />
              )}
            </section>
            {open ? <EventDetail row={open} zone={zone} onClose={() => setOpen(null)} onFilter={addClause} /> : null}
          </div>
        </>
      ) : null}
    </div>
  );
}
