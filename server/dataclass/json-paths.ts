// JSON paths of scanned values (`$.items[0].pan`, `$['a b']`) and the path hints custom classes use.
import type { CompiledHint } from './types';

/** True when the key is an identifier, [A-Za-z_$][A-Za-z0-9_$]* (walked: keys are short, a RegExp call is not). */
function isIdent(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || (i > 0 && c >= 48 && c <= 57))) return false;
  }
  return true;
}

/** The path segment for an object key. */
export function keySegment(key: string): string {
  if (isIdent(key)) return '.' + key;
  if (key.indexOf('\\') < 0 && key.indexOf("'") < 0) return "['" + key + "']";
  return "['" + key.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "']";
}

/** The path segment for an array index. */
export function indexSegment(index: number): string {
  return '[' + index + ']';
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
// one JSONPath step of the supported subset: .name  ..name  .*  [n]  [*]  ['name']
const STEP = /^(?:\.\.[A-Za-z_$][A-Za-z0-9_$]*|\.[A-Za-z_$][A-Za-z0-9_$]*|\.\*|\[[0-9]{1,9}\]|\[\*\]|\['(?:[^'\\]|\\.){1,64}'\])/;
const ANY_STEP = "(?:\\.[A-Za-z_$][A-Za-z0-9_$]*|\\[[0-9]+\\]|\\['(?:[^'\\\\]|\\\\.)*'\\])";

/**
 * A hint as given by an admin: a bare key name (`pan`: the value sits directly under that key, any
 * depth), or a path of the subset `$`, `.name`, `..name`, `.*`, `[n]`, `[*]`, `['name']`.
 * Returns the compiled hint or an error message.
 */
export function compileHint(hint: string): CompiledHint | string {
  if (typeof hint !== 'string' || hint.length === 0) return 'a JSON-path hint must be a non-empty string';
  if (hint.length > 256) return 'a JSON-path hint is at most 256 characters';
  if (hint.charAt(0) !== '$') {
    if (!BARE_KEY.test(hint)) return 'hint "' + hint + '" is neither a key name (letters, digits, _ and -) nor a path starting with $';
    return { key: hint.toLowerCase(), path: null };
  }
  let rest = hint.slice(1);
  let re = '^\\$';
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (m === null) return 'hint "' + hint + '": cannot read the path at "' + rest.slice(0, 20) + '" (supported: .name ..name .* [n] [*] [\'name\'])';
    const step = m[0];
    if (step.startsWith('..')) re += ANY_STEP + '*' + escapeRegex(step.slice(1));
    else if (step === '.*' || step === '[*]') re += step === '[*]' ? '\\[[0-9]+\\]' : ANY_STEP;
    else re += escapeRegex(step);
    rest = rest.slice(step.length);
  }
  return { key: null, path: new RegExp(re + '$') };
}

/** True when a value at `path` directly under key `key` (either may be null) satisfies one of the hints. */
export function hintsMatch(hints: CompiledHint[], path: string | null, key: string | null): boolean {
  const lower = key === null ? null : key.toLowerCase();
  for (let i = 0; i < hints.length; i++) {
    const h = hints[i];
    if (h.key !== null) {
      if (lower !== null && lower === h.key) return true;
    } else if (h.path !== null && path !== null && h.path.test(path)) return true;
  }
  return false;
}
