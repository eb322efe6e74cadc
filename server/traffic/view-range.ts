import { z } from 'zod';
import { timeRangeInput, type ResolvedRange } from './time-range';

/** What every traffic view sends: its time range (plus its own filters, by `.extend`). */
export const rangeInput = z.object({ range: timeRangeInput });
export type RangeInput = z.output<typeof rangeInput>;

/** The range as the server resolved it, so a chart can label its steps. */
export const rangeOutput = z.object({ from: z.date(), to: z.date(), stepS: z.number(), resolution: z.enum(['minute', 'hour']) });

export function describeRange(r: ResolvedRange): z.infer<typeof rangeOutput> {
  return { from: r.from, to: r.to, stepS: r.stepS, resolution: r.resolution };
}
