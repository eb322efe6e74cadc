// nginx configuration as text: the one quoting function every data-bearing token goes through,
// a renderer from directives to text, and a tokenizer that reads text back exactly the way
// nginx's ngx_conf_read_token does (src/core/ngx_conf_file.c), so a compiled policy can be
// parsed back and compared with what was meant before it is signed.
//
// How nginx reads a token, and why one quoting function is enough:
// - A token that starts with `"` runs to the next unescaped `"`; inside it `;`, `{`, `}`, `#`,
//   `'`, spaces and newlines are plain characters. Only `\` (escapes the next character) and
//   `"` (ends the token) are special. After reading, `\"`, `\'`, `\\` become the character and
//   `\t`, `\r`, `\n` a tab, CR, LF; any other `\x` stays `\x` (what PCRE sees).
// - `$` is not interpolated in `map`/`geo` keys (the only place data goes: regex keys and
//   strings to match); it is in complex values (a map's source, `return` text), where nginx
//   has no escape for it, so data never goes there: those hold only variable names checked by
//   `nginxVariable`.
// - A comment runs from `#` at the start of a token to LF (not CR, not U+2028); comments are
//   written by `nginxComment`, which keeps them to printable ASCII on one line.
// - NUL cannot be represented (PCRE1 builds read patterns as C strings) and lone surrogates
//   have no UTF-8: both are refused.

import { printableAscii } from './ascii';

export interface NginxDirective {
  name: string;
  args: string[];
  block?: NginxDirective[];
}

export class NginxTextError extends Error {}

/** A token nginx reads back as exactly `s`: double-quoted, `\` and `"` escaped. */
export function nginxQuote(s: string): string {
  if (s.includes('\u0000')) throw new NginxTextError('nginx configuration cannot hold a NUL character');
  if (!s.isWellFormed()) throw new NginxTextError('nginx configuration cannot hold a lone surrogate (not encodable as UTF-8)');
  return `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

const VARIABLE = /^\$[a-z_][a-z0-9_]*$/;

/** A variable reference (`$http_x_meshward_caller`), checked: it is written where nginx interpolates. */
export function nginxVariable(name: string): string {
  if (!VARIABLE.test(name)) throw new NginxTextError(`"${printableAscii(name)}" is not an nginx variable name ($ followed by a–z, 0–9 and _)`);
  return name;
}

export function nginxComment(text: string): string {
  return `# ${printableAscii(text)}`;
}

// Tokens written without quotes: fixed words, variables, `if` conditions, numbers, addresses.
// Never starting with a quote, `#`, `\` or `$` followed by `{`; holding nothing that ends or
// escapes a token.
const BARE = /^[A-Za-z0-9_$(~=][A-Za-z0-9_$.:/=()~-]*$/;

function token(s: string): string {
  return BARE.test(s) ? s : nginxQuote(s);
}

/** Directives as nginx.conf text, one per line, blocks indented. */
export function renderNginx(directives: NginxDirective[], indent = ''): string {
  let out = '';
  for (const d of directives) {
    const head = [d.name, ...d.args].map(token).join(' ');
    if (!d.block) out += `${indent}${head};\n`;
    else if (d.block.length === 1 && !d.block[0].block && indent === '' && d.name === 'if') out += `${head} { ${renderNginx(d.block).trim()} }\n`;
    else out += `${indent}${head} {\n${renderNginx(d.block, indent + '    ')}${indent}}\n`;
  }
  return out;
}

const SPACE = new Set([' ', '\t', '\r', '\n']);

/** A token's characters as nginx copies them (the unescaping loop of ngx_conf_read_token). */
function unescape(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; ) {
    if (raw[i] === '\\') {
      const next = raw[i + 1];
      if (next === '"' || next === "'" || next === '\\') {
        i++;
      } else if (next === 't' || next === 'r' || next === 'n') {
        out += next === 't' ? '\t' : next === 'r' ? '\r' : '\n';
        i += 2;
        continue;
      }
    }
    out += raw[i++];
  }
  return out;
}

type End = 'statement' | 'block' | 'close' | 'eof';

/**
 * Text as nginx parses an included file: directives and blocks, comments dropped, quotes and
 * escapes resolved. Throws where nginx would refuse the file (the message is nginx's).
 */
export function tokenizeNginx(text: string): NginxDirective[] {
  let i = 0;

  const statement = (): { words: string[]; end: End } => {
    const words: string[] = [];
    let lastSpace = true;
    let needSpace = false;
    let comment = false;
    let quoted = false;
    let dQuoted = false;
    let sQuoted = false;
    let variable = false;
    let start = 0;
    for (;;) {
      if (i >= text.length) {
        if (words.length > 0 || !lastSpace) throw new NginxTextError('unexpected end of file, expecting ";" or "}"');
        return { words, end: 'eof' };
      }
      const ch = text[i++];
      if (ch === '\n') comment = false;
      if (comment) continue;
      if (quoted) {
        quoted = false;
        continue;
      }
      if (needSpace) {
        if (SPACE.has(ch)) {
          lastSpace = true;
          needSpace = false;
          continue;
        }
        if (ch === ';') return { words, end: 'statement' };
        if (ch === '{') return { words, end: 'block' };
        if (ch === ')') {
          lastSpace = true;
          needSpace = false;
        } else {
          throw new NginxTextError(`unexpected "${ch}"`);
        }
      }
      if (lastSpace) {
        start = i - 1;
        if (SPACE.has(ch)) continue;
        switch (ch) {
          case ';':
          case '{':
            if (words.length === 0) throw new NginxTextError(`unexpected "${ch}"`);
            return { words, end: ch === '{' ? 'block' : 'statement' };
          case '}':
            if (words.length !== 0) throw new NginxTextError('unexpected "}"');
            return { words, end: 'close' };
          case '#':
            comment = true;
            continue;
          case '\\':
            quoted = true;
            lastSpace = false;
            continue;
          case '"':
            start++;
            dQuoted = true;
            lastSpace = false;
            continue;
          case "'":
            start++;
            sQuoted = true;
            lastSpace = false;
            continue;
          case '$':
            variable = true;
            lastSpace = false;
            continue;
          default:
            lastSpace = false;
        }
      } else {
        if (ch === '{' && variable) continue;
        variable = false;
        if (ch === '\\') {
          quoted = true;
          continue;
        }
        if (ch === '$') {
          variable = true;
          continue;
        }
        let found = false;
        if (dQuoted) {
          if (ch === '"') {
            dQuoted = false;
            needSpace = true;
            found = true;
          }
        } else if (sQuoted) {
          if (ch === "'") {
            sQuoted = false;
            needSpace = true;
            found = true;
          }
        } else if (SPACE.has(ch) || ch === ';' || ch === '{') {
          lastSpace = true;
          found = true;
        }
        if (found) {
          words.push(unescape(text.slice(start, i - 1)));
          if (ch === ';') return { words, end: 'statement' };
          if (ch === '{') return { words, end: 'block' };
        }
      }
    }
  };

  const block = (top: boolean): NginxDirective[] => {
    const out: NginxDirective[] = [];
    for (;;) {
      const s = statement();
      if (s.end === 'eof') {
        if (!top) throw new NginxTextError('unexpected end of file, expecting "}"');
        return out;
      }
      if (s.end === 'close') {
        // an included file cannot close the block it is included in
        if (top) throw new NginxTextError('unexpected "}"');
        return out;
      }
      const d: NginxDirective = { name: s.words[0], args: s.words.slice(1) };
      if (s.end === 'block') d.block = block(false);
      out.push(d);
    }
  };
  return block(true);
}
