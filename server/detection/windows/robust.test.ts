import { describe, expect, it } from 'vitest';
import { medianAndMad, medianOf } from './robust';

describe('medianOf / medianAndMad', () => {
  it('median of odd and even counts, of the first n values only', () => {
    expect(medianOf([5, 1, 3], 3)).toBe(3);
    expect(medianOf([4, 1, 3, 2], 4)).toBe(2.5);
    expect(medianOf(Float32Array.from([9, 1, 100, 100]), 2)).toBe(5);
    expect(medianOf([], 0)).toBe(0);
  });

  it('the median absolute deviation ignores a few outliers', () => {
    const { median, mad } = medianAndMad([10, 11, 9, 10, 12, 8, 10, 1000, 5000]);
    expect(median).toBe(10);
    expect(mad).toBe(1);
  });

  it('an empty or constant baseline has no spread', () => {
    expect(medianAndMad([])).toEqual({ median: 0, mad: 0 });
    expect(medianAndMad([7, 7, 7])).toEqual({ median: 7, mad: 0 });
  });

  it('does not reorder its input', () => {
    const v = [3, 1, 2];
    medianAndMad(v);
    expect(v).toEqual([3, 1, 2]);
  });
});
