import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { compile, compileQuery } from './compile';
import { QueryError } from './errors';
import { hostileQueries } from './fuzz-corpus';
import { lex } from './lexer';
import { parse } from './parser';

const dialect = new PgDialect();
const SEED = 20_261_123;

/**
 * One benign query that uses every construct. Any SQL the compiler produces must be built
 * from the tokens of this one's SQL: a token that appears nowhere in it came from the user.
 */
const REFERENCE = dialect.sqlToQuery(compileQuery(
  'a -b (service:s OR caller:c) method:G method:G* path:p* endpoint:e token:t user:u user_agent:x proxy:p cluster:c namespace:n ' +
  'status:5xx status>1 status>=1 status<1 status<=1 bytes_out:[1 TO 2] bytes_in:3 duration:4 client.address:1.2.3.4 ' +
  'client.address:1.0.0.0/8 client.address:[1.1.1.1 TO 1.1.1.2] class:k detection:d',
)).sql;
const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|\$\d+|[A-Za-z_][A-Za-z0-9_]*|<<=|::|@>|&&|\|\||<=|>=|[()[\],.=<>~]|\s+|./gsy;
const tokensOf = (s: string) => s.match(TOKEN) ?? [];
const VOCABULARY = new Set(tokensOf(REFERENCE).filter((t) => !/^\s+$/.test(t) && !/^\$\d+$/.test(t)));

/** The literal texts the user typed as values and words (when the input lexes). */
function userTexts(input: string): string[] {
  try {
    return lex(input).flatMap((t) => (t.kind === 'value' ? t.parts.flatMap((p) => (p.kind === 'lit' ? [p.text] : [])) : []));
  } catch {
    return [];
  }
}

/** Checks one input; returns a description of what went wrong, or null. */
function check(input: string): string | null {
  let query;
  try {
    query = parse(input);
  } catch (e) {
    if (!(e instanceof QueryError)) return `threw ${String(e)}`;
    if (!Number.isInteger(e.column) || e.column < 1 || e.column > input.length + 1) return `column ${e.column} outside the input`;
    if (!e.message.startsWith(`col ${e.column}: `) || e.detail.length < 5) return `unhelpful message ${e.message}`;
    return null;
  }
  let sql: string;
  let params: unknown[];
  try {
    ({ sql, params } = dialect.sqlToQuery(compile(query)));
  } catch (e) {
    return `compile threw ${String(e)}`;
  }
  for (const t of tokensOf(sql)) {
    if (/^\s+$/.test(t)) continue;
    const placeholder = /^\$(\d+)$/.exec(t);
    if (placeholder ? Number(placeholder[1]) > params.length : !VOCABULARY.has(t)) return `SQL token ${JSON.stringify(t)} is not the compiler's own: ${sql}`;
  }
  for (const text of userTexts(input)) {
    if (text.length >= 4 && !REFERENCE.includes(text) && sql.includes(text)) return `the value ${JSON.stringify(text)} is in the SQL text`;
  }
  for (const p of params) {
    if (typeof p === 'number' ? !Number.isFinite(p) : typeof p !== 'string' || /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(p)) {
      return `parameter ${JSON.stringify(p)} cannot be sent as text or a number`;
    }
  }
  return null;
}

describe('query fuzz', () => {
  const inputs = hostileQueries(SEED, 6000);

  it('answers every hostile input with a QueryError in the input or with parameters only', () => {
    const failures = inputs.map((input) => ({ input, problem: check(input) })).filter((f) => f.problem);
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('accepts many inputs and refuses many, some over the length limit', () => {
    let ok = 0;
    let errors = 0;
    for (const input of inputs) {
      try {
        compile(parse(input));
        ok++;
      } catch {
        errors++;
      }
    }
    // a corpus that only ever fails to parse would prove nothing about the compiler
    expect(ok).toBeGreaterThan(1000);
    expect(errors).toBeGreaterThan(1000);
    expect(inputs.some((s) => s.length > 2000)).toBe(true);
  });

  it('has a vocabulary check that catches a value in the SQL text', () => {
    expect(VOCABULARY.has('drop')).toBe(false);
    expect(tokensOf(`"path" = 'x'; drop`).filter((t) => t.trim() && !VOCABULARY.has(t))).toEqual([`'x'`, ';', 'drop']);
  });
});
