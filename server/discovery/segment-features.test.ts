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

  it('leaves a lower-case word and a number to its siblings: a numbered family keeps its word', () => {
    for (const s of ['page-132', 'series-005305', 'agents.938726', 'chapter_20391']) expect(looksStrongId(s), s).toBe(false);
    for (const s of ['node10422', 'INV-20231234', 'Page-2023123', 'inv-20391.x7f3k9']) expect(looksStrongId(s), s).toBe(true);
  });

  it('reads words joined by dashes, one of them a short name with a number, as names (`verify-md5`)', () => {
    for (const s of ['verify-md5', 'image-uint16', 'compressed-sha256', 'ipv4-address']) {
      expect(segmentFeatures(s).cls, s).toBe('slug');
      expect(looksStrongId(s), s).toBe(false);
    }
    // a person's login, a product size or a random slug is no such name
    for (const s of ['anna_okafor42', 'steel-bottle-40cm', '3uz-vjku', 'abc-x7f3k9', 'pomoy-h6', 'zeta-md5']) expect(segmentFeatures(s).cls, s).toBe('token');
  });

  it('reads camelCase words after a short name with a digit (`p2sVpnGateways`) as a name', () => {
    for (const s of ['p2sVpnServerConfigurations', 'p2svpnGateways', 'b2cTenants']) {
      expect(segmentFeatures(s).idScore, s).toBeLessThan(0.8);
      expect(looksStrongId(s), s).toBe(false);
    }
    for (const s of ['t6KkgZlMDFp2x', 'pX7kQ2mZr9Lw']) expect(segmentFeatures(s).cls, s).toBe('token');
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
