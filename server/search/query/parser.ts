/*
 * Why hand-written: the grammar is small (a dozen productions, one token of lookahead), and
 * what users need most from it is an error that points at the exact column and says what to
 * type instead ("col 14: expected a value after "status:""). A recursive-descent parser over
 * our own tokens gives that directly, with messages in the field's own terms; generated
 * parsers report positions in their grammar's terms and add a dependency (and a build step) to
 * the server and the search box bundle for a few hundred lines of straightforward code.
 *
 * Grammar (keywords case-insensitive; juxtaposition is AND; NOT binds tighter than AND, AND
 * tighter than OR):
 *   query   := or? EOF
 *   or      := and ("OR" and)*
 *   and     := unary ("AND"? unary)*
 *   unary   := ("NOT" | "-")* primary
 *   primary := "(" or ")" | field op value | field ":" "[" bound "TO" bound "]" | value
 *   op      := ":" | "!=" | ":!=" | ">" | ">=" | "<" | "<=" | ":>" | ":>=" | ":<" | ":<="
 */
import type { Node, Query } from './ast';
import { QueryError, shown } from './errors';
import { FIELD_NAMES, lookupField, nearestField } from './fields';
import { lex, type FieldToken, type Token, type ValueToken } from './lexer';
import { fieldTerm, type RangeValue } from './values';

export const LIMITS = { chars: 2000, terms: 64, depth: 32 } as const;

export function parse(input: string): Query {
  if (input.length > LIMITS.chars) {
    throw new QueryError(LIMITS.chars + 1, `the query is ${input.length.toLocaleString('en')} characters long; the limit is ${LIMITS.chars.toLocaleString('en')}`);
  }
  return new Parser(lex(input)).query();
}

