'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { DEFAULT_PRESET, PRESETS, type Preset, type TimeRangeInput } from '@/server/traffic/time-range';

export interface TimeRangeState {
  /** what to send to the server */
  input: TimeRangeInput;
  /** a preset follows "now": views refresh it */
  live: boolean;
  preset: Preset | null;
  from: Date | null;
  to: Date | null;
  setPreset(p: Preset): void;
  setAbsolute(from: Date, to: Date): void;
  /** URL parameters carrying this range, for links to other views */
  query: string;
}

const isPreset = (v: string | null): v is Preset => v !== null && v in PRESETS;

/**
 * The view's time range lives in the URL (`?range=6h`, or `?from=…&to=…` in UTC), so a view
 * can be shared and reloaded. Other parameters are kept when it changes.
 */
export function useTimeRange(): TimeRangeState {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const fromParam = params.get('from');
  const toParam = params.get('to');
  const rangeParam = params.get('range');

  const replace = useCallback(
    (mutate: (p: URLSearchParams) => void) => {
      const next = new URLSearchParams(params.toString());
      mutate(next);
      router.replace(`${pathname}?${next.toString()}`, { scroll: false });
    },
    [params, pathname, router],
  );

  return useMemo(() => {
    const from = fromParam ? new Date(fromParam) : null;
    const to = toParam ? new Date(toParam) : null;
    const absolute = from && to && !Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime()) && from < to;
    const preset: Preset | null = absolute ? null : isPreset(rangeParam) ? rangeParam : DEFAULT_PRESET;
    const input: TimeRangeInput = absolute ? { from: from!, to: to! } : { preset: preset! };
    const query = absolute ? `from=${encodeURIComponent(from!.toISOString())}&to=${encodeURIComponent(to!.toISOString())}` : `range=${preset}`;
    return {
      input,
      live: !absolute,
      preset,
      from: absolute ? from : null,
      to: absolute ? to : null,
      query,
      setPreset: (p: Preset) =>
        replace((q) => {
          q.delete('from');
          q.delete('to');
          q.set('range', p);
        }),
      setAbsolute: (f: Date, t: Date) =>
        replace((q) => {
          q.delete('range');
          q.set('from', f.toISOString());
          q.set('to', t.toISOString());
        }),
    };
  }, [fromParam, toParam, rangeParam, replace]);
}
