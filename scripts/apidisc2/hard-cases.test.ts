import { describe, expect, it } from 'vitest';
import { formatHardCases, hardCases, valueClass } from './hard-cases';

describe('hard-case report', () => {
  it('classifies values by shape', () => {
    expect(valueClass('MarisolQuint')).toBe('pascal');
    expect(valueClass('quiet-dapper-lantern')).toBe('slug');
    expect(valueClass('cst_8fQ2xLm0pQa')).toBe('prefixed');
    expect(valueClass('NLD')).toBe('upper');
    expect(valueClass('XJ4')).toBe('upper');
    expect(valueClass('JVcbHMPvqwszxjb')).toBe('mixed');
    expect(valueClass('lantern')).toBe('word');
    expect(valueClass('4471')).toBe('digits');
    expect(valueClass('01HZX3M9K2')).toBe('opaque');
  });

  it('counts merged literal siblings, generalised versions, word-like values kept literal and accepted noise', () => {
    const S = 'svc';
    const truth = [
      { service: S, method: 'GET', template: '/api/2/orders/{id}' },
      { service: S, method: 'GET', template: '/api/2/orders/upcoming' },
      { service: S, method: 'GET', template: '/api/2/people/{name}' },
    ];
    const pred = [
      { service: S, method: 'GET', template: '/api/{v}/orders/{x}' }, // version generalised, `upcoming` merged
      { service: S, method: 'GET', template: '/api/{v}/people/MarisolQuint' }, // a name kept literal
      { service: S, method: 'GET', template: '/api/{v}/people/{p}' },
    ];
    const traffic = [
      ...Array.from({ length: 25 }, () => ({ service: S, method: 'GET', path: '/api/2/orders/upcoming' })),
      { service: S, method: 'GET', path: '/api/2/orders/17' },
      { service: S, method: 'GET', path: '/api/2/people/MarisolQuint' },
      { service: S, method: 'GET', path: '/api/2/people/TobiahLund' },
      { service: S, method: 'GET', path: '/api/2s/orders/17' }, // noise, let through by the prediction
      { service: S, method: 'GET', path: '/.git/HEAD' },
    ];
    const r = hardCases(truth, pred, traffic);
    expect(r.literalSiblings).toMatchObject({ merged: 1, total: 1 });
    expect(r.versions).toMatchObject({ generalised: 3, total: 3 });
    expect(r.wordlike.pascal).toEqual({ keptLiteral: 1, total: 1 });
    expect(r.noise).toEqual({ accepted: 1, total: 2, onlyNoiseTemplates: 0 });
    expect(formatHardCases(r)).toMatch(/^literal_siblings_merged=1\/1 versions_generalised=3\/3 wordlike_kept_literal=1\/1 \(pascal=1\/1 /);
  });
});
