import { describe, expect, it } from 'vitest';
import { isRelative, namedRange, namedRangeOf, parseTimeExpr, parseTimeRange } from './time-expr';
import { formatWall, instantOf, isUtcZone, offsetAt, zoneLabel } from './time-zone';

const BERLIN = 'Europe/Berlin';
const iso = (ms: number) => new Date(ms).toISOString();
/** Sunday 2026-12-06 14:05:30 UTC = 15:05:30 in Berlin */
const NOW = Date.parse('2026-12-06T14:05:30Z');
const at = (expr: string, zone = 'UTC', now = NOW) => {
  const r = parseTimeExpr(expr, { now, zone });
  if (!r.ok) throw new Error(r.error);
  return iso(r.ms);
};
const error = (expr: string, zone = 'UTC') => {
  const r = parseTimeExpr(expr, { now: NOW, zone });
  return r.ok ? null : r.error;
};

describe('relative expressions', () => {
  it('now is rounded up to the minute, so it is stable for a minute', () => {
    expect(at('now')).toBe('2026-12-06T14:06:00.000Z');
    expect(at('now', 'UTC', Date.parse('2026-12-06T14:05:59.999Z'))).toBe('2026-12-06T14:06:00.000Z');
    expect(at('now', 'UTC', Date.parse('2026-12-06T14:06:00Z'))).toBe('2026-12-06T14:06:00.000Z');
    expect(parseTimeExpr('now', { now: NOW, zone: 'UTC' })).toMatchObject({ relative: true });
  });

  it('adds and subtracts seconds, minutes, hours, days and weeks', () => {
    expect(at('now-15m')).toBe('2026-12-06T13:51:00.000Z');
    expect(at('now-6h')).toBe('2026-12-06T08:06:00.000Z');
    expect(at('now-30s')).toBe('2026-12-06T14:05:30.000Z');
    expect(at('now+1h')).toBe('2026-12-06T15:06:00.000Z');
    expect(at('now-7d')).toBe('2026-11-29T14:06:00.000Z');
    expect(at('now-2w')).toBe('2026-11-22T14:06:00.000Z');
    expect(at('now-1d-6h')).toBe('2026-12-05T08:06:00.000Z');
    expect(at('  NOW-6H  ')).toBe('2026-12-06T08:06:00.000Z');
  });

  it('rounds down to the start of a unit, in the zone', () => {
    expect(at('now/d')).toBe('2026-12-06T00:00:00.000Z');
    expect(at('now/d', BERLIN)).toBe('2026-12-05T23:00:00.000Z');
    expect(at('now-1d/d')).toBe('2026-12-05T00:00:00.000Z');
    expect(at('now-1d/d', BERLIN)).toBe('2026-12-04T23:00:00.000Z');
    expect(at('now/h')).toBe('2026-12-06T14:00:00.000Z');
    expect(at('now/m')).toBe('2026-12-06T14:05:00.000Z');
    // weeks start on Monday: 2026-12-06 is a Sunday
    expect(at('now/w')).toBe('2026-11-30T00:00:00.000Z');
    expect(at('now/w', BERLIN)).toBe('2026-11-29T23:00:00.000Z');
    expect(at('now/w', 'UTC', Date.parse('2026-11-30T00:00:10Z'))).toBe('2026-11-30T00:00:00.000Z');
    expect(at('now-1w/w')).toBe('2026-11-23T00:00:00.000Z');
  });

  it('in the last seconds of a day, now/d is still today', () => {
    expect(at('now/d', 'UTC', Date.parse('2026-12-06T23:59:40Z'))).toBe('2026-12-06T00:00:00.000Z');
  });

  it('a day across a DST change is a calendar day (23 or 25 hours)', () => {
    // Berlin springs forward on 2026-03-29 (02:00 → 03:00): that day has 23 hours
    const spring = Date.parse('2026-03-30T00:30:00+02:00');
    expect(at('now/d', BERLIN, spring)).toBe('2026-03-29T22:00:00.000Z');
    expect(at('now-1d/d', BERLIN, spring)).toBe('2026-03-28T23:00:00.000Z');
    expect(at('now-1d', BERLIN, Date.parse('2026-03-29T12:00:00+02:00'))).toBe('2026-03-28T11:00:00.000Z');
    // and falls back on 2026-10-25 (03:00 → 02:00): 25 hours
    const autumn = Date.parse('2026-10-26T00:30:00+01:00');
    expect(at('now-1d/d', BERLIN, autumn)).toBe('2026-10-24T22:00:00.000Z');
    expect(at('now/d', BERLIN, autumn)).toBe('2026-10-25T23:00:00.000Z');
  });

  it('explains what it cannot read', () => {
    expect(error('now-5x')).toBe("unknown unit 'x' in now-5x (use s, m, h, d or w)");
    expect(error('now-5')).toMatch(/missing unit after '-5' in now-5/);
    expect(error('now/')).toMatch(/missing unit after '\/'/);
    expect(error('now/q')).toMatch(/unknown unit 'q'/);
    expect(error('now 6h')).toMatch(/cannot read ' 6h' in now 6h/);
    expect(error('now-h')).toMatch(/cannot read '-h'/);
  });

  it('tells relative from fixed', () => {
    expect(isRelative('now-6h')).toBe(true);
    expect(isRelative(' now/d')).toBe(true);
    expect(isRelative('2026-12-06T14:00:00Z')).toBe(false);
  });
});

