/**
 * A drag across steps `a`..`b` of a chart whose x axis is one category per step: the time range
 * those steps cover, from the first one's start to the last one's end. `starts` are the steps'
 * start times (ms); the brush reports fractional category positions, clamped to the steps drawn.
 */
export function stepRange(starts: readonly number[], stepS: number, [a, b]: readonly [number, number]): [Date, Date] | null {
  if (starts.length === 0 || !(b >= a)) return null;
  const first = starts[Math.min(starts.length - 1, Math.max(0, Math.floor(a)))];
  const last = starts[Math.min(starts.length - 1, Math.max(0, Math.ceil(b)))];
  if (first === undefined || last === undefined || last < first) return null;
  return [new Date(first), new Date(last + stepS * 1000)];
}
