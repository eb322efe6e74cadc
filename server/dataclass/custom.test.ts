// Custom classes: validation messages, refusal of patterns that cannot run safely, hints, validators.
import { describe, expect, it } from 'vitest';
import { compileCustomClasses, validateCustomClass } from './custom';
import { compileHint } from './json-paths';
import { classify, createScanner } from './scanner';
import type { CustomClassDef } from './types';

const errorsOf = (def: Partial<CustomClassDef>) => validateCustomClass(def as CustomClassDef);

describe('validateCustomClass', () => {
  it('accepts a good definition', () => {
    expect(errorsOf({ name: 'employee_id', pattern: 'EMP-[0-9]{6}', validator: 'none', jsonPathHints: ['$.staff[*].id', 'employee', '$..emp'] })).toEqual([]);
  });
  it.each([
    [{ name: 'Employee', pattern: 'x' }, /name must be a lower-case letter/],
    [{ name: '1abc', pattern: 'x' }, /name must be/],
    [{ name: 'a'.repeat(65), pattern: 'x' }, /name must be/],
    [{ name: 'credit_card', pattern: 'x' }, /built-in class/],
    [{ name: 'a', pattern: '' }, /pattern must be a non-empty/],
    [{ name: 'a', pattern: 'x'.repeat(513) }, /513 characters; at most 512/],
    [{ name: 'a', pattern: '([a-z]' }, /does not compile/],
    [{ name: 'a', pattern: 'a*' }, /unbounded repetition/],
    [{ name: 'a', pattern: 'a?' }, /empty string/],
    [{ name: 'a', pattern: '[0-9]+x' }, /unbounded repetition \(\+\)/],
    [{ name: 'a', pattern: '[0-9]{2,}x' }, /unbounded repetition \(\{2,\}\)/],
    [{ name: 'a', pattern: '[0-9]{1,5000}' }, /at most 1024/],
    [{ name: 'a', pattern: 'x|' }, /empty string/],
    [{ name: 'a', pattern: '(?=x)' }, /empty string/],
    [{ name: 'a', pattern: '\\b' }, /empty string/],
    [{ name: 'a', pattern: '(a{1,9}){1,9}$' }, /repeated group/],
    [{ name: 'a', pattern: '(a|aa){1,30}b' }, /repeated group/],
    [{ name: 'a', pattern: '(?:[a-z]{1,20}\\.){1,5}com' }, /repeated group/],
    [{ name: 'a', pattern: '(a+)+$' }, /unbounded repetition/],
    [{ name: 'a', pattern: '(a)\\1' }, /back-references/],
    [{ name: 'a', pattern: '(?<=x)y' }, /look-behind/],
    [{ name: 'a', pattern: '(?<n>x)' }, /named groups/],
    [{ name: 'a', pattern: '\\p{L}' }, /Unicode property/],
    [{ name: 'a', pattern: '[^]x' }, /empty character classes/],
    [{ name: 'a', pattern: 'x', validator: 'crc' as never }, /validator must be/],
    [{ name: 'a', pattern: 'x', jsonPathHints: ['$.a[?(@.b)]'] }, /cannot read the path/],
    [{ name: 'a', pattern: 'x', jsonPathHints: ['a b'] }, /neither a key name/],
    [{ name: 'a', pattern: 'x', jsonPathHints: 'pan' as never }, /must be a list/],
  ])('refuses %j', (def, message) => {
    const errors = errorsOf(def);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  });
  it('allows bounded repetition of groups and repetition inside unrepeated groups', () => {
    expect(errorsOf({ name: 'a', pattern: '(?:[0-9]{4}[ -]?){3}[0-9]{4}' })).toEqual([]);
    expect(errorsOf({ name: 'a', pattern: '(ab{1,9})c' })).toEqual([]);
    expect(errorsOf({ name: 'a', pattern: '[(+*]x{1,3}[)]' })).toEqual([]);
    expect(errorsOf({ name: 'a', pattern: 'a\\+b\\*' })).toEqual([]);
  });
});

