import { keepPreviousData } from '@tanstack/react-query';
import type { TimeRangeState } from '@/components/ui/use-time-range';

/**
 * Query options for a view over `range`: a range that follows "now" refreshes at the URL's
 * interval (`refresh=`, 30 s by default, or off); the last answer stays on screen while a new
 * range loads.
 */
export function liveOptions(range: Pick<TimeRangeState, 'refreshMs'>) {
  return { refetchInterval: range.refreshMs, placeholderData: keepPreviousData };
}
