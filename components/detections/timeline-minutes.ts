/** One minute of an incident's timeline: requests of its actors against the service, and refused or failed ones. */
export type TimelinePoint = { t: number; requests: number; errors: number };

const MINUTE = 60_000;
/** minutes filled in at most (the engine keeps a day of them) */
const MAX_MINUTES = 24 * 60;

/**
 * Every minute from the first to the last: the engine lists only the minutes the actors were
 * active in, and a category axis of those alone would draw a pause as if there were none.
 */
export function everyMinute(points: readonly TimelinePoint[]): TimelinePoint[] {
  if (points.length < 2) return [...points];
  const first = points[0].t;
  const last = Math.min(points[points.length - 1].t, first + (MAX_MINUTES - 1) * MINUTE);
  const at = new Map(points.map((p) => [p.t, p]));
  const out: TimelinePoint[] = [];
  for (let t = first; t <= last; t += MINUTE) out.push(at.get(t) ?? { t, requests: 0, errors: 0 });
  return out;
}
