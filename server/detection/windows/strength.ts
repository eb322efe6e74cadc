// From robust deviations to the strength of a signal, tied to the analyst's window
// sensitivities: a feature exactly at its window's sensitivity gives 0.6 (a detection at the
// default alert score of 60 on its own); each further deviation adds 0.1.
import type { Window } from '../types';

export function strengthOf(z: number, sensitivity: number): number {
  if (!(z >= sensitivity - 3)) return 0;
  return Math.min(0.99, Math.max(0.05, 0.6 + 0.1 * (z - sensitivity)));
}

/** Signals weaker than this are left out (a hint, not a finding). */
export const MIN_STRENGTH = 0.3;

export const WINDOW_TEXT: Record<Window, string> = { '5m': '5 min', '30m': '30 min', '4h': '4 h', '24h': '24 h' };

export function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
