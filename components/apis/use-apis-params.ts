'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
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

  const update = useCallback(
    (changes: Record<string, string | null>, keepPage = false) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === '') next.delete(k);
        else next.set(k, v);
      }
      if (!keepPage) next.delete('page');
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );

  return { ...state, update, query: params.toString() };
}
