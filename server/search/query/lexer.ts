import type { PatternPart } from './ast';
import { QueryError } from './errors';

/**
 * Splits a query into tokens. It has one piece of context: right after `field:` (or another
 * operator) it reads a value, where `:`, `<`, `>` and `!` are ordinary characters (IPv6
 * addresses, `path:/a:b`) and `[` opens a range. Everywhere else a word is a keyword, a field
 * with its operator, `-` (negation) or free text.
 */

export type FieldOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export interface ValueToken {
  kind: 'value';
  parts: PatternPart[];
  /** the source text, escapes and quotes included */
  raw: string;
  quoted: boolean;
  col: number;
  /** column just after the value */
  end: number;
}

export interface FieldToken {
  kind: 'field';
  name: string;
  op: FieldOp;
  /** the source text of name and operator (`status:>=`) */
  raw: string;
  col: number;
  /** column just after the operator: where the value must start */
  end: number;
}

export type Token =
  | { kind: 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'and' | 'or' | 'not' | 'minus' | 'to' | 'eof'; col: number }
  | FieldToken
  | ValueToken;

const WS = /\s/;
const FIELD = /[A-Za-z_][A-Za-z0-9_.]*(?=:|!=|<|>)/y;
const OPS: readonly [string, FieldOp][] = [
  [':!=', 'ne'], [':>=', 'ge'], [':<=', 'le'], [':>', 'gt'], [':<', 'lt'],
  ['!=', 'ne'], ['>=', 'ge'], ['<=', 'le'], ['>', 'gt'], ['<', 'lt'], [':', 'eq'],
];
const KEYWORDS: Record<string, 'and' | 'or' | 'not'> = { AND: 'and', OR: 'or', NOT: 'not' };

/**
 * Rejects what no field can hold, before anything else looks at the text: PostgreSQL text
 * cannot contain NUL, and an unpaired surrogate is not a character at all.
 */
function checkCharacters(input: string) {
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
      throw new QueryError(i + 1, `control character U+${c.toString(16).toUpperCase().padStart(4, '0')} is not allowed in a query`);
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = input.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) throw new QueryError(i + 1, 'the query contains a broken character (an unpaired UTF-16 surrogate)');
  }
}

export function lex(input: string): Token[] {
  checkCharacters(input);
  const tokens: Token[] = [];
  let i = 0;
  const at = (k: number) => input[k] ?? '';

  while (true) {
    while (i < input.length && WS.test(input[i])) i++;
    if (i >= input.length) break;
    const c = input[i];
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', col: i + 1 });
      i++;
      continue;
    }
    if (c === '-' && i + 1 < input.length && !WS.test(at(i + 1)) && at(i + 1) !== ')') {
      tokens.push({ kind: 'minus', col: i + 1 });
      i++;
      continue;
    }
    FIELD.lastIndex = i;
    const name = FIELD.exec(input);
    if (name) {
      const opStart = i + name[0].length;
      const [text, op] = OPS.find(([t]) => input.startsWith(t, opStart))!;
      const end = opStart + text.length;
      tokens.push({ kind: 'field', name: name[0], op, raw: input.slice(i, end), col: i + 1, end: end + 1 });
      i = end;
      if (at(i) === '[') i = lexRange(input, i, tokens);
      else if (i < input.length && !WS.test(at(i)) && at(i) !== '(' && at(i) !== ')') i = pushValue(input, i, false, tokens);
      continue;
    }
    const v = lexValue(input, i, false);
    const keyword = KEYWORDS[v.raw.toUpperCase()];
    tokens.push(keyword ? { kind: keyword, col: v.col } : v);
    i = v.end - 1;
  }
  tokens.push({ kind: 'eof', col: input.length + 1 });
  return tokens;
}

function pushValue(input: string, i: number, inRange: boolean, tokens: Token[]): number {
  const v = lexValue(input, i, inRange);
  tokens.push(v);
  return v.end - 1;
}

/** `[A TO B]` after a field: tokens up to `]`, or up to a parenthesis or the end (the parser says what is missing). */
function lexRange(input: string, i: number, tokens: Token[]): number {
  tokens.push({ kind: 'lbracket', col: i + 1 });
  i++;
  while (true) {
    while (i < input.length && WS.test(input[i])) i++;
    if (i >= input.length || input[i] === '(' || input[i] === ')') return i;
    if (input[i] === ']') {
      tokens.push({ kind: 'rbracket', col: i + 1 });
      return i + 1;
    }
    const v = lexValue(input, i, true);
    tokens.push(v.raw.toUpperCase() === 'TO' ? { kind: 'to', col: v.col } : v);
    i = v.end - 1;
  }
}

/**
 * One value: adjacent bare and quoted pieces, joined (`"Mozilla/5.0 (X11"*`). In bare pieces
 * `*` and `?` are wildcards and `\` makes the next character literal; quoted pieces are
 * literal, with `\"` and `\\` their only escapes.
 */
function lexValue(input: string, start: number, inRange: boolean): ValueToken {
  const parts: PatternPart[] = [];
  let lit = '';
  let quoted = false;
  const flush = () => {
    if (lit) parts.push({ kind: 'lit', text: lit });
    lit = '';
  };
  let i = start;
  while (i < input.length) {
    const c = input[i];
    if (c === '"') {
      quoted = true;
      const open = i;
      i++;
      while (true) {
        if (i >= input.length) throw new QueryError(input.length + 1, `unclosed quote opened at col ${open + 1}`);
        const q = input[i];
        if (q === '"') break;
        if (q === '\\') {
          const e = input[i + 1];
          if (e === undefined) throw new QueryError(input.length + 1, `unclosed quote opened at col ${open + 1}`);
          if (e !== '"' && e !== '\\') throw new QueryError(i + 1, 'inside quotes only \\" and \\\\ are escapes (write \\\\ for a backslash)');
          lit += e;
          i += 2;
          continue;
        }
        lit += q;
        i++;
      }
      i++;
      continue;
    }
    if (WS.test(c) || c === '(' || c === ')' || (inRange && c === ']')) break;
    if (c === '\\') {
      if (i + 1 >= input.length) throw new QueryError(i + 1, 'a backslash at the end of the query escapes nothing (write \\\\ for a backslash)');
      const width = isHighSurrogate(input.charCodeAt(i + 1)) ? 2 : 1;
      lit += input.slice(i + 1, i + 1 + width);
      i += 1 + width;
      continue;
    }
    if (c === '*' || c === '?') {
      flush();
      parts.push({ kind: c === '*' ? 'any' : 'one' });
      i++;
      continue;
    }
    lit += c;
    i++;
  }
  flush();
  return { kind: 'value', parts, raw: input.slice(start, i), quoted, col: start + 1, end: i + 1 };
}

function isHighSurrogate(c: number) {
  return c >= 0xd800 && c <= 0xdbff;
}
