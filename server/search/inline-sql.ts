// A statement with its parameters written in as literals, for the one kind of statement that
// takes no parameters: COPY (the export's fast path, export-copy.ts). Each value goes through the
// driver's literal quoting (pg's escapeLiteral), and only where the statement text has a real
// `$n` (not inside a string, a quoted name or a comment), so a value is always one literal.
// A quoted literal has no type until its context gives it one, exactly as an untyped parameter,
// so the statement means the same with either.
import { escapeLiteral } from 'pg';

/** What a parameter may hold here; anything else (arrays, objects) is refused. */
function literal(value: unknown): string | null {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value.includes('\0') ? null : escapeLiteral(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return escapeLiteral(String(value));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : escapeLiteral(value.toISOString());
  return null;
}

/**
 * `text` with each `$n` replaced by params[n - 1] as a literal; null when a parameter cannot be
 * written as one (a NUL, which PostgreSQL text cannot hold, an array, an object) or the text
 * names a parameter it was not given. Knows PostgreSQL's lexical forms that may hold a `$`:
 * '…' (with ''), E'…' (with backslash escapes), "…", $tag$…$tag$, -- and /* comments.
 */
export function inlineParams(text: string, params: readonly unknown[]): string | null {
  const literals = params.map(literal);
  if (literals.some((l) => l === null)) return null;
  let out = '';
  let i = 0;
  let copied = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === "'") {
      // E'…' / e'…': a backslash escapes the next character (the letter was copied as a word character)
      const prev = i > 0 ? text[i - 1] : '';
      const escapes = (prev === 'E' || prev === 'e') && !/[A-Za-z0-9_$]/.test(i > 1 ? text[i - 2] : '');
      i += 1;
      while (i < n) {
        if (escapes && text[i] === '\\') i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") break;
        else i += 1;
      }
      if (i >= n) return null;
      i += 1;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end === -1) return null;
      // a "" inside a name is two quoted names back to back here: the same skip
      i = end + 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      // block comments nest in PostgreSQL
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') { depth += 1; i += 2; }
        else if (text[i] === '*' && text[i + 1] === '/') { depth -= 1; i += 2; }
        else i += 1;
      }
      if (depth > 0) return null;
    } else if (c === '$') {
      const param = /^\$(\d+)/.exec(text.slice(i, i + 12));
      if (param && !/[A-Za-z0-9_]/.test(i > 0 ? text[i - 1] : '')) {
        const k = Number(param[1]);
        if (k < 1 || k > literals.length) return null;
        out += text.slice(copied, i) + literals[k - 1];
        i += param[0].length;
        copied = i;
        continue;
      }
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag && !/[A-Za-z0-9_]/.test(i > 0 ? text[i - 1] : '')) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        if (end === -1) return null;
        i = end + tag[0].length;
      } else {
        i += 1;
      }
    } else {
      i += 1;
    }
  }
  return out + text.slice(copied);
}
