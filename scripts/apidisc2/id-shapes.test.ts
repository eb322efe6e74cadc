import { describe, expect, it } from 'vitest';
import { prefixFor, shapeMaker, SHAPES, type Shape } from './id-shapes';
import { Prng } from './prng';
import { familyOf, nameWords, planParam } from './shape-choice';
import { zipfMandelbrot } from './value-pool';

/** Values of a shape over several pool styles. */
function values(shape: Shape, n = 300): string[] {
  const out: string[] = [];
  for (let style = 0; style < 6; style++) {
    const make = shapeMaker(shape, new Prng('style', shape, style), 'customer');
    const r = new Prng('values', shape, style);
    for (let i = 0; i < n / 6; i++) out.push(make(r));
  }
  return out;
}

const FORMATS: Partial<Record<Shape, RegExp>> = {
  'person-pascal': /^[A-Z][a-z]+([A-Z])?[A-Z][a-z]+$/,
  'word-slug': /^[a-z]+(-[a-z]+){1,3}$/,
  'pascal-words': /^([A-Z][a-z]+){2}[A-Za-z]*$/,
  base62: /^[0-9A-Za-z]{10,22}$/,
  'mixed-case': /^[A-Za-z]{8,18}$/,
  prefixed: /^[a-z]{3,4}[_-]?[0-9A-Za-z]{12,24}$/,
  'ticket-key': /^[A-Z]{2,5}-\d+$/,
  ulid: /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/,
  ksuid: /^[0-9A-Za-z]{27}$/,
  date: /^\d{4}(-\d{2}(-\d{2})?|\d{4})$/,
  timestamp: /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z|\d{10}|\d{13})$/,
  semver: /^v?\d+\.\d+\.\d+(-(rc|beta|alpha)\.\d)?$/,
  e164: /^\+[1-9]\d{10,12}$/,
  sku: /^([A-Z]{3}-\d{4}-[A-Z]{3}|\d{4}-[A-Z]{3}-[0-9A-Z]{1,3}|[A-Z]{3}\d{4}[A-Z]{3})$/,
  'upper-code': /^[A-Z][A-Z0-9]{1,3}$/,
  integer: /^\d+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[47][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i,
  email: /^[a-z0-9._+]+@[a-z]+\.(example|test|invalid)$/,
};

describe('apidisc2 identifier shapes', () => {
  it.each(SHAPES)('%s: non-empty, one path segment, in its format', (shape) => {
    const vs = values(shape);
    for (const v of vs) {
      expect(v.length).toBeGreaterThan(0);
      expect(v).not.toMatch(/[/?#\s]/);
      if (FORMATS[shape]) expect(v, `${shape} value`).toMatch(FORMATS[shape]!);
    }
    expect(new Set(vs).size).toBeGreaterThan(shape === 'vocab' ? 2 : 20);
  });

  it('makes ULIDs and KSUIDs that sort by their (recent) time', () => {
    for (const v of values('ulid', 60)) expect(v.slice(0, 2)).toMatch(/^01/);
    for (const v of values('ksuid', 60)) expect(v < 'zzzzzzzzzzzzzzzzzzzzzzzzzzz').toBe(true);
  });

  it('derives id prefixes from the noun in the name', () => {
    const r = new Prng('prefix');
    expect(prefixFor('shipment', r)).toMatch(/^shp/);
    expect(prefixFor(undefined, r)).toMatch(/^[a-z]{3}$/);
  });
});

describe('apidisc2 shape choice', () => {
  it('splits names into words and finds their family', () => {
    expect(nameWords('resourceGroupName')).toEqual(['resource', 'group', 'name']);
    expect(nameWords('customer_ID')).toEqual(['customer', 'id']);
    expect(nameWords('phoneNumber')).toEqual(['phone', 'number']);
    expect(familyOf(['customer', 'id']).family).toBe('person');
    expect(familyOf(['phone', 'number']).family).toBe('phone');
    expect(familyOf(['invoice', 'id'])).toEqual({ family: 'id', noun: 'invoice' });
  });

  it('follows the schema when it is specific', () => {
    const r = new Prng('schema');
    expect(planParam('anything', { enum: ['a', 'b'] }, 'uuid', r)).toEqual({ kind: 'enum', values: ['a', 'b'] });
    expect(planParam('userName', { type: 'integer' }, 'uuid', r)).toMatchObject({ main: 'integer', secondShare: 0 });
    expect(planParam('id', { type: 'string', format: 'uuid' }, 'integer', r)).toMatchObject({ main: 'uuid' });
    expect(planParam('since', { type: 'string', format: 'date' }, 'integer', r)).toMatchObject({ main: 'date' });
  });

  it('does not give one name the same shape in every service', () => {
    const mains = new Set<string>();
    for (let s = 0; s < 60; s++) {
      const p = planParam('customerId', {}, 'integer', new Prng('svc', s));
      if (p.kind === 'shape') mains.add(p.main);
    }
    expect(mains.size).toBeGreaterThanOrEqual(4);
    expect(mains.has('person-pascal')).toBe(true);
  });

  it('reuses values with a Zipf–Mandelbrot skew', () => {
    const draw = zipfMandelbrot(1000, 1.1, 2);
    const r = new Prng('zipf');
    const counts = new Map<number, number>();
    for (let i = 0; i < 20_000; i++) {
      const k = draw(r);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(1000);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.get(0)!).toBeGreaterThan(counts.get(10) ?? 0);
    expect(counts.get(0)!).toBeGreaterThan(1000);
    expect(counts.size).toBeGreaterThan(300);
  });
});
