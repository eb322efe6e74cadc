import { describe, expect, it } from 'vitest';
import { paramName, singular } from './param-naming';
import { redact, typeOf, widenType } from './param-typing';

describe('paramName', () => {
  it('names a parameter after its singularised parent', () => {
    expect(paramName('users', new Set())).toBe('user_id');
    expect(paramName('categories', new Set())).toBe('category_id');
    expect(paramName('addresses', new Set())).toBe('address_id');
    expect(paramName('instanceGroupManagers', new Set())).toBe('instance_group_manager_id');
  });
  it('takes the key a `by-…` parent names', () => {
    expect(paramName('by-slug', new Set())).toBe('slug');
    expect(paramName('by_email', new Set())).toBe('email');
    expect(paramName('byName', new Set())).toBe('name');
    expect(paramName('by_id', new Set())).toBe('id');
    // not a `by` prefix
    expect(paramName('bytes', new Set())).toBe('byte_id');
    expect(paramName('bypass', new Set())).toBe('bypass_id');
  });
  it('falls back to id and keeps names unique', () => {
    const taken = new Set<string>();
    expect(paramName(null, taken)).toBe('id');
    expect(paramName(null, taken)).toBe('id2');
    expect(paramName('42', taken)).toBe('id3');
  });
  it('leaves words without a plural alone', () => {
    expect(singular('status')).toBe('status');
    expect(singular('movies')).toBe('movie');
    expect(singular('cookies')).toBe('cookie');
    expect(singular('series')).toBe('series');
    expect(singular('categories')).toBe('category');
    expect(singular('policies')).toBe('policy');
    expect(singular('access')).toBe('access');
  });
});

describe('param typing', () => {
  it.each([
    ['8812', 'integer'],
    ['21c3e911-7489-4412-a266-11399f89e02d', 'uuid'],
    ['9d866a5f4e88a6da', 'hex'],
    ['2024-01-31', 'date'],
    ['ann@example.com', 'email'],
    ['blue-fox', 'slug'],
    ['gorzu', 'string'],
  ])('%s is %s', (v, t) => expect(typeOf(v)).toBe(t));

  it('widens to the narrowest common type', () => {
    expect(widenType('integer', 'integer')).toBe('integer');
    expect(widenType('integer', 'hex')).toBe('hex');
    expect(widenType('uuid', 'integer')).toBe('string');
  });

  it('redacts examples to their shape', () => {
    expect(redact('8812')).toBe('8***');
    expect(redact('ann@example.com')).toBe('an*************');
    expect(redact('ab')).toBe('**');
  });
});
