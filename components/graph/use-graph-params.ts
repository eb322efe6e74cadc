'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { applyChanges, parseGraphParams, selectionParam, type GraphParams, type ParamChanges, type Selection } from './graph-url';

export interface GraphParamsState extends GraphParams {
  update(changes: ParamChanges): void;
  select(s: Selection): void;
}

/** The graph's filters, colour mode, find text, hidden services and selection, in the URL. */
export function useGraphParams(): GraphParamsState {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const update = useCallback(
    (changes: ParamChanges) => router.replace(`${pathname}?${applyChanges(params, changes).toString()}`, { scroll: false }),
    [params, pathname, router],
  );
  return useMemo(
    () => ({ ...parseGraphParams(params), update, select: (s: Selection) => update({ select: selectionParam(s) }) }),
    [params, update],
  );
}
