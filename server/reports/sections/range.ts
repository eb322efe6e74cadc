import type { ResolvedRange } from '@/server/traffic/time-range';

/**
 * The report's range for the rollup readers: whole hours from the hour tables, the partial
 * hours at either end from the minute tables (server/traffic/rollup-query.ts `rangeRows`).
 */
export function rollupRange(from: Date, to: Date): ResolvedRange {
  return { from, to, resolution: 'minute', stepS: 3600 };
}

/** Chart bars per hour up to two days, per day beyond. */
export function chartStep(from: Date, to: Date): 'hour' | 'day' {
  return to.getTime() - from.getTime() <= 2 * 86_400_000 ? 'hour' : 'day';
}

export function stepLabel(ms: number, step: 'hour' | 'day'): string {
  const s = new Date(ms).toISOString();
  return step === 'day' ? s.slice(5, 10) : s.slice(11, 13) + 'h';
}

/** The start of every chart step in [from, to) (UTC hours or days), so quiet steps show as empty bars. */
export function stepStarts(from: Date, to: Date, step: 'hour' | 'day'): number[] {
  const unit = step === 'hour' ? 3_600_000 : 86_400_000;
  const out: number[] = [];
  for (let t = Math.floor(from.getTime() / unit) * unit; t < to.getTime() && out.length < 1000; t += unit) out.push(t);
  return out;
}
