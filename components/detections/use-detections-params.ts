'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useRef } from 'react';
import { DETECTION_KINDS, SEVERITIES, TRIAGE_STATES, type DetectionKind, type Severity, type TriageState } from '@/lib/enums';

/** The queue's default: what still needs someone (open and acknowledged). */
export const ACTIVE: TriageState[] = ['open', 'acknowledged'];
export type StateFilter = 'active' | 'all' | TriageState;

const listOf = <T extends string>(raw: string | null, allowed: readonly T[]): T[] =>
  (raw ?? '').split(',').filter((v): v is T => (allowed as readonly string[]).includes(v));

/**
 * The queue's view state in the URL (`?state=open&severity=critical,high&kind=…&service=…&actor=…&page=…`,
 * plus the time range), so a filtered queue can be shared and the overview can link into it.
 */
export function useDetectionsParams() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();

  const state = useMemo(() => {
    const s = params.get('state');
    const filter: StateFilter = s === 'all' ? 'all' : (TRIAGE_STATES as readonly string[]).includes(s ?? '') ? (s as TriageState) : 'active';
    const kind = params.get('kind');
    return {
      stateFilter: filter,
      states: filter === 'all' ? undefined : filter === 'active' ? ACTIVE : [filter],
      severities: listOf<Severity>(params.get('severity'), SEVERITIES),
      kind: (DETECTION_KINDS as readonly string[]).includes(kind ?? '') ? (kind as DetectionKind) : undefined,
      service: params.get('service') || undefined,
      actor: params.get('actor') || undefined,
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
