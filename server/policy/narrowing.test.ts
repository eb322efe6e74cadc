import { expect, it } from 'vitest';
import type { PolicyDocument } from './model';
import { isNarrowing, widening } from './narrowing';

const now = new Date('2026-11-23T12:00:00Z');
const rule = (caller: string, method = 'GET', template = '/a') => ({ caller, method, template, endpointId: null });
const deny = (value: string, expiresAt: string | null = null) => ({ kind: 'ip' as const, value, reason: 'test', expiresAt });
const doc = (allow: PolicyDocument['allow'], d: PolicyDocument['deny'] = []): PolicyDocument => ({ service: 's/x', defaultAction: 'deny', allow, deny: d });

it('finds allow rules the live policy lacks and deny entries in force that the target lifts', () => {
  const live = doc([rule('web')], [deny('203.0.113.0/24'), deny('198.51.100.7', '2026-11-23T11:00:00Z')]);
  const w = widening(live, doc([rule('web'), rule('evil', 'DELETE')], []), now);
  expect(w.allow).toEqual([rule('evil', 'DELETE')]);
  // the expired entry is not in force: dropping it widens nothing
  expect(w.deny.map((d) => d.value)).toEqual(['203.0.113.0/24']);
  expect(isNarrowing(w)).toBe(false);
});

it('treats fewer allow rules, more deny entries and the same content as narrowing', () => {
  const live = doc([rule('web'), rule('admin', 'DELETE')], [deny('203.0.113.0/24')]);
  expect(isNarrowing(widening(live, doc([rule('web')], [deny('203.0.113.0/24'), deny('192.0.2.1')]), now))).toBe(true);
  expect(isNarrowing(widening(live, live, now))).toBe(true);
});

it('counts a deny entry that would expire sooner as lifted', () => {
  const live = doc([rule('web')], [deny('203.0.113.0/24')]);
  const w = widening(live, doc([rule('web')], [deny('203.0.113.0/24', '2026-11-24T00:00:00Z')]), now);
  expect(w.deny).toHaveLength(1);
  // a method or caller difference is a different rule
  expect(widening(doc([rule('web')]), doc([rule('web', 'POST')]), now).allow).toHaveLength(1);
});

it('never widens when nothing is published (everything is allowed today)', () => {
  expect(isNarrowing(widening(null, doc([rule('any')]), now))).toBe(true);
});
