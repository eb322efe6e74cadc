import { describe, expect, it } from 'vitest';
import { pairsText, parsePairs } from './types';

describe('key = value lines', () => {
  it('read back what they were written from, skipping blank lines and trimming around =', () => {
    const r = { 'shop/web': 'storefront', 'app.kubernetes.io/name': '{name}' };
    expect(parsePairs(pairsText(r))).toEqual({ value: r, error: null });
    expect(parsePairs('\n  a =  b \n\n')).toEqual({ value: { a: 'b' }, error: null });
  });

  it('name the line that is not a pair, or gives a key twice', () => {
    expect(parsePairs('a = b\nnot a pair').error).toBe('Line 2: write it as key = value');
    expect(parsePairs('= b').error).toBe('Line 1: write it as key = value');
    expect(parsePairs('a = b\na = c').error).toBe('Line 2: a is given twice');
  });
});
