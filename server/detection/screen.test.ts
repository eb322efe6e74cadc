import { describe, expect, it } from 'vitest';
import { fakeDetection } from '@/server/testing/detections';
import { AllowMatcher } from './allow-match';
import { screenDetection, thresholdsFor, type ActiveSuppression, type ScreenRules } from './screen';
import { DEFAULT_THRESHOLDS, type AllowEntry, type ThresholdSet } from './types';

const set: ThresholdSet = { global: { ...DEFAULT_THRESHOLDS, alert: 60 }, services: { 'shop/login': { ...DEFAULT_THRESHOLDS, alert: 90, mitigate: 95 } } };
const rules = (over: { allow?: AllowEntry[]; suppressions?: ActiveSuppression[]; thresholds?: ThresholdSet } = {}): ScreenRules => ({
  thresholds: over.thresholds ?? set, allow: new AllowMatcher(over.allow ?? []), suppressions: over.suppressions ?? [],
});
const botnet = fakeDetection({
  service: 'shop/cart', score: 88,
  actors: [{ type: 'ip', id: '203.0.113.7' }, { type: 'ip', id: '66.249.66.1' }, { type: 'ip_group', id: '198.51.100.0/24' }, { type: 'token', id: 'tok-a' }, { type: 'service', id: 'shop/web' }],
});

describe('screening what the engine reports', () => {
  it('keeps a detection at or above its service\'s alert level and drops one below; a service without its own uses the global one', () => {
    expect(thresholdsFor(set, 'shop/login').alert).toBe(90);
    expect(thresholdsFor(set, 'shop/other').alert).toBe(60);
    expect(thresholdsFor(set, null).alert).toBe(60);
    expect(screenDetection(fakeDetection({ service: 'shop/login', score: 89 }), rules())).toEqual({ dropped: 'below_alert' });
    expect(screenDetection(fakeDetection({ service: 'shop/login', score: 90 }), rules())).toHaveProperty('kept');
    expect(screenDetection(fakeDetection({ service: 'shop/cart', score: 60 }), rules())).toHaveProperty('kept');
    expect(screenDetection(fakeDetection({ service: 'shop/cart', score: 59.9 }), rules())).toEqual({ dropped: 'below_alert' });
  });

  it('drops a detection whose rule (kind on service) is suppressed, and only that rule', () => {
    const rule: ActiveSuppression = { scope: 'rule', kind: 'brute_force', service: 'shop/cart', actorType: null, actorId: null };
    expect(screenDetection(botnet, rules({ suppressions: [rule] }))).toEqual({ dropped: 'suppressed_rule' });
    expect(screenDetection({ ...botnet, kind: 'credential_stuffing' }, rules({ suppressions: [rule] }))).toHaveProperty('kept');
    expect(screenDetection({ ...botnet, service: 'shop/orders' }, rules({ suppressions: [rule] }))).toHaveProperty('kept');
    expect(screenDetection({ ...botnet, service: null }, rules({ suppressions: [rule] }))).toHaveProperty('kept');
  });

  it('takes a suppressed actor out (with its example requests) and keeps the rest of the incident', () => {
    const d = fakeDetection({ service: 'shop/cart', actors: [{ type: 'ip', id: '203.0.113.7' }, { type: 'ip', id: '203.0.113.8' }] });
    const s = screenDetection(d, rules({ suppressions: [{ scope: 'actor', kind: 'brute_force', service: 'shop/cart', actorType: 'ip', actorId: '203.0.113.7' }] }));
    if (!('kept' in s)) throw new Error(`dropped: ${s.dropped}`);
    expect(s.kept.actors).toEqual([{ type: 'ip', id: '203.0.113.8' }]);
    expect(s.kept.evidence.examples.map((e) => e.actor.id)).toEqual(['203.0.113.8']);
    // suppressed for another kind: not here
    const other = screenDetection(d, rules({ suppressions: [{ scope: 'actor', kind: 'scraping', service: 'shop/cart', actorType: 'ip', actorId: '203.0.113.7' }] }));
    expect('kept' in other && other.kept.actors).toHaveLength(2);
  });

  it('takes allow-listed actors out: an address in a block, a group inside a block, tokens and services by name', () => {
    const allow: AllowEntry[] = [
      { type: 'cidr', value: '66.249.64.0/19', note: 'Googlebot' },
      { type: 'cidr', value: '198.51.0.0/16', note: 'partner' },
      { type: 'token', value: 'tok-a', note: 'monitor' },
      { type: 'service', value: 'shop/web', note: 'frontend' },
    ];
    const s = screenDetection(botnet, rules({ allow }));
    if (!('kept' in s)) throw new Error(`dropped: ${s.dropped}`);
    expect(s.kept.actors).toEqual([{ type: 'ip', id: '203.0.113.7' }]);
  });

  it('does not let a narrow block cover a wider group, nor a block of one family cover the other', () => {
    const m = new AllowMatcher([{ type: 'cidr', value: '198.51.100.0/25', note: 'half' }, { type: 'ip', value: '203.0.113.7', note: 'one' }]);
    expect(m.allows({ type: 'ip_group', id: '198.51.100.0/24' })).toBe(false);
    expect(m.allows({ type: 'ip', id: '198.51.100.127' })).toBe(true);
    expect(m.allows({ type: 'ip', id: '198.51.100.128' })).toBe(false);
    expect(m.allows({ type: 'ip', id: '2001:db8::7' })).toBe(false);
    // a dual-stack listener reports an IPv4 client as ::ffff:a.b.c.d: the same client
    expect(m.allows({ type: 'ip', id: '::ffff:203.0.113.7' })).toBe(true);
    expect(m.allows({ type: 'user', id: '203.0.113.7' })).toBe(false);
    // user-agent entries name no actor: the engine applies them
    expect(new AllowMatcher([{ type: 'user_agent', value: 'Googlebot', note: 'x' }]).empty).toBe(true);
  });

  it('drops a detection when nothing is left of its actors', () => {
    const d = fakeDetection({ service: 'shop/cart', actors: [{ type: 'ip', id: '66.249.66.1' }] });
    expect(screenDetection(d, rules({ allow: [{ type: 'cidr', value: '66.249.64.0/19', note: 'Googlebot' }] }))).toEqual({ dropped: 'no_actors_left' });
  });
});
