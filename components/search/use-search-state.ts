'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTimeRange } from '@/components/ui/use-time-range';
import { PRESETS } from '@/server/traffic/time-range';
import { COLUMN_IDS, DEFAULT_COLUMNS, type ColumnId } from './columns';

function parseColumns(raw: string | null): ColumnId[] {
  if (!raw) return DEFAULT_COLUMNS;
  const ids = raw.split(',').filter((c): c is ColumnId => (COLUMN_IDS as readonly string[]).includes(c));
  return ids.length ? [...new Set(ids)] : DEFAULT_COLUMNS;
}

/**
 * `/search`'s view state in the URL: `q` (the query run), the time range (`range=` or
 * `from=`/`to=`), `cols` (the table's columns) and `saved` (the saved search it came from).
 * A preset is pinned to instants when the search runs, so the table's pages, the histogram and
 * an export all read the same window; Refresh pins it again.
 */
export function useSearchState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const range = useTimeRange();
  const q = params.get('q') ?? '';
  const colsParam = params.get('cols');
  const columns = useMemo(() => parseColumns(colsParam), [colsParam]);
  const saved = params.get('saved');
  const zoneParam = params.get('tz');
  const [tick, setTick] = useState(0);

  const preset = range.preset;
  const fromMs = range.from?.getTime() ?? null;
  const toMs = range.to?.getTime() ?? null;
  const window = useMemo(() => {
    if (fromMs !== null && toMs !== null) return { from: new Date(fromMs), to: new Date(toMs) };
    // whole seconds, so the same search asked twice in a second is one query
    const now = Math.ceil(Date.now() / 1000) * 1000;
    return { from: new Date(now - PRESETS[preset ?? '1h'] * 60_000), to: new Date(now) };
    // q and tick re-pin a live range: a new search reads up to now
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preset, fromMs, toMs, q, tick]);

  const query = params.toString();
  const latest = useRef(query);
  latest.current = query;
  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(latest.current);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) next.delete(k);
        else next.set(k, v);
      }
      const qs = next.toString();
      latest.current = qs;
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [pathname, router],
  );

  return {
    q,
    columns,
    saved,
    zoneParam,
    range,
    window,
    /** the URL parameters of this search, for links and saved searches */
    query,
    setQuery: (text: string) => update({ q: text || null }),
    setColumns: (ids: ColumnId[]) => update({ cols: ids.join(',') === DEFAULT_COLUMNS.join(',') ? null : ids.join(',') }),
    refresh: () => setTick((t) => t + 1),
    update,
  };
}

export type SearchState = ReturnType<typeof useSearchState>;
