/** Where a day's traffic bottoms out and peaks (UTC). */
export interface DayShape {
  /** the lowest point relative to the peak (0.2: a fifth of the peak's traffic) */
  trough: number;
  /** hour of the peak, UTC; the trough is twelve hours earlier */
  peakHour: number;
}

/** The demo default: 0.2 at 04:00 UTC rising to 1 at 16:00, European daytime with a shop's evening peak. */
export const DEFAULT_DAY_SHAPE: DayShape = { trough: 0.2, peakHour: 16 };

function rawCurve(shape: DayShape, ts: number): number {
  const hour = (ts / 3_600_000) % 24;
  const wave = (1 - Math.cos((2 * Math.PI * (hour - shape.peakHour + 12)) / 24)) / 2;
  return shape.trough + (1 - shape.trough) * Math.pow(wave, 1.3);
}

/**
 * Traffic by time of day, normalised to a daily mean of 1: a rate multiplied by it keeps its
 * daily average. Each world draws its own shape from its seed (profile.ts).
 */
export function dayCurveOf(shape: DayShape): (ts: number) => number {
  let sum = 0;
  const steps = 24 * 60;
  for (let i = 0; i < steps; i++) sum += rawCurve(shape, i * 60_000);
  const mean = sum / steps;
  return (ts) => rawCurve(shape, ts) / mean;
}

/** The default shape's curve (the embedded demo's backfill budget, benchmarks' work split). */
export const relativeRate = dayCurveOf(DEFAULT_DAY_SHAPE);