class Parser {
  private pos = 0;
  private depth = 0;
  private terms = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): Query {
    if (this.peek().kind === 'eof') return { root: null };
    const root = this.or();
    const t = this.peek();
    if (t.kind === 'rparen') throw new QueryError(t.col, 'unexpected ")" without a matching "("');
    if (t.kind !== 'eof') throw new QueryError(t.col, `unexpected ${describe(t)}`);
    return { root };
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private or(): Node {
    const children = [this.and()];
    while (this.peek().kind === 'or') {
      this.next();
      this.expectTerm('OR');
      children.push(this.and());
    }
    return children.length === 1 ? children[0] : { kind: 'or', children };
  }

  private and(): Node {
    const children = [this.unary()];
    while (true) {
      const t = this.peek();
      if (t.kind === 'and') {
        this.next();
        this.expectTerm('AND');
      } else if (!startsTerm(t)) break;
      children.push(this.unary());
    }
    return children.length === 1 ? children[0] : { kind: 'and', children };
  }

  private expectTerm(after: string) {
    const t = this.peek();
    if (!startsTerm(t)) throw new QueryError(t.col, `expected a term after ${after}${t.kind === 'eof' ? '' : `, found ${describe(t)}`}`);
  }

  /** NOT NOT x is x: only the parity of a run of negations matters, so none is kept as depth. */
  private unary(): Node {
    let negate = false;
    while (this.peek().kind === 'not' || this.peek().kind === 'minus') {
      const t = this.next();
      negate = !negate;
      this.expectTerm(t.kind === 'not' ? 'NOT' : '"-"');
    }
    const node = this.primary();
    return negate ? not(node) : node;
  }

  private primary(): Node {
    const t = this.next();
    switch (t.kind) {
      case 'lparen':
        return this.group(t.col);
      case 'field':
        return this.field(t);
      case 'value':
        return this.text(t);
      case 'and':
      case 'or':
        throw new QueryError(t.col, `${t.kind.toUpperCase()} needs a term before it`);
      case 'rparen':
        throw new QueryError(t.col, 'unexpected ")" without a matching "("');
      default:
        throw new QueryError(t.col, `expected a term, found ${describe(t)}`);
    }
  }

  private group(open: number): Node {
    if (++this.depth > LIMITS.depth) throw new QueryError(open, `parentheses are nested more than ${LIMITS.depth} deep`);
    if (this.peek().kind === 'rparen') throw new QueryError(open, 'empty parentheses: put a term inside or remove them');
    if (this.peek().kind === 'eof') throw new QueryError(this.peek().col, `unclosed parenthesis opened at col ${open}`);
    const node = this.or();
    const close = this.next();
    if (close.kind !== 'rparen') throw new QueryError(close.col, `unclosed parenthesis opened at col ${open}`);
    this.depth--;
    return node;
  }

  private countTerm(col: number) {
    if (++this.terms > LIMITS.terms) throw new QueryError(col, `too many terms: the limit is ${LIMITS.terms}`);
  }

  private text(v: ValueToken): Node {
    this.countTerm(v.col);
    if (!v.parts.length) throw new QueryError(v.col, 'empty quotes search for nothing: put text inside or remove them');
    return { kind: 'text', pattern: { parts: v.parts, wild: v.parts.some((p) => p.kind !== 'lit') }, col: v.col };
  }

  private field(f: FieldToken): Node {
    const spec = lookupField(f.name);
    if (!spec) throw unknownField(f);
    this.countTerm(f.col);
    const t = this.peek();
    const opCol = f.col + f.name.length;
    if (t.col !== f.end || (t.kind !== 'value' && t.kind !== 'lbracket')) {
      const hint = t.kind === 'eof' ? ''
        : t.col > f.end ? ` (remove the space after "${f.raw.slice(f.name.length)}")`
        : t.kind === 'lparen' ? ` (a field takes one value: write ${spec.name}:a OR ${spec.name}:b)` : '';
      throw new QueryError(f.end, `expected a value after "${f.raw}"${hint}`);
    }
    this.next();
    let value: ValueToken | RangeValue;
    if (t.kind === 'lbracket') {
      if (f.op !== 'eq' && f.op !== 'ne') throw new QueryError(t.col, `a range follows ":" (${spec.name}:[A TO B]), not "${f.raw.slice(f.name.length)}"`);
      value = this.range(t.col);
    } else value = t as ValueToken;
    const node = fieldTerm(spec, f.op === 'ne' ? 'eq' : f.op, opCol, f.col, value);
    return f.op === 'ne' ? not(node) : node;
  }

  private range(open: number): RangeValue {
    const bound = (what: string): ValueToken | '*' => {
      const t = this.next();
      if (t.kind !== 'value') throw new QueryError(t.col, `expected ${what} of the range opened at col ${open}${t.kind === 'eof' ? '' : `, found ${describe(t)}`}`);
      return t.raw === '*' ? '*' : t;
    };
    const lo = bound('the start');
    const to = this.next();
    if (to.kind !== 'to') throw new QueryError(to.col, `expected "TO" in the range opened at col ${open} ([A TO B])`);
    const hi = bound('the end');
    const close = this.next();
    if (close.kind !== 'rbracket') throw new QueryError(close.col, `expected "]" to close the range opened at col ${open}`);
    return { lo, hi, col: open };
  }
}

function startsTerm(t: Token): boolean {
  return t.kind === 'lparen' || t.kind === 'not' || t.kind === 'minus' || t.kind === 'field' || t.kind === 'value';
}

function not(node: Node): Node {
  return node.kind === 'not' ? node.child : { kind: 'not', child: node };
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'the end of the query';
    case 'lparen': return '"("';
    case 'rparen': return '")"';
    case 'lbracket': return '"["';
    case 'rbracket': return '"]"';
    case 'minus': return '"-"';
    case 'field': return shown(t.raw);
    case 'value': return shown(t.raw);
    default: return t.kind.toUpperCase();
  }
}

function unknownField(f: FieldToken): QueryError {
  const near = nearestField(f.name);
  return new QueryError(f.col, `unknown field ${shown(f.name)}${near ? ` (did you mean "${near}"?)` : ''}; ` +
    `fields are ${FIELD_NAMES.join(', ')}; to search for the text itself, put it in quotes`);
}