describe('compileCustomClasses', () => {
  it('names every bad class in one error', () => {
    expect(() => compileCustomClasses([{ name: 'ok', pattern: 'x{1,5}' }, { name: 'Bad', pattern: '(' }, { name: 'ok', pattern: 'y' }])).toThrow(
      /custom class 2 \("Bad"\): name must be[^\n]*pattern does not compile[\s\S]*custom class 3 \("ok"\): name "ok" is used by an earlier class/,
    );
  });
});

describe('custom classes in the scanner', () => {
  it('matches, validates and honours path hints', () => {
    const custom = compileCustomClasses([
      { name: 'employee_id', pattern: 'EMP-[0-9]{6}', jsonPathHints: ['$.staff[*].id', 'manager'] },
      { name: 'loyalty_card', pattern: '\\b[0-9]{12}\\b', validator: 'luhn' },
      { name: 'account_ref', pattern: 'AC[0-9]{2}[A-Z0-9]{6}', validator: 'mod97', ignoreCase: true },
    ]);
    const body = JSON.stringify({
      staff: [{ id: 'EMP-000001' }, { id: 'EMP-000002', note: 'EMP-000003' }],
      manager: 'EMP-000004', other: 'EMP-000005',
      cards: ['123456789015', '123456789016'],
      refs: ['ac' + '00' + 'x', 'AC71ABC123'],
    });
    const r = classify(body, { contentType: 'application/json', custom });
    const got = Object.fromEntries(r.classes.map((c) => [c.class, c.paths.map((p) => `${p.path}:${p.count}`)]));
    expect(got.employee_id).toEqual(['$.staff[0].id:1', '$.staff[1].id:1', '$.manager:1']);
    expect(got.loyalty_card).toEqual(['$.cards[0]:1']);
    expect(r.classes.find((c) => c.class === 'account_ref')?.count ?? 0).toBe(0);
  });
  it('finds mod97-valid values', () => {
    // AC + check digits chosen so that mod-97 = 1
    const custom = compileCustomClasses([{ name: 'acct', pattern: 'XK[0-9]{18}', validator: 'mod97' }]);
    const r = classify('XK051212012345678906 XK051212012345678907', { custom });
    expect(r.classes.filter((c) => c.class === 'acct').map((c) => c.count)).toEqual([1]);
  });
  it('finds a custom match split across chunks once, text hints never match null paths', () => {
    const custom = compileCustomClasses([{ name: 'emp', pattern: 'EMP-[0-9]{6}' }, { name: 'hinted', pattern: 'EMP-[0-9]{6}', jsonPathHints: ['emp'] }]);
    const body = 'a EMP-123456 b EMP-654321';
    for (let cut = 0; cut <= body.length; cut++) {
      const s = createScanner({ custom });
      s.write(body.slice(0, cut));
      s.write(body.slice(cut));
      expect(s.end().classes.map((c) => [c.class, c.count])).toEqual([['emp', 2]]);
    }
  });
  it('runs bounded on hostile input: patterns that pass validation stay linear', () => {
    const custom = compileCustomClasses([{ name: 'runs', pattern: '[a-z]{1,1024}@[a-z]{1,1024}\\.zz' }]);
    const r = classify('a'.repeat(200000) + '@' + 'b'.repeat(100000), { custom });
    expect(r.classes).toEqual([]);
    expect(classify('x ' + 'a'.repeat(1000) + '@bb.zz', { custom }).classes.map((c) => c.count)).toEqual([1]);
  });
});

describe('compileHint', () => {
  it('compiles the supported JSONPath subset', () => {
    const h = compileHint('$.items[*].pan');
    expect(typeof h).not.toBe('string');
    const re = (h as { path: RegExp }).path;
    expect(re.test('$.items[3].pan')).toBe(true);
    expect(re.test('$.items.pan')).toBe(false);
    const deep = (compileHint('$..pan') as { path: RegExp }).path;
    expect(deep.test('$.a[0].b.pan')).toBe(true);
    expect(deep.test('$.pan')).toBe(true);
    expect(deep.test('$.span')).toBe(false);
    const quoted = (compileHint("$['card number']") as { path: RegExp }).path;
    expect(quoted.test("$['card number']")).toBe(true);
  });
});
