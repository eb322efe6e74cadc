import { describe, expect, it } from 'vitest';
import { resourceKey } from './resource';

describe('resourceKey', () => {
  it('is the path when there is no query', () => {
    expect(resourceKey('/branches', null)).toBe('/branches');
    expect(resourceKey('/branches', '')).toBe('/branches');
  });

  it('tells grid points apart, and ignores the order of parameters', () => {
    const a = resourceKey('/branches', 'lat=40.50&lng=-74.25&radius=25');
    expect(a).not.toBe(resourceKey('/branches', 'lat=40.75&lng=-74.25&radius=25'));
    expect(resourceKey('/branches', 'radius=25&lng=-74.25&lat=40.50')).toBe(a);
  });

  it('leaves out cache busters and campaign tags, so polling is one resource', () => {
    const keys = new Set([1, 2, 3].map((i) => resourceKey('/balance', `_=${1_700_000_000_000 + i}&account=7`)));
    expect(keys.size).toBe(1);
    expect(resourceKey('/home', 'utm_source=mail&utm_campaign=x&gclid=abc')).toBe('/home');
    expect(resourceKey('/home', 'T=1&page=2')).toBe('/home?page=2');
  });
});
