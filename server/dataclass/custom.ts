// Custom classes an admin defines: validated (name, regex, validator, hints), compiled, and run
// over a value's text window by window.
import { BUILTIN_CLASSES } from './classes';
import { ibanMod97 } from './iban';
import { compileHint } from './json-paths';
import { luhnValid } from './luhn';
import { MAX_TOKEN } from './matchers';
import type { CompiledCustomClass, CompiledHint, CustomClassDef, Validator } from './types';

export const MAX_PATTERN_LENGTH = 512;
export const MAX_HINTS = 16;
/** The largest repetition bound a pattern may use ({1,1024}): matching stays linear in the body. */
export const MAX_REPEAT = 1024;
export const MAX_CUSTOM_CLASSES = 64;
const NAME = /^[a-z][a-z0-9_]{0,63}$/;
// probes for zero-length matches: a pattern must consume at least one character wherever it matches
let printable = '';
for (let c = 32; c < 127; c++) printable += String.fromCharCode(c);
const PROBES = ['', 'a', 'Z', '0', ' ', '\n', printable + '\n\t' + printable.toLowerCase() + '0123456789'];

/**
 * Why a pattern cannot run in the proxy: features PCRE (njs) and V8 read differently or not at
 * all, and repeated groups that contain repetition or alternation (catastrophic backtracking,
 * `(a+)+`, `(a|a)*`). Returns an error message or null.
 */
function patternProblem(p: string): string | null {
  // groups: for each open group, whether it holds an unbounded repetition or an alternation
  const risky: boolean[] = [];
  let inClass = false;
  let lastGroupRisky = false;
  for (let i = 0; i < p.length; i++) {
    const c = p.charAt(i);
    if (c === '\\') {
      const e = p.charAt(i + 1);
      if (e >= '1' && e <= '9') return 'back-references (\\1) are not supported';
      if (e === 'k' && p.charAt(i + 2) === '<') return 'named back-references (\\k<…>) are not supported';
      if (e === 'p' || e === 'P') return 'Unicode property escapes (\\p{…}) are not supported';
      if (e === 'u' && p.charAt(i + 2) === '{') return 'code point escapes (\\u{…}) are not supported';
      i++;
      lastGroupRisky = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      if (p.startsWith('[^]', i) || p.startsWith('[]', i)) return 'empty character classes ([] and [^]) are not supported';
      inClass = true;
      lastGroupRisky = false;
      continue;
    }
    if (c === '(') {
      if (p.startsWith('(?<=', i) || p.startsWith('(?<!', i)) return 'look-behind ((?<=…), (?<!…)) is not supported';
      if (p.startsWith('(?<', i)) return 'named groups ((?<name>…)) are not supported; use (?:…)';
      risky.push(false);
      lastGroupRisky = false;
      continue;
    }
    if (c === ')') {
      if (risky.length === 0) return null; // unbalanced: the RegExp constructor reports it
      lastGroupRisky = risky.pop() as boolean;
      if (lastGroupRisky && risky.length > 0) risky[risky.length - 1] = true;
      const q = p.charAt(i + 1);
      if (lastGroupRisky && (q === '*' || q === '+' || (q === '{' && /^\{[0-9]*,[0-9]*\}|^\{[0-9]{2,}\}/.test(p.slice(i + 1))))) {
        return 'a repeated group may not contain another repetition or an alternation (like (a{1,9}){1,9} or (a|b){1,20}): it can take exponential time; use a character class such as [ab]{1,20}';
      }
      continue;
    }
    if (c === '*' || c === '+') {
      return 'unbounded repetition (' + c + ') is not allowed: give a bound such as {1,64} (at most {0,' + MAX_REPEAT + '}), so a match can cost no more than its bound';
    }
    if (c === '{') {
      const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(p.slice(i));
      if (m !== null) {
        if (m[2] !== undefined && m[3] === '') return 'unbounded repetition ({' + m[1] + ',}) is not allowed: give an upper bound (at most ' + MAX_REPEAT + ')';
        if (+(m[3] || m[1]) > MAX_REPEAT) return 'repetition bounds are at most ' + MAX_REPEAT;
      }
    }
    if (c === '|' && risky.length > 0) risky[risky.length - 1] = true;
    if ((c === '*' || c === '+' || c === '{') && risky.length > 0) risky[risky.length - 1] = true;
    lastGroupRisky = false;
  }
  return null;
}

