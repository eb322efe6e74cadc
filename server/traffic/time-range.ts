import { z } from 'zod';

export const PRESETS = { '15m': 15, '1h': 60, '6h': 360, '24h': 1440, '7d': 10_080, '30d': 43_200 } as const;
export type Preset = keyof typeof PRESETS;
export const DEFAULT_PRESET: Preset = '1h';

/** What views send: a preset relative to now, or an absolute window. */
export const timeRangeInput = z.union([
  z.object({ preset: z.enum(Object.keys(PRESETS) as [Preset, ...Preset[]]) }),
  z
    .object({ from: z.coerce.date(), to: z.coerce.date() })
    .refine((r) => r.from < r.to, 'The range must start before it ends')
    .refine((r) => r.to.getTime() - r.from.getTime() <= 400 * 86_400_000, 'At most 400 days at once'),
]);
export type TimeRangeInput = z.input<typeof timeRangeInput>;

export type Resolution = 'minute' | 'hour';

export interface ResolvedRange {
  from: Date;
  to: Date;
  /** which rollup tables answer it */
  resolution: Resolution;
  /** chart step in seconds: a whole number of buckets, about 60–180 points */
  stepS: number;
}

const MINUTE_TABLES_UP_TO_MS = 12 * 3600_000;
const NICE_STEPS_S = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/**
 * Turns a view's range into concrete instants, the rollup resolution that serves it (minutes
 * up to 12 h, hours beyond) and a chart step. Bounds are aligned to the resolution so that
 * the same range always reads the same buckets.
 */
export function resolveRange(input: z.output<typeof timeRangeInput>, now: Date): ResolvedRange {
  let from: Date;
  let to: Date;
  if ('preset' in input) {
    to = now;
    from = new Date(now.getTime() - PRESETS[input.preset] * 60_000);
  } else {
    ({ from, to } = input);
  }
  const span = to.getTime() - from.getTime();
  const resolution: Resolution = span <= MINUTE_TABLES_UP_TO_MS ? 'minute' : 'hour';
  const unit = resolution === 'minute' ? 60_000 : 3600_000;
  const alignedFrom = new Date(Math.floor(from.getTime() / unit) * unit);
  const alignedTo = new Date(Math.ceil(to.getTime() / unit) * unit);
  const wanted = (alignedTo.getTime() - alignedFrom.getTime()) / 1000 / 120;
  const stepS = NICE_STEPS_S.find((s) => s >= wanted && s * 1000 >= unit) ?? NICE_STEPS_S[NICE_STEPS_S.length - 1];
  return { from: alignedFrom, to: alignedTo, resolution, stepS };
}
