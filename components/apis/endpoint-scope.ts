// The endpoint page shows two kinds of figure side by side: traffic read from the rollups for the
// chosen time range, and what API discovery has added up on the endpoint since it first saw it.
// Every figure names its scope with one of these phrases, so the two are never mistaken.
import type { Preset } from '@/server/traffic/time-range';

const PRESET_PHRASES: Record<Preset, string> = {
  '15m': 'in the last 15 min',
  '1h': 'in the last hour',
  '6h': 'in the last 6 h',
  '24h': 'in the last 24 h',
  '7d': 'in the last 7 days',
  '30d': 'in the last 30 days',
};

/** The scope of figures that add up every call API discovery counted on the endpoint. */
export const SINCE_FIRST_SEEN = 'since first seen';

/** "in the last 6 h", or "from 2025-03-01 10:00 to 2025-03-01 16:00" for an absolute range (in `stamp`'s zone). */
export function rangePhrase(range: { preset: Preset | null; from: Date | null; to: Date | null }, stamp: (d: Date) => string): string {
  if (range.from && range.to) return `from ${stamp(range.from)} to ${stamp(range.to)}`;
  return PRESET_PHRASES[range.preset ?? '1h'];
}

export interface RangeTotals {
  requests: number;
  /** 5xx */
  errors: number;
  /** 4xx */
  clientErrors: number;
}

/** The calls of the chart's steps, added up: the in-range tile and the chart read the same rows. */
export function rangeTotals(series: readonly RangeTotals[]): RangeTotals {
  const t = { requests: 0, errors: 0, clientErrors: 0 };
  for (const p of series) {
    t.requests += p.requests;
    t.errors += p.errors;
    t.clientErrors += p.clientErrors;
  }
  return t;
}
