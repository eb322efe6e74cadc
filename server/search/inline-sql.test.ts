import { describe, expect, it } from 'vitest';
import { inlineParams } from './inline-sql';

describe('inlineParams', () => {
  it('writes each $n as a literal of its value, $10 apart from $1', () => {
    const params = ['a', 2, 3, 4, 5, 6, 7, 8, 9, 'ten'];
    expect(inlineParams('select $1, $10, $2::int', params)).toBe("select 'a', 'ten', '2'::int");
  });

  it('quotes every value through the driver: quotes doubled, backslashes in an E literal (pg writes it with a leading space)', () => {
    expect(inlineParams('x = $1', ["'; drop table t; --"])).toBe("x = '''; drop table t; --'");
    expect(inlineParams('x = $1', ['a\\b'])).toBe("x =  E'a\\\\b'");
    expect(inlineParams('x = $1', ['$2'])).toBe("x = '$2'");
  });

  it('writes null, booleans, numbers and times', () => {
    expect(inlineParams('$1 $2 $3 $4 $5', [null, true, -1.5, 10n, new Date(Date.UTC(2026, 0, 15, 12))])).toBe(
      "null 'true' '-1.5' '10' '2026-01-15T12:00:00.000Z'",
    );
  });

  it('leaves $n alone inside strings, quoted names, comments and dollar quotes', () => {
    const text = `select '$1', 'it''s $1', E'\\'$1', e'$1\\\\', "$1", $$ $1 $$, $t$ $1 $t$ -- $1
      /* $1 /* $1 */ $1 */ $1`;
    expect(inlineParams(text, ['v'])).toBe(text.replace(/\$1$/, "'v'"));
  });

  it('does not take a name ending in E for an escape string, nor a word ending in a digit-dollar for a parameter', () => {
    expect(inlineParams("select name'\\', $1", ['v'])).toBe("select name'\\', 'v'");
    expect(inlineParams('select a$1, $1', ['v'])).toBe("select a$1, 'v'");
  });

  it('refuses what it cannot write as one literal', () => {
    expect(inlineParams('x = $1', ['a\u0000b'])).toBeNull();
    expect(inlineParams('x = $1', [['a']])).toBeNull();
    expect(inlineParams('x = $1', [{ a: 1 }])).toBeNull();
    expect(inlineParams('x = $1', [new Date(Number.NaN)])).toBeNull();
    expect(inlineParams('x = $2', ['a'])).toBeNull();
    expect(inlineParams("x = 'open", [])).toBeNull();
    expect(inlineParams('x = /* open', [])).toBeNull();
  });
});
