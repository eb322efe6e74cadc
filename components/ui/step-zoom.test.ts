import { describe, expect, it } from 'vitest';
import { stepRange } from './step-zoom';

describe('stepRange', () => {
  const t0 = Date.UTC(2026, 11, 6, 12, 0);
  const starts = [0, 1, 2, 3].map((i) => t0 + i * 60_000);

  it('covers the dragged steps whole, from the first start to the last end', () => {
    expect(stepRange(starts, 60, [1.2, 2.4])).toEqual([new Date(t0 + 60_000), new Date(t0 + 4 * 60_000)]);
    expect(stepRange(starts, 60, [1, 1])).toEqual([new Date(t0 + 60_000), new Date(t0 + 2 * 60_000)]);
  });

  it('clamps a drag past either end to the steps drawn', () => {
    expect(stepRange(starts, 60, [-3, 99])).toEqual([new Date(t0), new Date(t0 + 4 * 60_000)]);
  });

  it('gives nothing without steps or for a reversed drag', () => {
    expect(stepRange([], 60, [0, 1])).toBeNull();
    expect(stepRange(starts, 60, [2, 1])).toBeNull();
  });
});
