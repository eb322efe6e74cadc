import { describe, expect, it } from 'vitest';
import { QueryError } from './errors';
import { lex, type Token } from './lexer';

/** Tokens as short strings: kind, column and what matters of each. */
function tokens(input: string): string[] {
  return lex(input).map((t: Token) => {
    if (t.kind === 'field') return `field(${t.name} ${t.op})@${t.col}`;
    if (t.kind === 'value') {
      const parts = t.parts.map((p) => (p.kind === 'lit' ? p.text : p.kind === 'any' ? '<*>' : '<?>')).join('|');
      return `value(${parts})@${t.col}${t.quoted ? 'q' : ''}`;
    }
    return `${t.kind}@${t.col}`;
  });
}

describe('lexer', () => {
  it('reads fields with every operator spelling', () => {
    expect(tokens('a:1 b!=2 c:!=3 d>4 e:>5 f>=6 g:>=7 h<8 i:<9 j<=10 k:<=11')).toEqual([
      'field(a eq)@1', 'value(1)@3', 'field(b ne)@5', 'value(2)@8', 'field(c ne)@10', 'value(3)@14',
      'field(d gt)@16', 'value(4)@18', 'field(e gt)@20', 'value(5)@23', 'field(f ge)@25', 'value(6)@28',
      'field(g ge)@30', 'value(7)@34', 'field(h lt)@36', 'value(8)@38', 'field(i lt)@40', 'value(9)@43',
      'field(j le)@45', 'value(10)@48', 'field(k le)@51', 'value(11)@55', 'eof@57',
    ]);
  });

  it('reads a value after a field with colons, angle brackets and ! as ordinary characters', () => {
    expect(tokens('client.address:2001:db8::/32 path:/a:b<c>!d')).toEqual([
      'field(client.address eq)@1', 'value(2001:db8::/32)@16', 'field(path eq)@30', 'value(/a:b<c>!d)@35', 'eof@44',
    ]);
  });

  it('recognises keywords in any case, only as whole bare words', () => {
    expect(tokens('a and b Or NOT c')).toEqual(['value(a)@1', 'and@3', 'value(b)@7', 'or@9', 'not@12', 'value(c)@16', 'eof@17']);
    expect(tokens('"AND" \\OR android path:NOT')).toEqual(['value(AND)@1q', 'value(OR)@7', 'value(android)@11', 'field(path eq)@19', 'value(NOT)@24', 'eof@27']);
  });

  it('reads - as negation only when a term follows it directly', () => {
    expect(tokens('-status:500 -(a) - b-c')).toEqual([
      'minus@1', 'field(status eq)@2', 'value(500)@9', 'minus@13', 'lparen@14', 'value(a)@15', 'rparen@16',
      'value(-)@18', 'value(b-c)@20', 'eof@23',
    ]);
  });

  it('marks * and ? as wildcards in bare values, and keeps escaped and quoted ones literal', () => {
    expect(tokens('path:/api/*/o?ders')).toEqual(['field(path eq)@1', 'value(/api/|<*>|/o|<?>|ders)@6', 'eof@19']);
    expect(tokens('a\\*b "c*d?"')).toEqual(['value(a*b)@1', 'value(c*d?)@6q', 'eof@12']);
  });

  it('joins adjacent bare and quoted pieces into one value', () => {
    expect(tokens('user_agent:"Mozilla/5.0 (X11"*')).toEqual(['field(user_agent eq)@1', 'value(Mozilla/5.0 (X11|<*>)@12q', 'eof@31']);
  });

  it('unescapes \\" and \\\\ inside quotes', () => {
    expect(tokens('"a\\"b\\\\c"')).toEqual(['value(a"b\\c)@1q', 'eof@10']);
  });

  it('escapes any character in a bare value, a surrogate pair whole', () => {
    expect(tokens('a\\ b\\(\\)c \\😀x')).toEqual(['value(a b()c)@1', 'value(😀x)@11', 'eof@15']);
  });

  it('ends bare values at parentheses and any Unicode space, U+2028 included', () => {
    expect(tokens('(a)\u2028b\u00a0c')).toEqual(['lparen@1', 'value(a)@2', 'rparen@3', 'value(b)@5', 'value(c)@7', 'eof@8']);
  });

  it('reads a range after a field, and stops it at a parenthesis', () => {
    expect(tokens('status:[400 to 499] x')).toEqual([
      'field(status eq)@1', 'lbracket@8', 'value(400)@9', 'to@13', 'value(499)@16', 'rbracket@19', 'value(x)@21', 'eof@22',
    ]);
    expect(tokens('(bytes_out:[1 TO *)')).toEqual([
      'lparen@1', 'field(bytes_out eq)@2', 'lbracket@12', 'value(1)@13', 'to@15', 'value(<*>)@18', 'rparen@19', 'eof@20',
    ]);
  });

  it('leaves a field without a value for the parser to report', () => {
    expect(tokens('status: 200')).toEqual(['field(status eq)@1', 'value(200)@9', 'eof@12']);
  });

  it('treats words that are not field-shaped as free text, colons and all', () => {
    expect(tokens('/api/v1:x 10.0.0.1 Mozilla/5.0')).toEqual(['value(/api/v1:x)@1', 'value(10.0.0.1)@11', 'value(Mozilla/5.0)@20', 'eof@31']);
  });

  it.each([
    ['"abc', 5, 'unclosed quote opened at col 1'],
    ['a "b\\', 6, 'unclosed quote opened at col 3'],
    ['"a\\nb"', 3, 'inside quotes only \\" and \\\\ are escapes (write \\\\ for a backslash)'],
    ['abc\\', 4, 'a backslash at the end of the query escapes nothing (write \\\\ for a backslash)'],
    ['a\u0000b', 2, 'control character U+0000 is not allowed in a query'],
    ['ab\u001b', 3, 'control character U+001B is not allowed in a query'],
    ['a\ud800', 2, 'the query contains a broken character (an unpaired UTF-16 surrogate)'],
    ['\udc00a', 1, 'the query contains a broken character (an unpaired UTF-16 surrogate)'],
  ])('rejects %j at col %i', (input, column, detail) => {
    const e = catchError(() => lex(input));
    expect(e).toBeInstanceOf(QueryError);
    expect({ column: e.column, detail: e.detail, message: e.message }).toEqual({ column, detail, message: `col ${column}: ${detail}` });
  });
});

function catchError(f: () => unknown): QueryError {
  try {
    f();
  } catch (e) {
    return e as QueryError;
  }
  throw new Error('expected an error');
}
