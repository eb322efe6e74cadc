import { describe, expect, it } from 'vitest';
import { resolveRange, timeRangeInput } from './time-range';

const now = new Date('2026-11-23T12:34:56Z');

describe('time ranges', () => {
  it('resolves presets against now, aligned to the rollup bucket', () => {
    const r = resolveRange(timeRangeInput.parse({ preset: '1h' }), now);
    expect(r).toMatchObject({ resolution: 'minute', stepS: 60 });
    expect(r.from.toISOString()).toBe('2026-11-23T11:34:00.000Z');
    expect(r.to.toISOString()).toBe('2026-11-23T12:35:00.000Z');
  });
  it('uses hour rollups beyond 12 hours, with a coarser step', () => {
    const r = resolveRange(timeRangeInput.parse({ preset: '7d' }), now);
    expect(r.resolution).toBe('hour');
    expect(r.from.toISOString()).toBe('2026-11-16T12:00:00.000Z');
    expect(r.stepS).toBe(7200);
    expect(resolveRange(timeRangeInput.parse({ preset: '24h' }), now)).toMatchObject({ resolution: 'hour', stepS: 3600 });
  });
  it('accepts absolute windows and refuses inverted or huge ones', () => {
    const r = resolveRange(timeRangeInput.parse({ from: '2026-11-23T10:00:00Z', to: '2026-11-23T10:30:00Z' }), now);
    expect(r).toMatchObject({ resolution: 'minute', stepS: 60 });
    expect(timeRangeInput.safeParse({ from: '2026-11-23T11:00:00Z', to: '2026-11-23T10:00:00Z' }).success).toBe(false);
    expect(timeRangeInput.safeParse({ from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }).success).toBe(false);
    expect(timeRangeInput.safeParse({ preset: '2y' }).success).toBe(false);
  });
});
