import { keepPreviousData } from '@tanstack/react-query';
import type { TimeRangeState } from '@/components/ui/use-time-range';

/**
 * Query options for a view over `range`: a preset follows "now", so it refreshes every 30 s
 * (the picker promises so); the last answer stays on screen while a new range loads.
 */
export function liveOptions(range: TimeRangeState) {
  return { refetchInterval: range.live ? 30_000 : (false as const), placeholderData: keepPreviousData };
}
