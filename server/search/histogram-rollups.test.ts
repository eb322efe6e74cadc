import { describe, expect, it } from 'vitest';
import { parse } from './query';
import { rollupFilter, rollupPlan } from './histogram-rollups';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const T = Date.UTC(2026, 0, 15, 12);
const now = new Date(T + 2 * H);
const plan = (q: string, from: number, to: number, interval: number, retentionDays?: number) =>
  rollupPlan(parse(q), new Date(from), new Date(to), interval, { now, retentionDays });

describe('rollupFilter', () => {
  it('maps the empty query, service and caller equality and status bands to a rollup table', () => {
    expect(rollupFilter(parse(''))).toEqual({ table: 'service_minute', service: null, caller: null, bands: ['lt400', '4xx', 'ge500'] });
    expect(rollupFilter(parse('service:shop/orders status>=500'))).toEqual({ table: 'service_minute', service: 'shop/orders', caller: null, bands: ['ge500'] });
    expect(rollupFilter(parse('caller:external'))).toMatchObject({ table: 'edge_minute', service: null, caller: 'external' });
    expect(rollupFilter(parse('(service:a AND caller:b) status:4xx'))).toEqual({ table: 'edge_minute', service: 'a', caller: 'b', bands: ['4xx'] });
    expect(rollupFilter(parse('service:a service:a'))).toMatchObject({ service: 'a' });
    // a quoted * is a literal character, not a wildcard
    expect(rollupFilter(parse('service:"a*b"'))).toMatchObject({ service: 'a*b' });
  });

  it('takes status comparisons whose intersection is a union of the bands the rollups count', () => {
    const bands = (q: string) => rollupFilter(parse(q))?.bands ?? null;
    expect(bands('status>=500')).toEqual(['ge500']);
    expect(bands('status>499')).toEqual(['ge500']);
    expect(bands('status:4xx')).toEqual(['4xx']);
    expect(bands('status:[400 TO 499]')).toEqual(['4xx']);
    expect(bands('status>=400')).toEqual(['4xx', 'ge500']);
    expect(bands('status<500')).toEqual(['lt400', '4xx']);
    expect(bands('status<=399')).toEqual(['lt400']);
    expect(bands('status>=400 status<500')).toEqual(['4xx']);
    // 5xx is 500–599, the rollups count everything from 500 up
    expect(bands('status:5xx')).toBeNull();
    expect(bands('status:[400 TO 599]')).toBeNull();
    expect(bands('status:404')).toBeNull();
    expect(bands('status>=300')).toBeNull();
    expect(bands('status>=500 status<400')).toBeNull();
  });

  it('refuses what the rollups do not carry', () => {
    for (const q of [
      'service:shop/*', 'caller:ext?rnal', 'method:GET', 'path:/a', 'token:t', 'sqlmap', 'service:a OR service:b', 'NOT service:a',
      '-status:2xx', 'service:a service:b', 'service:a method:GET', 'client.address:10.0.0.1', 'duration>1s', 'class:email',
    ]) {
      expect(rollupFilter(parse(q)), q).toBeNull();
    }
  });
});

describe('rollupPlan', () => {
  it('reads whole minutes from the rollups, and a minute cut by the range from its events on the side with less of the past', () => {
    expect(plan('', T, T + H, MIN)).toMatchObject({ from: T, to: T + H, events: [] });
    expect(plan('service:a', T - 3 * H, T + H, H)).toMatchObject({ from: T - 3 * H, to: T + H, service: 'a', events: [] });
    // 12:00:25: the rollup minute less its 25 s before `from`; 13:00:30.5: less its 29.5 s after `to`
    expect(plan('', T + 25_000, T + H + 30_500, 5 * MIN)).toMatchObject({
      from: T, to: T + H + MIN, events: [{ from: T, to: T + 25_000, sign: -1 }, { from: T + H + 30_500, to: T + H + MIN, sign: -1 }],
    });
    // 12:00:35: its 25 s after `from`; 13:00:20: its 20 s before `to`
    expect(plan('', T + 35_000, T + H + 20_000, 5 * MIN)).toMatchObject({
      from: T + MIN, to: T + H, events: [{ from: T + 35_000, to: T + MIN, sign: 1 }, { from: T + H, to: T + H + 20_000, sign: 1 }],
    });
    // `to` = now: the rest of the minute is the future, next to no events
    expect(plan('', T, now.getTime() - 5000, MIN)).toMatchObject({ to: now.getTime(), events: [{ from: now.getTime() - 5000, to: now.getTime(), sign: -1 }] });
    expect(plan('', T, now.getTime() - 45_000, MIN)).toMatchObject({ to: now.getTime() - MIN, events: [{ from: now.getTime() - MIN, to: now.getTime() - 45_000, sign: 1 }] });
    // one minute, cut at both ends
    expect(plan('', T + 1000, T + 59_000, MIN)).toMatchObject({
      from: T, to: T + MIN, events: [{ from: T, to: T + 1000, sign: -1 }, { from: T + 59_000, to: T + MIN, sign: -1 }],
    });
  });

  it('reads raw events for intervals shorter than a minute, queries the rollups cannot answer, and no minute worth reading', () => {
    expect(plan('', T, T + 10 * MIN, 10_000)).toBeNull();
    expect(plan('', T, T + 10 * MIN, 30_000)).toBeNull();
    expect(plan('method:GET', T, T + H, MIN)).toBeNull();
    expect(plan('', T + 30_000, T + 31_000, MIN)).toBeNull();
  });

  it('reads minutes only from a day inside the minute rollups and retention limits, older ones from raw events', () => {
    // minute rows are kept 7 days (then moved into hours): the last 6 days are surely there
    const n = now.getTime();
    expect(plan('', T - 7 * DAY, n, 6 * H)).toMatchObject({ from: n - 6 * DAY, to: n, events: [{ from: T - 7 * DAY, to: n - 6 * DAY, sign: 1 }] });
    expect(plan('', T - 9 * DAY, T - 7 * DAY, H)).toBeNull();
    // a 3-day retention: only the last 2 days
    expect(plan('', T - 5 * DAY, n, H, 3)).toMatchObject({ from: n - 2 * DAY });
    // minutes after now are written as events arrive too (clock skew): read like the rest
    expect(plan('', T, T + 3 * H, 5 * MIN)).toMatchObject({ from: T, to: T + 3 * H });
  });
});
