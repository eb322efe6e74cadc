import { describe, expect, it } from 'vitest';
import { EndpointStats } from './endpoint-stats';

const obs = (caller: string, status: number) => ({ service: 's', method: 'GET', path: '/x', caller, status, ts: 1000 + status });

describe('EndpointStats', () => {
  it('counts calls by status class, but callers only from calls that were not refused', () => {
    const s = new EndpointStats();
    for (const [c, st] of [['shop/web', 200], ['shop/web', 404], ['shop/evil', 403], ['external', 401], ['shop/scan', 405], ['shop/app', 500]] as const) s.add(obs(c, st), [], []);
    expect(s.count).toBe(6);
    expect(s.statusClasses).toEqual([0, 1, 0, 4, 1]);
    expect(Object.fromEntries(s.callers)).toEqual({ 'shop/web': 2, 'shop/app': 1 });
    expect([s.firstSeen, s.lastSeen]).toEqual([1200, 1500]);
  });

  it('keeps at most 32 callers, the rest as (other), and merges', () => {
    const a = new EndpointStats();
    for (let i = 0; i < 40; i++) a.add(obs(`ns/c${i}`, 200), [], []);
    expect(a.callers.size).toBe(33);
    expect(a.callers.get('(other)')).toBe(8);
    const b = new EndpointStats();
    a.mergeInto(b);
    expect(b.count).toBe(40);
    expect(b.callers.get('(other)')).toBe(8);
  });
});
