import { describe, expect, it } from 'vitest';
import { entropy, isStrongId, looksStrongId, segmentFeatures } from './segment-features';

describe('segmentFeatures', () => {
  it.each([
    ['8812', 'integer'],
    ['21c3e911-7489-4412-a266-11399f89e02d', 'uuid'],
    ['9d866a5f4e88a6daeaec6488', 'hex'],
    ['2024-01-31', 'date'],
    ['alice@example.com', 'email'],
    ['v1', 'version'],
    ['v2beta1', 'version'],
    ['1.0', 'version'],
    ['a9f3c2e1x7', 'token'],
    ['3uz-vjku9q', 'token'],
    ['ipv4', 'mixed'],
    ['blue-fox', 'slug'],
    ['vehicle', 'word'],
    ['findByStatus', 'word'],
    ['t6KkgZlMDFp', 'token'],
    ['zVdyV', 'token'],
    ['node1042', 'token'],
    ['api.example.com', 'token'],
    ['pt-BR', 'token'],
    ['getIPAddress', 'word'],
    ['v1p1beta1', 'version'],
    ['python2Packages', 'mixed'],
    ['ipv4AddressRanges', 'mixed'],
  ])('%s is %s', (s, cls) => {
    expect(segmentFeatures(s).cls).toBe(cls);
  });

  it('scores identifiers high and words low', () => {
    expect(segmentFeatures('8812').idScore).toBe(1);
    expect(segmentFeatures('vehicle').idScore).toBeLessThan(0.5);
    expect(segmentFeatures('findByStatus').idScore).toBeLessThan(segmentFeatures('vehicle').idScore);
  });

  it('measures length, character classes and entropy', () => {
    const f = segmentFeatures('Ab12');
    expect(f).toMatchObject({ length: 4, digits: 2, letters: 2, upper: 1 });
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abcd')).toBe(2);
  });

  it('agrees with the insert-time shortcut on strong identifiers', () => {
    for (const s of ['8812', '123', 'v1', 'users', '9d866a5f4e88a6daeaec6488', '21c3e911-7489-4412-a266-11399f89e02d', 'a@b.io', '2024-01-31', 'ipv4', 'python2Packages', 't6KkgZlMDFp2x']) {
      expect(looksStrongId(s), s).toBe(isStrongId(segmentFeatures(s)));
    }
  });
});
