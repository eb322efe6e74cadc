import { describe, expect, it } from 'vitest';
import { rangePhrase, rangeTotals, SINCE_FIRST_SEEN } from './endpoint-scope';

const iso = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

describe('endpoint figure scopes', () => {
  it('names a preset range as a span back from now', () => {
    expect(rangePhrase({ preset: '6h', from: null, to: null }, iso)).toBe('in the last 6 h');
    expect(rangePhrase({ preset: '1h', from: null, to: null }, iso)).toBe('in the last hour');
    expect(rangePhrase({ preset: '30d', from: null, to: null }, iso)).toBe('in the last 30 days');
  });

  it('names an absolute range by its bounds, in the formatter given', () => {
    const r = { preset: null, from: new Date('2025-03-01T10:00:00Z'), to: new Date('2025-03-01T16:30:00Z') };
    expect(rangePhrase(r, iso)).toBe('from 2025-03-01 10:00 to 2025-03-01 16:30');
  });

  it('falls back to the default hour when the URL names no range', () => {
    expect(rangePhrase({ preset: null, from: null, to: null }, iso)).toBe('in the last hour');
  });

  it('never phrases a range the way it phrases all-time figures', () => {
    for (const preset of ['15m', '1h', '6h', '24h', '7d', '30d'] as const) {
      expect(rangePhrase({ preset, from: null, to: null }, iso)).not.toContain(SINCE_FIRST_SEEN);
    }
  });

  it('adds up the chart steps, empty steps and an empty range included', () => {
    expect(rangeTotals([])).toEqual({ requests: 0, errors: 0, clientErrors: 0 });
    expect(rangeTotals([
      { requests: 10, errors: 1, clientErrors: 2 },
      { requests: 0, errors: 0, clientErrors: 0 },
      { requests: 5, errors: 0, clientErrors: 3 },
    ])).toEqual({ requests: 15, errors: 1, clientErrors: 5 });
  });
});
