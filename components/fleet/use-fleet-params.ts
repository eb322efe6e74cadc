'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { FIRST_DIR, proxyListInput, type ProxyListQuery, type ProxySort } from '@/server/fleet/proxy-list-input';

/** The filters, in the URL under the same names as the procedure's input. */
export const FILTER_KEYS = ['q', 'health', 'version', 'cluster', 'revision', 'rollout'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const shape = proxyListInput.shape;
const parsed = <T>(schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false } }, v: unknown): T | undefined => {
  const r = schema.safeParse(v);
  return r.success ? r.data : undefined;
};

/**
 * The proxy list's view state from the URL (/fleet?health=silent&sort=version&dir=asc&page=2&size=50):
 * a value that does not parse is ignored on its own, the rest still apply. `page` is 1-based in
 * the URL, for people; 0-based in the query.
 */
export function readFleetParams(params: URLSearchParams): ProxyListQuery {
  const str = (k: string) => params.get(k) ?? undefined;
  const sort = parsed(shape.sort, str('sort')) ?? 'lastSeen';
  const page = Math.floor(Number(params.get('page') ?? 1));
  return {
    q: parsed(shape.q, str('q')) || undefined,
    health: parsed(shape.health, str('health')),
    version: parsed(shape.version, str('version')),
    cluster: parsed(shape.cluster, str('cluster')),
    revision: parsed(shape.revision, str('revision')),
    rollout: parsed(shape.rollout, str('rollout')),
    sort,
    dir: params.get('dir') === 'asc' || params.get('dir') === 'desc' ? (params.get('dir') as 'asc' | 'desc') : FIRST_DIR[sort],
    page: Number.isFinite(page) && page >= 1 ? Math.min(page - 1, 100_000) : 0,
    pageSize: parsed(shape.pageSize, Number(params.get('size') ?? 25)) ?? 25,
  };
}

export function useFleetParams() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const query = useMemo(() => readFleetParams(new URLSearchParams(params.toString())), [params]);

  // Changes sent to the router and not yet in the address: a second change made before the
  // first lands (a quick click, the search box sending late) builds on them instead of undoing them.
  const pending = useRef<string | null>(null);
  useEffect(() => {
    if (pending.current === params.toString()) pending.current = null;
  }, [params]);
  useEffect(() => {
    // Back and Forward replace the address wholesale
    const forget = () => { pending.current = null; };
    window.addEventListener('popstate', forget);
    return () => window.removeEventListener('popstate', forget);
  }, []);

  const update = useCallback(
    (changes: Record<string, string | null>) => {
      const next = new URLSearchParams(pending.current ?? window.location.search);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      const qs = next.toString();
      pending.current = qs;
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [pathname, router],
  );

  return {
    query,
    filtered: FILTER_KEYS.some((k) => query[k] !== undefined),
    /** a filter changed: back to the first page */
    setFilter: (key: FilterKey, value: string | null) => update({ [key]: value, page: null }),
    clearFilters: () => update({ ...Object.fromEntries(FILTER_KEYS.map((k) => [k, null])), page: null }),
    setSort: (sort: ProxySort, dir: 'asc' | 'desc') => update({ sort, dir, page: null }),
    setPage: (page: number) => update({ page: page > 0 ? String(page + 1) : null }),
    setPageSize: (size: number) => update({ size: size === 25 ? null : String(size), page: null }),
  };
}
