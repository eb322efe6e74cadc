import { describe, expect, it } from 'vitest';
import { DomainError } from '@/server/errors';
import { bucketStarts, chooseInterval } from './histogram';

const at = (iso: string) => new Date(iso);

describe('histogram intervals', () => {
  it('picks the smallest round interval that keeps within the bucket count, alignment included', () => {
    expect(chooseInterval(at('2026-01-15T12:00:00Z'), at('2026-01-15T13:00:00Z'), 60)).toBe(60_000);
    // an hour that starts mid-minute spans 61 minute buckets
    expect(chooseInterval(at('2026-01-15T12:00:30Z'), at('2026-01-15T13:00:30Z'), 60)).toBe(300_000);
    expect(chooseInterval(at('2026-01-15T12:00:30Z'), at('2026-01-15T13:00:30Z'), 61)).toBe(60_000);
    expect(chooseInterval(at('2026-01-15T12:00:00Z'), at('2026-01-15T12:00:10Z'), 60)).toBe(1000);
    expect(chooseInterval(at('2026-01-15T12:00:00Z'), at('2026-01-16T12:00:00Z'), 60)).toBe(3_600_000);
    expect(chooseInterval(at('2026-01-15T12:00:00Z'), at('2026-02-14T12:00:00Z'), 60)).toBe(86_400_000);
  });

  it('refuses a range no round interval covers', () => {
    expect(() => chooseInterval(at('2026-01-01T00:00:00Z'), at('2026-12-01T00:00:00Z'), 200)).toThrow(DomainError);
  });

  it('lays buckets on multiples of the interval since the epoch (UTC midnight for days)', () => {
    const days = bucketStarts(at('2026-01-15T12:00:00Z'), at('2026-01-18T01:00:00Z'), 86_400_000);
    expect(days.map((t) => new Date(t).toISOString())).toEqual(['2026-01-15', '2026-01-16', '2026-01-17', '2026-01-18'].map((d) => `${d}T00:00:00.000Z`));
    const fives = bucketStarts(at('2026-01-15T12:03:00Z'), at('2026-01-15T12:15:00Z'), 300_000);
    expect(fives.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['12:00', '12:05', '12:10']);
  });
});
