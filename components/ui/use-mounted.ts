'use client';

import { useSyncExternalStore } from 'react';

const noop = () => () => {};

/**
 * False while rendering on the server and hydrating, true after: for text that depends on the
 * browser (its clock, its time zone), so the server's render and the browser's first one agree.
 */
export function useMounted(): boolean {
  return useSyncExternalStore(noop, () => true, () => false);
}
