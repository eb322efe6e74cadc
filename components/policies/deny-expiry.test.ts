import { describe, expect, it } from 'vitest';
import { dateInputBounds, DEFAULT_EXPIRY, EXPIRY_CHOICES, expiryFrom, MAX_DENY_DAYS } from './deny-expiry';

const NOW = new Date(2026, 10, 23, 12, 0, 0);

describe('deny entry expiry', () => {
  it('offers bounded spans and a date, 24 hours by default', () => {
    expect(EXPIRY_CHOICES.map((c) => c.label)).toEqual(['1 hour', '24 hours', '7 days', '30 days', '90 days', 'Until a date…']);
    expect(EXPIRY_CHOICES.find((c) => c.value === DEFAULT_EXPIRY)?.label).toBe('24 hours');
    expect(expiryFrom('0', '', NOW)).toEqual({ at: new Date(NOW.getTime() + 3600_000) });
    expect(expiryFrom('2', 'ignored', NOW)).toEqual({ at: new Date(NOW.getTime() + 7 * 86_400_000) });
    // every span stays inside the server's bound
    for (const c of EXPIRY_CHOICES.filter((x) => x.value !== 'date')) {
      const r = expiryFrom(c.value, '', NOW);
      expect('at' in r && r.at.getTime() - NOW.getTime() <= MAX_DENY_DAYS * 86_400_000).toBe(true);
    }
    expect(expiryFrom('9' as never, '', NOW)).toEqual({ error: 'Choose when the entry expires' });
  });

  it('reads a chosen date in local time and refuses a missing, malformed, past or too distant one', () => {
    expect(expiryFrom('date', '2026-11-24T18:30', NOW)).toEqual({ at: new Date(2026, 10, 24, 18, 30) });
    expect(expiryFrom('date', '', NOW)).toEqual({ error: expect.stringContaining('Choose the date') });
    expect(expiryFrom('date', 'tomorrow', NOW)).toEqual({ error: expect.stringContaining('like 2026-11-24T18:00') });
    expect(expiryFrom('date', '2026-13-45T99:99', NOW)).toEqual({ error: expect.stringContaining('like') });
    expect(expiryFrom('date', '2026-11-23T11:59', NOW)).toEqual({ error: 'The entry must expire in the future' });
    expect(expiryFrom('date', '2027-06-01T00:00', NOW)).toEqual({ error: expect.stringContaining(`${MAX_DENY_DAYS} days`) });
  });

  it('bounds the date input to the same window', () => {
    expect(dateInputBounds(NOW)).toEqual({ min: '2026-11-23T12:00', max: '2027-02-21T11:59' });
  });
});
