'use client';

import { useEffect, type RefObject } from 'react';

/**
 * Keeps what a person typed, ticked or picked in a server-rendered control before React took the
 * page over. The HTML control works as soon as it is painted, but its onChange runs only after
 * hydration, and React hydrates a controlled control without reading it: the state keeps the
 * rendered value, the next render writes that back, and the typing is gone (a slow phone, a busy
 * machine, a test that types as soon as the box shows). Once, on mount, a value that differs from
 * the rendered one is handed to `adopt` as if it had been typed.
 */
export function useEarlyInput<T extends string | boolean>(
  ref: RefObject<HTMLInputElement | HTMLSelectElement | null>,
  rendered: T,
  adopt: (value: T) => void,
): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const now = (typeof rendered === 'boolean' ? (el as HTMLInputElement).checked : el.value) as T;
    if (now !== rendered) adopt(now);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps -- what the server rendered, read once at hydration
}
