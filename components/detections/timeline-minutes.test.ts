import { describe, expect, it } from 'vitest';
import { everyMinute } from './timeline-minutes';

const M = 60_000;
const T0 = Date.parse('2026-12-06T10:00:00Z');

describe('everyMinute', () => {
  it('fills the quiet minutes between active ones with zeros', () => {
    const filled = everyMinute([{ t: T0, requests: 5, errors: 1 }, { t: T0 + 3 * M, requests: 2, errors: 0 }]);
    expect(filled.map((p) => [(p.t - T0) / M, p.requests, p.errors])).toEqual([[0, 5, 1], [1, 0, 0], [2, 0, 0], [3, 2, 0]]);
  });

  it('leaves none or one minute as it is', () => {
    expect(everyMinute([])).toEqual([]);
    expect(everyMinute([{ t: T0, requests: 1200, errors: 0 }])).toEqual([{ t: T0, requests: 1200, errors: 0 }]);
  });

  it('stops after a day of minutes', () => {
    const filled = everyMinute([{ t: T0, requests: 1, errors: 0 }, { t: T0 + 3 * 24 * 60 * M, requests: 1, errors: 0 }]);
    expect(filled).toHaveLength(24 * 60);
    expect(filled.at(-1)!.t).toBe(T0 + (24 * 60 - 1) * M);
  });
});
