import { describe, expect, it } from 'vitest';
import { learn } from './learner';
import { entropy, isProtocolSegment, isStrongId, looksStrongId, segmentFeatures } from './segment-features';

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

describe('protocol segments', () => {
  it('knows OData system segments and argument-less function calls', () => {
    for (const s of ['$count', '$value', '$ref', 'microsoft.graph.delta()', 'getAll()']) expect(isProtocolSegment(s), s).toBe(true);
    for (const s of ['count', '$', '$1', 'a$count', 'fn(x)', 'john.smith', 'ORD-12']) expect(isProtocolSegment(s), s).toBe(false);
  });

  it('keeps `$count` and `delta()` literal beside many rarely requested ids', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(JSON.stringify({ service: 'graph', method: 'GET', path: `/v1.0/sites/${(1e6 + i * 7919).toString(36)}q${i}`, status: 200 }));
    lines.push(JSON.stringify({ service: 'graph', method: 'GET', path: '/v1.0/sites/$count', status: 200 }));
    lines.push(JSON.stringify({ service: 'graph', method: 'GET', path: '/v1.0/sites/microsoft.graph.delta()', status: 200 }));
    const t = learn(lines).map((e) => e.template).sort();
    expect(t).toEqual(['/v1.0/sites/$count', '/v1.0/sites/microsoft.graph.delta()', '/v1.0/sites/{site_id}']);
  });
});