/** The problems with a definition, as messages a person can act on; empty when it is valid. */
export function validateCustomClass(def: CustomClassDef): string[] {
  const errors: string[] = [];
  if (def === null || typeof def !== 'object') return ['a custom class must be an object {name, pattern, validator?, jsonPathHints?}'];
  const name = def.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    errors.push('name must be a lower-case letter then up to 63 lower-case letters, digits or _ (like employee_id)');
  } else if (BUILTIN_CLASSES.indexOf(name) >= 0) {
    errors.push('name "' + name + '" is a built-in class; choose another name');
  }
  const pattern = def.pattern;
  if (typeof pattern !== 'string' || pattern.length === 0) {
    errors.push('pattern must be a non-empty regular expression (source text, no slashes or flags)');
  } else if (pattern.length > MAX_PATTERN_LENGTH) {
    errors.push('pattern is ' + pattern.length + ' characters; at most ' + MAX_PATTERN_LENGTH + ' are allowed');
  } else {
    const problem = patternProblem(pattern);
    let re: RegExp | null = null;
    if (problem !== null) errors.push('pattern: ' + problem);
    else {
      try {
        re = new RegExp(pattern, 'g');
      } catch (e) {
        errors.push('pattern does not compile: ' + (e as Error).message);
      }
    }
    if (re !== null) {
      let empty = false;
      for (let i = 0; i < PROBES.length && !empty; i++) {
        re.lastIndex = 0;
        for (let guard = 0; guard < 1000; guard++) {
          const m = re.exec(PROBES[i]);
          if (m === null) break;
          if (m[0].length === 0) {
            empty = true;
            break;
          }
        }
      }
      re.lastIndex = 0;
      if (empty) errors.push('pattern can match the empty string (or only a position, like \\b or (?=x)); it must always consume at least one character');
    }
  }
  const validator = def.validator;
  if (validator !== undefined && validator !== 'luhn' && validator !== 'mod97' && validator !== 'none') {
    errors.push('validator must be "luhn", "mod97" or "none"');
  }
  const hints = def.jsonPathHints;
  if (hints !== undefined) {
    if (!Array.isArray(hints)) errors.push('jsonPathHints must be a list of paths or key names');
    else if (hints.length > MAX_HINTS) errors.push('at most ' + MAX_HINTS + ' jsonPathHints are allowed');
    else {
      for (let i = 0; i < hints.length; i++) {
        const h = compileHint(hints[i]);
        if (typeof h === 'string') errors.push('jsonPathHints[' + i + ']: ' + h);
      }
    }
  }
  return errors;
}

/** Compiled custom classes; throws an Error naming every problem (`custom class 2 ("pan"): …`). */
export function compileCustomClasses(defs: CustomClassDef[]): CompiledCustomClass[] {
  if (!Array.isArray(defs)) throw new Error('custom classes must be a list');
  if (defs.length > MAX_CUSTOM_CLASSES) throw new Error('at most ' + MAX_CUSTOM_CLASSES + ' custom classes are allowed');
  const problems: string[] = [];
  const out: CompiledCustomClass[] = [];
  const seen: Record<string, boolean> = Object.create(null);
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i];
    const errors = validateCustomClass(def);
    const label = 'custom class ' + (i + 1) + (def && typeof def.name === 'string' ? ' ("' + def.name.slice(0, 64) + '")' : '');
    if (errors.length === 0 && seen[def.name]) errors.push('name "' + def.name + '" is used by an earlier class');
    if (errors.length > 0) {
      problems.push(label + ': ' + errors.join('; '));
      continue;
    }
    seen[def.name] = true;
    let hints: CompiledHint[] | null = null;
    if (def.jsonPathHints !== undefined && def.jsonPathHints.length > 0) {
      hints = [];
      for (let h = 0; h < def.jsonPathHints.length; h++) hints.push(compileHint(def.jsonPathHints[h]) as CompiledHint);
    }
    out.push({ name: def.name, re: new RegExp(def.pattern, def.ignoreCase ? 'gi' : 'g'), validator: def.validator || 'none', hints: hints });
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return out;
}

function passes(validator: Validator, text: string): boolean {
  if (validator === 'luhn') {
    const digits = text.replace(/[^0-9]/g, '');
    return digits.length >= 2 && luhnValid(digits);
  }
  if (validator === 'mod97') {
    const compact = text.replace(/[^A-Za-z0-9]/g, '');
    return compact.length >= 5 && ibanMod97(compact) === 1;
  }
  return true;
}

/**
 * The custom class's matches in s, emitted when they start in [acceptFrom, acceptTo). A match
 * touching the end of a non-final window, or longer than MAX_TOKEN, is not counted (the next
 * window sees it whole).
 */
export function scanCustom(cls: CompiledCustomClass, s: string, acceptFrom: number, acceptTo: number, final: boolean, emit: (start: number, end: number) => void): void {
  const re = cls.re;
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(s);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) {
      re.lastIndex = start + 1; // cannot happen for validated patterns; never loop
      continue;
    }
    if (start >= acceptTo) break;
    if (start >= acceptFrom && (final || end < s.length) && end - start <= MAX_TOKEN && passes(cls.validator, m[0])) emit(start, end);
  }
  re.lastIndex = 0;
}
