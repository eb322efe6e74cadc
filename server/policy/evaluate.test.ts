import { describe, expect, it } from 'vitest';
import { evaluatePolicy, strictSegments } from './evaluate';
import type { PolicyDocument, PolicyRequest } from './model';

const doc: PolicyDocument = {
  service: 'shop/users',
  defaultAction: 'deny',
  allow: [
    { caller: 'shop/web', method: 'GET', template: '/api/users/{user_id}', endpointId: null },
    { caller: 'shop/web', method: 'GET', template: '/api/users/me', endpointId: null },
    { caller: 'external', method: 'GET', template: '/files/{file_id}.json', endpointId: null },
    { caller: 'shop/admin', method: 'DELETE', template: '/api/users/{user_id}', endpointId: null },
    { caller: 'shop/web', method: 'GET', template: '/', endpointId: null },
  ],
  deny: [
    { kind: 'token', value: 'tok-stolen', reason: 'exfiltration', expiresAt: null },
    { kind: 'user', value: 'mallory', reason: 'abuse', expiresAt: null },
    { kind: 'ip', value: '203.0.113.0/24', reason: 'botnet', expiresAt: null },
    { kind: 'ip', value: '2001:db8::1', reason: 'scanner', expiresAt: null },
    { kind: 'user', value: 'bob', reason: 'was suspended', expiresAt: '2026-01-01T00:00:00Z' },
  ],
};
const NOW = new Date('2026-06-01T00:00:00Z');
const ev = (r: Partial<PolicyRequest>) => evaluatePolicy(doc, { caller: 'shop/web', method: 'GET', path: '/api/users/42', ...r }, NOW);

describe('reference policy semantics', () => {
  it('allows approved endpoints from their callers, with any query string', () => {
    expect(ev({})).toEqual({ decision: 'allow' });
    expect(ev({ path: '/api/users/42?fields=name' }).decision).toBe('allow');
    expect(ev({ path: '/api/users/me' }).decision).toBe('allow');
    expect(ev({ caller: 'external', path: '/files/a1.json' }).decision).toBe('allow');
    expect(ev({ caller: 'shop/admin', method: 'DELETE' }).decision).toBe('allow');
    expect(ev({ path: '/' }).decision).toBe('allow');
  });

  it('denies other paths, methods and callers', () => {
    expect(ev({ path: '/api/users' })).toEqual({ decision: 'deny', reason: 'not_whitelisted' });
    expect(ev({ path: '/api/users/42/cars' }).decision).toBe('deny');
    expect(ev({ method: 'DELETE' }).decision).toBe('deny');
    expect(ev({ method: 'get' }).decision).toBe('deny');
    expect(ev({ method: 'HEAD' }).decision).toBe('deny');
    expect(ev({ caller: 'shop/cart' }).decision).toBe('deny');
    expect(ev({ caller: 'external' }).decision).toBe('deny');
    expect(ev({ caller: 'external', path: '/files/a1.xml' }).decision).toBe('deny');
    expect(ev({ caller: 'external', path: '/files/.json' }).decision).toBe('deny');
  });

  it('denies path tricks instead of guessing what they mean', () => {
    for (const path of ['/api/users/42/', '/api//users/42', '/api/users/../users/42', '/api/./users/42', '/api/users%2F42', '/api%2fusers/42',
      '/api/users/42%2e', '/api\\users\\42', '/API/users/42', 'api/users/42', '/api/users/42#x', '/api/users/%2e%2e/42']) {
      expect(`${path}: ${ev({ path }).decision}`).toBe(`${path}: deny`);
    }
    expect(strictSegments('/api/users/42?a=../b')).toEqual(['api', 'users', '42']);
  });

  it('denied actors are refused even on the whitelist; expired entries no longer apply', () => {
    expect(ev({ tokenId: 'tok-stolen' })).toEqual({ decision: 'deny', reason: 'denied_actor' });
    expect(ev({ userId: 'mallory' }).decision).toBe('deny');
    expect(ev({ clientIp: '203.0.113.77' }).decision).toBe('deny');
    expect(ev({ clientIp: '203.0.114.1' }).decision).toBe('allow');
    expect(ev({ clientIp: '2001:db8::1' }).decision).toBe('deny');
    expect(ev({ userId: 'bob' }).decision).toBe('allow');
  });

  it('matches IPv4 blocks at their edges, and never an address that is not one', () => {
    const withIps = (value: string) => ({ ...doc, deny: [{ kind: 'ip' as const, value, reason: 'test', expiresAt: null }] });
    const at = (value: string, clientIp: string) => evaluatePolicy(withIps(value), { caller: 'shop/web', method: 'GET', path: '/api/users/42', clientIp }, NOW).decision;
    expect(at('10.1.0.0/16', '10.1.0.0')).toBe('deny');
    expect(at('10.1.0.0/16', '10.1.255.255')).toBe('deny');
    expect(at('10.1.0.0/16', '10.2.0.0')).toBe('allow');
    expect(at('10.1.0.0/16', '10.0.255.255')).toBe('allow');
    expect(at('192.0.2.7', '192.0.2.7')).toBe('deny');
    expect(at('192.0.2.7', '192.0.2.70')).toBe('allow');
    expect(at('10.1.0.0/16', '::ffff:10.1.2.3')).toBe('deny');
    expect(at('0.0.0.0/0', '255.255.255.255')).toBe('deny');
    expect(at('128.0.0.0/1', '200.1.1.1')).toBe('deny');
    expect(at('128.0.0.0/1', '127.255.255.255')).toBe('allow');
    for (const bad of ['10.1.0', '10.1.0.0.1', '10.1.0.256', '010.1.0.1x', '']) expect(`${bad}: ${at('0.0.0.0/0', bad)}`).toBe(`${bad}: allow`);
    expect(at('2001:db8::/32', '2001:db8:ffff::1')).toBe('deny');
    expect(at('2001:db8::/32', '2001:db9::1')).toBe('allow');
  });
});
