'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef } from 'react';
import type { EndpointState } from '@/lib/enums';

const STATES: readonly EndpointState[] = ['learned', 'approved', 'rejected'];

/** The inventory's URL state: service, filters and page, so a review list can be shared. */
export function useApisParams() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const state = useMemo(() => {
    const s = params.get('state');
    const since = params.get('since');
    const sinceDate = since ? new Date(since) : null;
    return {
      service: params.get('service') || undefined,
      state: STATES.includes(s as EndpointState) ? (s as EndpointState) : undefined,
      changed: params.get('changed') === '1' ? true : undefined,
      since: sinceDate && !Number.isNaN(sinceDate.getTime()) ? sinceDate : undefined,
      sinceField: params.get('sinceField') === 'changed' ? ('changed' as const) : ('created' as const),
      sensitive: params.get('sensitive') === '1' ? true : undefined,
      caller: params.get('caller') || undefined,
      q: params.get('q') || undefined,
      page: Math.max(0, Math.floor(Number(params.get('page') ?? 0)) || 0),
    };
  }, [params]);

  // Changes build on the query as last asked for, not on the one this render saw: a filter's
  // debounced update or a second control changed before the router committed the first would
  // otherwise put back what the first one changed.
  const query = params.toString();
  const asked = useRef({ seen: query, latest: query });
  if (asked.current.seen !== query) asked.current = { seen: query, latest: query };

  const update = useCallback(
    (changes: Record<string, string | null>, keepPage = false) => {
      const next = new URLSearchParams(asked.current.latest);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      if (!keepPage) next.delete('page');
      const qs = next.toString();
      asked.current.latest = qs;
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [pathname, router],
  );

  return { ...state, update, query };
}