describe('instants', () => {
  it('reads ISO 8601 with Z or an offset, whatever the shown zone', () => {
    expect(at('2026-12-06T14:05:00Z', BERLIN)).toBe('2026-12-06T14:05:00.000Z');
    expect(at('2026-12-06T14:05:00.123Z')).toBe('2026-12-06T14:05:00.123Z');
    expect(at('2026-12-06T15:05+01:00')).toBe('2026-12-06T14:05:00.000Z');
    expect(at('2026-12-06T09:05:00-0500')).toBe('2026-12-06T14:05:00.000Z');
    expect(parseTimeExpr('2026-12-06T14:05:00Z', { now: NOW, zone: 'UTC' })).toMatchObject({ relative: false });
  });

  it('reads YYYY-MM-DD HH:mm in the shown zone', () => {
    expect(at('2026-12-06 15:05', BERLIN)).toBe('2026-12-06T14:05:00.000Z');
    expect(at('2026-12-06 15:05')).toBe('2026-12-06T15:05:00.000Z');
    expect(at('2026-07-01 12:00', BERLIN)).toBe('2026-07-01T10:00:00.000Z');
    expect(at('2026-12-06T15:05:30', BERLIN)).toBe('2026-12-06T14:05:30.000Z');
    expect(at('2026-12-06', BERLIN)).toBe('2026-12-05T23:00:00.000Z');
    expect(at('2026-12-06', 'America/New_York')).toBe('2026-12-06T05:00:00.000Z');
  });

  it('a wall time skipped by DST moves past the gap; a repeated one is its first occurrence', () => {
    expect(at('2026-03-29 02:30', BERLIN)).toBe('2026-03-29T01:30:00.000Z'); // = 03:30 CEST
    expect(at('2026-10-25 02:30', BERLIN)).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST, not CET
  });

  it('refuses US dates and impossible fields', () => {
    expect(error('12/06/2026 14:05')).toBe("'12/06/2026 14:05': write dates as YYYY-MM-DD HH:mm");
    expect(error('2026-02-30 10:00')).toBe('day 30 out of range in 2026-02-30 10:00');
    expect(error('2026-13-01')).toBe('month 13 out of range in 2026-13-01');
    expect(error('2026-12-06 24:00')).toMatch(/time out of range/);
    expect(error('yesterday-ish')).toMatch(/is not a time/);
    expect(error('')).toMatch(/empty time/);
  });
});

describe('ranges', () => {
  const ctx = { now: NOW, zone: BERLIN };
  it('resolves two ends, live when the end follows the clock', () => {
    expect(parseTimeRange('now-2h', 'now', ctx)).toEqual({ ok: true, from: Date.parse('2026-12-06T12:06:00Z'), to: Date.parse('2026-12-06T14:06:00Z'), live: true });
    expect(parseTimeRange('2026-12-06 10:00', '2026-12-06 12:00', ctx)).toMatchObject({ ok: true, live: false, from: Date.parse('2026-12-06T09:00:00Z') });
  });

  it('the calendar names', () => {
    expect(parseTimeRange('today', '', ctx)).toMatchObject({ ok: true, from: Date.parse('2026-12-05T23:00:00Z'), live: true });
    expect(parseTimeRange('Yesterday', '', ctx)).toEqual({ ok: true, from: Date.parse('2026-12-04T23:00:00Z'), to: Date.parse('2026-12-05T23:00:00Z'), live: true });
    expect(parseTimeRange('this week', '', { now: NOW, zone: 'UTC' })).toMatchObject({ ok: true, from: Date.parse('2026-11-30T00:00:00Z') });
    expect(parseTimeRange('last  7 days', '', { now: NOW, zone: 'UTC' })).toMatchObject({ ok: true, from: Date.parse('2026-11-29T14:06:00Z') });
    expect(namedRange('nope')).toBeNull();
    expect(namedRangeOf('now/d', 'now')).toBe('today');
    expect(namedRangeOf('now-1d/d', 'now/d')).toBe('yesterday');
    expect(namedRangeOf('now-3h', 'now')).toBeNull();
  });

  it('says which end is wrong, and refuses a backwards range', () => {
    expect(parseTimeRange('now-5x', 'now', ctx)).toEqual({ ok: false, error: "From: unknown unit 'x' in now-5x (use s, m, h, d or w)" });
    expect(parseTimeRange('now-1h', '06/12/2026', ctx)).toMatchObject({ ok: false, error: expect.stringMatching(/^To: /) });
    expect(parseTimeRange('now', 'now-1h', ctx)).toEqual({ ok: false, error: 'the range must start before it ends' });
  });
});

describe('zones', () => {
  it('offsets and labels', () => {
    expect(offsetAt(NOW, BERLIN)).toBe(3600_000);
    expect(offsetAt(Date.parse('2026-07-01T00:00:00Z'), BERLIN)).toBe(7200_000);
    expect(offsetAt(NOW, 'Asia/Kolkata')).toBe(5.5 * 3600_000);
    expect(zoneLabel(BERLIN, NOW)).toBe('Europe/Berlin (UTC+01:00)');
    expect(zoneLabel('America/St_Johns', NOW)).toBe('America/St_Johns (UTC-03:30)');
    expect(zoneLabel('UTC', NOW)).toBe('UTC');
    expect(zoneLabel('Etc/UTC', NOW)).toBe('UTC');
    expect(isUtcZone('GMT')).toBe(true);
    expect(isUtcZone('Europe/London')).toBe(false);
    expect(isUtcZone('Etc/GMT+1')).toBe(false);
  });

  it('formats and reads back wall clocks', () => {
    expect(formatWall(NOW, BERLIN)).toBe('2026-12-06 15:05');
    expect(formatWall(NOW, 'UTC', true)).toBe('2026-12-06 14:05:30');
    expect(instantOf({ year: 2026, month: 12, day: 6, hour: 15, minute: 5, second: 30 }, BERLIN)).toBe(NOW);
  });
});
