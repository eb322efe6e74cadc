'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { browserZone } from '@/lib/time-zone';
import type { Preset } from '@/server/traffic/time-range';
import { rangeChanges, resolveTimeParams, withChanges, type Refresh, type ResolvedTimeParams, type ZoneMode } from './time-range-url';

export interface TimeRangeState extends ResolvedTimeParams {
  setPreset(p: Preset): void;
  setAbsolute(from: Date, to: Date): void;
  /** a range of expressions or instants as typed (`now-6h`, `now/d`, `2026-12-06 14:00` in the shown zone); the caller has checked them */
  setExpressions(from: string, to: string): void;
  setRefresh(r: Refresh): void;
  setZoneMode(z: ZoneMode): void;
}

/**
 * The view's time range lives in the URL (`?range=6h`, `?from=now-6h&to=now`, or `?from=…&to=…`
 * in UTC), with the refresh interval (`refresh=1m`) and the display zone (`tz=utc`), so a view
 * can be shared and reloaded (time-range-url.ts has the rules). Expressions resolve here, to
 * the minute, against a clock that advances at the refresh interval while the range is live.
 * Other parameters are kept when it changes.
 */
export function useTimeRange(): TimeRangeState {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const search = params.toString();
  const [now, setNow] = useState(() => Date.now());

  const resolved = useMemo(() => resolveTimeParams(new URLSearchParams(search), now, browserZone()), [search, now]);
  // expressions follow the clock only if it moves: tick at the refresh interval (presets are resolved by the server)
  const ticking = resolved.preset === null && resolved.refreshMs !== false ? resolved.refreshMs : null;
  useEffect(() => {
    if (ticking === null) return;
    const id = setInterval(() => setNow(Date.now()), ticking);
    return () => clearInterval(id);
  }, [ticking]);

  const replace = useCallback(
    (changes: Record<string, string | null>) => {
      const qs = withChanges(search, changes);
      // a new range reads up to the present, not the clock of the last tick
      setNow(Date.now());
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [search, pathname, router],
  );

  return useMemo(
    () => ({
      ...resolved,
      setPreset: (p: Preset) => replace(rangeChanges({ preset: p })),
      setAbsolute: (f: Date, t: Date) => replace(rangeChanges({ from: f.toISOString(), to: t.toISOString() })),
      setExpressions: (f: string, t: string) => replace(rangeChanges({ from: f.trim(), to: t.trim() })),
      setRefresh: (r: Refresh) => replace({ refresh: r === '30s' ? null : r }),
      setZoneMode: (z: ZoneMode) => replace({ tz: z === 'utc' ? 'utc' : null }),
    }),
    [resolved, replace],
  );
}
