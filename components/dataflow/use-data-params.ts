'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';
import { FLOW_SORTS, type FlowSort } from '@/server/traffic/dataflow-sorts';

/** The /data view's own URL state (the time range is useTimeRange's): class filter, flow sort and page. */
export function useDataParams() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const sortParam = params.get('sort');
  const sort: FlowSort = (FLOW_SORTS as readonly string[]).includes(sortParam ?? '') ? (sortParam as FlowSort) : 'matches';
  const dir = params.get('dir') === 'asc' ? 'asc' : 'desc';
  const page = Math.max(0, Math.floor(Number(params.get('page') ?? 0)) || 0);
  const dataClass = params.get('class') || undefined;

  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) next.delete(k);
        else next.set(k, v);
      }
      router.replace(`${pathname}?${next.toString()}`, { scroll: false });
    },
    [params, pathname, router],
  );

  return {
    dataClass,
    sort,
    dir: dir as 'asc' | 'desc',
    page,
    setClass: (c: string | null) => update({ class: c, page: null }),
    setSort: (s: FlowSort, d: 'asc' | 'desc') => update({ sort: s, dir: d, page: null }),
    setPage: (p: number) => update({ page: p ? String(p) : null }),
  };
}
