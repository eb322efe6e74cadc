const TROUGH = 0.2;

/**
 * Traffic by time of day (UTC), 0.2 at 04:00 rising to 1 at 16:00: European daytime with the
 * evening peak of a shop. `dayCurve(ts) / DAY_CURVE_MEAN` averages 1 over a day, so a rate
 * multiplied by it keeps its daily average.
 */
export function dayCurve(ts: number): number {
  const hour = (ts / 3_600_000) % 24;
  const wave = (1 - Math.cos((2 * Math.PI * (hour - 4)) / 24)) / 2;
  return TROUGH + (1 - TROUGH) * Math.pow(wave, 1.3);
}

export const DAY_CURVE_MEAN = (() => {
  let sum = 0;
  const steps = 24 * 60;
  for (let i = 0; i < steps; i++) sum += dayCurve(i * 60_000);
  return sum / steps;
})();

/** The curve normalised to a daily mean of 1. */
export const relativeRate = (ts: number) => dayCurve(ts) / DAY_CURVE_MEAN;
