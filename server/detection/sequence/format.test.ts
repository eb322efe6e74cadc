import { describe, expect, it } from 'vitest';
import { seconds } from './format';

describe('seconds', () => {
  it('says milliseconds under a tenth of a second, then seconds, then minutes', () => {
    expect(seconds(0)).toBe('0 ms');
    expect(seconds(3.4)).toBe('3 ms');
    expect(seconds(99)).toBe('99 ms');
    expect(seconds(100)).toBe('0.1 s');
    expect(seconds(9_940)).toBe('9.9 s');
    expect(seconds(45_000)).toBe('45 s');
    expect(seconds(180_000)).toBe('3.0 min');
  });
});
