// The streaming scanner: one per body and direction, fed string chunks split anywhere. It reads
// JSON (tracking each value's path and decoding string escapes), form-urlencoded bodies (per field,
// percent-decoded) or text, gathers each value's text — in fixed windows with an overlap for very
// long values, so memory stays bounded — and runs the matchers once over each window. Only counts,
// paths and redacted samples are kept: a matched value is never stored.
//
// The state is one object literal and the functions are module-level (no closures per body: a
// scanner is made per request, so its set-up must cost next to nothing).
import { BUILTIN_CLASSES, HINT_PASSWORD, keyHints, PASSWORD } from './classes';
import { scanCustom } from './custom';
import { hintsMatch, indexSegment, keySegment } from './json-paths';
import type { Emit } from './matchers';
import { LOOP_SCAN_MAX, MAX_TOKEN, scanBuiltins, scanJsonString, scanValueAt, WALK } from './matchers';
import { maskedWithLength, redactedSample } from './samples';
import type { ClassResult, CompiledCustomClass, CompiledHint, PathCount, ScanOptions, ScanResult, Scanner } from './types';

/** Window over a long value; consecutive windows overlap so a match on the seam is seen whole. */
export const WINDOW = 65536;
const CONTEXT = 256;
const OVERLAP = MAX_TOKEN + CONTEXT;
/** Nesting deeper than this is read as text (path null) from there on: the path stack stays bounded. */
export const MAX_DEPTH = 256;
const MAX_KEY = 256;
const MAX_PATH = 1024;
export const DEFAULT_MAX_SCAN_CHARS = 16 * 1024 * 1024;
export const DEFAULT_MAX_PATHS = 32;

const MODE_SNIFF = 0;
const MODE_JSON = 1;
const MODE_FORM = 2;
const MODE_TEXT = 3;

// what the JSON reader expects next
const EXPECT_VALUE = 0;
const EXPECT_KEY = 1; // or the end of an object
const EXPECT_COLON = 2;
const EXPECT_AFTER = 3; // , or the end of the container

const OBJ = 1;
const ARR = 2;

/** Internal: what redaction needs to see of each match (the value's text and raw offsets). */
export interface MatchHook {
  window: number;
  /** numeric: the value is a JSON number (a mask of stars would not be JSON) */
  onMatch(cls: number, start: number, end: number, value: string, rawMap: number[], numeric: boolean): void;
}

interface St {
  direction: 'request' | 'response';
  custom: CompiledCustomClass[];
  samples: boolean;
  maxPaths: number;
  maxScan: number;
  window: number;
  hook: MatchHook | null;
  on: boolean[];
  names: string[];
  counts: number[];
  pathList: (PathCount[] | null)[];
  other: number[];
  sample: (string | null)[];
  mode: number;
  format: number;
  scanned: number;
  truncated: boolean;
  rawBase: number;
  // the value being gathered
  inValue: boolean;
  acc: string;
  accBase: number;
  accFirst: boolean;
  valueHints: number;
  valueKey: string | null;
  valuePath: string | null;
  pathKnown: boolean;
  customOk: boolean[] | null;
  rawMap: number[];
  curSeg: string;
  // JSON reader
  stackType: number[];
  stackKey: (string | null)[];
  stackIndex: number[];
  stackHints: number[];
  /**
   * stackPre[d]: the path of the level-d container ($ and the segments of levels 0..d-1, growing no
   * further once MAX_PATH long), made when a path is first needed; entries below preOk are current
   * (a new key or index at level d makes those above d stale)
   */
  stackPre: string[];
  preOk: number;
  expect: number;
  str: number; // 0: not in a string, 1: key, 2: value
  esc: number; // 0: none, 1: after \, 2..5: \u hex digits read + 2
  escHex: number;
  escRaw: number;
  inNumber: boolean;
  inLiteral: boolean;
  literal: string;
  literalAt: number;
  literalBad: boolean;
  key: string;
  // form reader
  formInKey: boolean;
  pct: number; // 0: none, 1: after %, 2: one hex digit read
  pctHex: number;
  pctRaw: number;
  pctText: string;
}

function formatOf(contentType: string | null | undefined): number {
  if (contentType === null || contentType === undefined || contentType === '') return MODE_SNIFF;
  const ct = contentType.toLowerCase();
  if (ct.indexOf('json') >= 0) return MODE_JSON;
  if (ct.indexOf('x-www-form-urlencoded') >= 0) return MODE_FORM;
  return MODE_TEXT;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

// ---- results ----

function currentPath(st: St): string | null {
  if (st.pathKnown) return st.valuePath;
  st.pathKnown = true;
  if (st.mode === MODE_FORM) st.valuePath = st.valueKey;
  else if (st.mode !== MODE_JSON) st.valuePath = null;
  else {
    // sibling values share their container's path: only the segments since the last change are added
    const depth = st.stackType.length;
    const pre = st.stackPre;
    let d = st.preOk;
    if (d === 0) {
      pre[0] = '$';
      d = 1;
    }
    for (; d <= depth; d++) {
      const p = pre[d - 1];
      if (p.length >= MAX_PATH) pre[d] = p;
      else if (st.stackType[d - 1] === OBJ) {
        const k = st.stackKey[d - 1];
        pre[d] = p + keySegment(k === null ? '' : k);
      } else pre[d] = p + indexSegment(st.stackIndex[d - 1]);
    }
    if (st.preOk < depth + 1) st.preOk = depth + 1;
    const p = pre[depth];
    st.valuePath = p.length > MAX_PATH ? p.slice(0, MAX_PATH) + '…' : p;
  }
  return st.valuePath;
}

/** Level d's key or index is new (or level d is): the paths of containers below it are stale. */
function segmentChanged(st: St, d: number) {
  if (st.preOk > d + 1) st.preOk = d + 1;
}

function countMatch(st: St, cls: number, redacted: string | null) {
  st.counts[cls]++;
  const path = currentPath(st);
  // at most maxPaths entries: a linear search beats hashing a fresh path string
  let list = st.pathList[cls];
  if (list === null) {
    list = [];
    st.pathList[cls] = list;
  }
  let at = -1;
  for (let j = list.length - 1; j >= 0; j--) {
    if (list[j].path === path) {
      at = j;
      break;
    }
  }
  if (at >= 0) list[at].count++;
  else if (list.length < st.maxPaths) list.push({ path: path, count: 1 });
  else st.other[cls]++;
  if (st.samples && st.sample[cls] === null && redacted !== null) st.sample[cls] = redacted;
}

/** The sample of a password value, when one is still wanted: the value only by its length. */
function passwordSample(st: St, length: number): string | null {
  return st.samples && st.sample[PASSWORD] === null ? maskedWithLength(length) : null;
}

function record(st: St, cls: number, start: number, end: number) {
  const seg = st.curSeg;
  countMatch(st, cls, st.samples && st.sample[cls] === null ? redactedSample(st.names[cls], seg, start, end) : null);
  if (st.hook !== null) st.hook.onMatch(cls, st.accBase + start, st.accBase + end, st.acc, st.rawMap, st.inNumber);
}

// ---- values ----

/** The level of the innermost open JSON object (whose key a value belongs to), or -1. */
function innerObject(st: St): number {
  const stackType = st.stackType;
  for (let d = stackType.length - 1; d >= 0; d--) if (stackType[d] === OBJ) return d;
  return -1;
}

/** The value state for a value judged whole (wholeValue, wholeValueAt, countHeld). */
function beginWhole(st: St, hints: number, key: string | null) {
  st.pathKnown = false;
  st.customOk = null;
  st.accBase = 0;
  st.valueHints = hints;
  st.valueKey = key;
}

function startValue(st: St) {
  st.inValue = true;
  st.acc = '';
  st.accBase = 0;
  st.accFirst = true;
  st.pathKnown = false;
  st.customOk = null;
  if (st.hook !== null) st.rawMap = [];
  st.valueHints = 0;
  st.valueKey = null;
  if (st.mode === MODE_JSON) {
    const d = innerObject(st);
    if (d >= 0) {
      st.valueHints = st.stackHints[d];
      st.valueKey = st.stackKey[d];
    }
  } else if (st.mode === MODE_FORM) {
    st.valueKey = st.key;
    st.valueHints = keyHints(st.key);
  }
}

// A match reaches the scanner being written through module state rather than a closure per
// scanner (scannerWrite and scannerEnd set it; writes never nest: a scan runs to completion
// inside one write or end).
let current: St | null = null;

function emitCurrent(cls: number, start: number, end: number) {
  record(current as St, cls, start, end);
}

function scanWindow(st: St, seg: string, from: number, to: number, final: boolean) {
  st.curSeg = seg;
  // nothing built-in is shorter than 6 characters (a@b.co): short values skip the matchers
  if (seg.length >= 6) scanBuiltins(seg, from, to, final, st.valueHints, st.on, emitCurrent);
  const custom = st.custom;
  if (custom.length === 0) return;
  if (st.customOk === null) {
    const ok: boolean[] = [];
    for (let c = 0; c < custom.length; c++) ok.push(custom[c].hints === null || hintsMatch(custom[c].hints as CompiledHint[], currentPath(st), st.valueKey));
    st.customOk = ok;
  }
  for (let c = 0; c < custom.length; c++) {
    if (!st.customOk[c]) continue;
    const cls = BUILTIN_CLASSES.length + c;
    st.curSeg = seg;
    scanCustom(custom[c], seg, from, to, final, function (start, end) {
      record(st, cls, start, end);
    });
  }
}

function flushWindows(st: St) {
  const window = st.window;
  while (st.acc.length >= window) {
    const seg = st.acc.length === window ? st.acc : st.acc.slice(0, window);
    scanWindow(st, seg, st.accFirst ? 0 : CONTEXT, window - OVERLAP + CONTEXT, false);
    st.acc = st.acc.slice(window - OVERLAP);
    st.accBase += window - OVERLAP;
    st.accFirst = false;
  }
}

function append(st: St, s: string, from: number, to: number) {
  st.acc += from === 0 && to === s.length ? s : s.slice(from, to);
  if (st.hook !== null) for (let t = from; t < to; t++) st.rawMap.push(st.rawBase + t);
  if (st.acc.length >= st.window) flushWindows(st);
}

function appendChar(st: St, ch: string, raw: number) {
  st.acc += ch;
  if (st.hook !== null) st.rawMap.push(raw);
  if (st.acc.length >= st.window) flushWindows(st);
}

/** The value is complete; rawEnd: raw offset just after its last character. */
function endValue(st: St, isString: boolean, rawEnd: number) {
  if (!st.inValue) return;
  st.inValue = false;
  if (st.hook !== null) st.rawMap.push(rawEnd);
  scanWindow(st, st.acc, st.accFirst ? 0 : CONTEXT, st.acc.length, true);
  const length = st.accBase + st.acc.length;
  if (isString && length > 0 && st.on[PASSWORD] && (st.valueHints & HINT_PASSWORD) !== 0) {
    // the whole value, by its key; the sample says only how long it is
    countMatch(st, PASSWORD, passwordSample(st, length));
    if (st.hook !== null) st.hook.onMatch(PASSWORD, 0, length, st.acc, st.rawMap, false);
  }
  st.acc = '';
}

/** wholeValue for a JSON value: its hints and key are those of the innermost object. */
function wholeJsonValue(st: St, s: string, from: number, to: number, isString: boolean) {
  const d = innerObject(st);
  if (d >= 0) wholeValue(st, s, from, to, isString, st.stackHints[d], st.stackKey[d]);
  else wholeValue(st, s, from, to, isString, 0, null);
}

// matches held while a JSON string is walked, until its closing quote shows they count
const heldCls: number[] = [];
const heldStart: number[] = [];
const heldEnd: number[] = [];
let held = 0;

const hold: Emit = function (cls, start, end) {
  heldCls[held] = cls;
  heldStart[held] = start;
  heldEnd[held] = end;
  held++;
};

/**
 * A JSON string value from `from` (just after its quote) walked once to find both its end and its
 * matches, when it has no escape and ends in this chunk within a window: what wholeValueAt does
 * for it, without searching for the quote first. Returns the closing quote's offset, or (nothing
 * counted) -1 - the offset of its first backslash, or -1 - the end of the chunk or window.
 */
function jsonStringAt(st: St, s: string, from: number): number {
  const d = innerObject(st);
  const hints = d >= 0 ? st.stackHints[d] : 0;
  const key = d >= 0 ? st.stackKey[d] : null;
  held = 0;
  const end = scanJsonString(s, from, from + st.window < s.length ? from + st.window : s.length, hints, st.on, hold);
  if (end >= 0) countHeld(st, s, from, end, hints, key);
  return end;
}

/** The value s[from, end) walked whole: what wholeValueAt counts for it, its matches being the ones held. */
function countHeld(st: St, s: string, from: number, end: number, hints: number, key: string | null) {
  const password = end > from && (hints & HINT_PASSWORD) !== 0 && st.on[PASSWORD];
  if (held === 0 && !password) return; // nothing to count: the value's state is not needed
  beginWhole(st, hints, key);
  st.curSeg = s;
  for (let k = 0; k < held; k++) record(st, heldCls[k], heldStart[k], heldEnd[k]);
  if (password) countMatch(st, PASSWORD, passwordSample(st, end - from));
}

/** wholeValueAt for a JSON string value s[from, to): its hints and key are those of the innermost object. */
function wholeJsonStringAt(st: St, s: string, from: number, to: number) {
  const d = innerObject(st);
  if (d >= 0) wholeValueAt(st, s, from, to, st.stackHints[d], st.stackKey[d]);
  else wholeValueAt(st, s, from, to, 0, null);
}

/**
 * A whole value that lies inside one chunk with no escape (its raw text is its text): what
 * startValue, append and endValue do for it, without gathering it. Only without a redaction hook
 * (which needs the raw offsets) and for values shorter than a window.
 */
function wholeValue(st: St, s: string, from: number, to: number, isString: boolean, hints: number, key: string | null) {
  beginWhole(st, hints, key);
  const length = to - from;
  if (length >= 6 || st.custom.length > 0) {
    const v = from === 0 && to === s.length ? s : s.slice(from, to);
    st.acc = v;
    scanWindow(st, v, 0, length, true);
    st.acc = '';
  }
  if (isString && length > 0 && (hints & HINT_PASSWORD) !== 0 && st.on[PASSWORD]) countMatch(st, PASSWORD, passwordSample(st, length));
}

/**
 * wholeValue for a string value between boundary characters (a JSON string's quotes, a form
 * value's = and &): a short one is scanned where it lies, without copying it out. Custom classes'
 * regular expressions see the whole string they run on, so with them the value is copied.
 */
function wholeValueAt(st: St, s: string, from: number, to: number, hints: number, key: string | null) {
  const length = to - from;
  if (length > LOOP_SCAN_MAX || st.custom.length > 0) {
    wholeValue(st, s, from, to, true, hints, key);
    return;
  }
  beginWhole(st, hints, key);
  if (length >= 6) {
    st.curSeg = s;
    scanValueAt(s, from, to, hints, st.on, emitCurrent);
  }
  if (length > 0 && (hints & HINT_PASSWORD) !== 0 && st.on[PASSWORD]) countMatch(st, PASSWORD, passwordSample(st, length));
}

// ---- text ----

function writeText(st: St, s: string, from: number) {
  if (!st.inValue) startValue(st);
  append(st, s, from, s.length);
}

/** Not JSON after all (or nested too deep): the rest of the body is text. */
function toText(st: St, s: string, from: number) {
  if (st.inValue) endValue(st, st.str === 2, st.rawBase + from);
  st.str = 0;
  st.inNumber = false;
  st.inLiteral = false;
  st.mode = MODE_TEXT;
  writeText(st, s, from);
}

// ---- form ----

function formChar(st: St, ch: string, raw: number) {
  if (st.formInKey) {
    if (st.key.length < MAX_KEY) st.key += ch;
  } else appendChar(st, ch, raw);
}

function writeForm(st: St, s: string) {
  const n = s.length;
  let i = 0;
  while (i < n) {
    if (st.pct > 0) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) {
        // not an escape: the % and what followed are literal
        const text = st.pctText;
        st.pct = 0;
        for (let t = 0; t < text.length; t++) formChar(st, text.charAt(t), st.pctRaw + t);
        continue;
      }
      st.pctHex = st.pctHex * 16 + h;
      st.pctText += s.charAt(i);
      i++;
      if (st.pct === 1) {
        st.pct = 2;
        continue;
      }
      st.pct = 0;
      formChar(st, String.fromCharCode(st.pctHex), st.pctRaw);
      continue;
    }
    let k = i;
    for (; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c === 37 || c === 38 || c === 43 || c === 61) break;
    }
    if (k > i) {
      if (st.formInKey) {
        if (st.key.length < MAX_KEY) st.key += s.slice(i, Math.min(k, i + MAX_KEY - st.key.length));
      } else append(st, s, i, k);
    }
    if (k >= n) break;
    const c = s.charCodeAt(k);
    if (c === 37) {
      if (k + 2 < n) {
        // the whole escape in this chunk: decode it at once
        const h1 = hexValue(s.charCodeAt(k + 1));
        const h2 = h1 < 0 ? -1 : hexValue(s.charCodeAt(k + 2));
        if (h2 >= 0) {
          formChar(st, String.fromCharCode(h1 * 16 + h2), st.rawBase + k);
          i = k + 3;
          continue;
        }
      }
      st.pct = 1;
      st.pctHex = 0;
      st.pctRaw = st.rawBase + k;
      st.pctText = '%';
    } else if (c === 43) formChar(st, ' ', st.rawBase + k);
    else if (c === 61) {
      if (st.formInKey) {
        if (st.hook === null) {
          // the common case: the whole value, without escapes, in this chunk and ended by &
          let j = k + 1;
          for (; j < n; j++) {
            const d = s.charCodeAt(j);
            if (d === 37 || d === 38 || d === 43) break;
          }
          if (j < n && s.charCodeAt(j) === 38 && j - k - 1 < st.window) {
            wholeValueAt(st, s, k + 1, j, keyHints(st.key), st.key);
            st.key = '';
            i = j + 1;
            continue;
          }
        }
        st.formInKey = false;
        startValue(st);
      } else appendChar(st, '=', st.rawBase + k);
    } else {
      // &
      if (!st.formInKey) endValue(st, true, st.rawBase + k);
      st.formInKey = true;
      st.key = '';
    }
    i = k + 1;
  }
}

// ---- JSON ----

/** Where the string decodeJsonString read ends: the offset of its closing quote. */
let decodedEnd = 0;

/**
 * The text of a JSON string whose raw text starts at `from` (backslash: its first backslash, with
 * no quote before it), when the whole string lies in s and spans less than `limit` characters;
 * null otherwise (then the caller reads it escape by escape). Decoded as writeJson does it.
 */
function decodeJsonString(s: string, from: number, backslash: number, limit: number): string | null {
  const stop = from + limit < s.length ? from + limit : s.length;
  // the closing quote: the first after an even run of backslashes (a backslash always escapes the
  // next character; a broken \u escape ends before a quote or backslash, being hex digits)
  let q = s.indexOf('"', backslash + 1);
  for (;;) {
    if (q < 0 || q >= stop) return null;
    let k = q - 1;
    while (s.charCodeAt(k) === 92) k--;
    if (((q - 1 - k) & 1) === 0) break;
    q = s.indexOf('"', q + 1);
  }
  decodedEnd = q;
  // V8's JSON.parse decodes a valid string natively, as writeJson would (njs's joins a surrogate
  // pair into one character, where String.fromCharCode gives two replacements there); the rest
  // (a raw control character, a broken escape) is decoded here
  if (WALK) {
    try {
      return JSON.parse(s.slice(from - 1, q + 1)) as string;
    } catch (e) {
      // not valid JSON: decoded below
    }
  }
  return decodeEscapes(s, from, q);
}

/**
 * The text of the raw JSON string s[from, to), decoded as writeJson does: \n \t \r \b \f, \uXXXX,
 * any other escaped character as itself, a broken \u escape dropped and what follows read as text.
 */
function decodeEscapes(s: string, from: number, to: number): string {
  let out = '';
  let i = from;
  for (;;) {
    const b = s.indexOf('\\', i);
    if (b < 0 || b >= to) return out + s.slice(i, to);
    if (b > i) out += s.slice(i, b);
    const c = s.charCodeAt(b + 1);
    if (c !== 117) {
      out += c === 110 ? '\n' : c === 116 ? '\t' : c === 114 ? '\r' : c === 98 ? '\b' : c === 102 ? '\f' : s.charAt(b + 1);
      i = b + 2;
      continue;
    }
    let code = 0;
    let k = b + 2;
    for (; k < b + 6; k++) {
      const h = hexValue(s.charCodeAt(k));
      if (h < 0) break;
      code = code * 16 + h;
    }
    if (k === b + 6) out += String.fromCharCode(code);
    i = k;
  }
}

/**
 * The escaped JSON string value whose quote is at i (its first backslash at b), decoded and
 * scanned whole: the offset after its closing quote, or -1 when it is not whole in this chunk.
 */
function escapedJsonValue(st: St, s: string, i: number, b: number): number {
  const text = decodeJsonString(s, i + 1, b, st.window);
  if (text === null) return -1;
  wholeJsonValue(st, text, 0, text.length, true);
  afterValue(st);
  return decodedEnd + 1;
}

function afterValue(st: St) {
  // a finished top-level value may be followed by another (NDJSON, concatenated documents)
  st.expect = st.stackType.length === 0 ? EXPECT_VALUE : EXPECT_AFTER;
}

function keyChar(st: St, ch: string) {
  if (st.key.length < MAX_KEY) st.key += ch;
}

function writeJson(st: St, s: string) {
  const n = s.length;
  let i = 0;
  // the next backslash and the next quote in this chunk (n: none), found natively and reused
  // until passed (a string with many escapes must not search for its end once per escape)
  let backslash = -1;
  let quote = -1;
  while (i < n) {
    if (st.str !== 0) {
      if (st.esc === 0) {
        if (backslash < i) {
          backslash = s.indexOf('\\', i);
          if (backslash < 0) backslash = n;
        }
        if (quote < i) {
          quote = s.indexOf('"', i);
          if (quote < 0) quote = n;
        }
        const k = quote < backslash ? quote : backslash;
        if (k > i) {
          if (st.str === 2) append(st, s, i, k);
          else if (st.key.length < MAX_KEY) st.key += s.slice(i, Math.min(k, i + MAX_KEY - st.key.length));
        }
        if (k >= n) return;
        if (s.charCodeAt(k) === 34) {
          if (st.str === 2) {
            st.str = 0;
            endValue(st, true, st.rawBase + k);
            afterValue(st);
          } else {
            st.str = 0;
            const d = st.stackType.length - 1;
            st.stackKey[d] = st.key;
            st.stackHints[d] = keyHints(st.key);
            segmentChanged(st, d);
            st.expect = EXPECT_COLON;
          }
          i = k + 1;
          continue;
        }
        st.esc = 1;
        st.escRaw = st.rawBase + k;
        i = k + 1;
        continue;
      }
      const c = s.charCodeAt(i);
      if (st.esc === 1) {
        if (c === 117) {
          st.esc = 2;
          st.escHex = 0;
          i++;
          continue;
        }
        const d = c === 110 ? 10 : c === 116 ? 9 : c === 114 ? 13 : c === 98 ? 8 : c === 102 ? 12 : c;
        st.esc = 0;
        i++;
        if (st.str === 2) appendChar(st, String.fromCharCode(d), st.escRaw);
        else keyChar(st, String.fromCharCode(d));
        continue;
      }
      const h = hexValue(c);
      if (h < 0) {
        st.esc = 0; // a broken \u escape: keep reading the string
        continue;
      }
      st.escHex = st.escHex * 16 + h;
      st.esc++;
      i++;
      if (st.esc === 6) {
        st.esc = 0;
        if (st.str === 2) appendChar(st, String.fromCharCode(st.escHex), st.escRaw);
        else keyChar(st, String.fromCharCode(st.escHex));
      }
      continue;
    }
    if (st.inNumber) {
      let k = i;
      for (; k < n; k++) {
        const c = s.charCodeAt(k);
        if (!((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45)) break;
      }
      if (k > i) append(st, s, i, k);
      if (k >= n) return;
      endValue(st, false, st.rawBase + k); // inNumber still set: redaction masks numbers differently
      st.inNumber = false;
      afterValue(st);
      i = k;
      continue;
    }
    if (st.inLiteral) {
      // true, false or null, compared as the letters arrive
      const word = st.literal;
      while (i < n && s.charCodeAt(i) >= 97 && s.charCodeAt(i) <= 122) {
        if (st.literalAt >= word.length || s.charCodeAt(i) !== word.charCodeAt(st.literalAt)) st.literalBad = true;
        st.literalAt++;
        i++;
      }
      if (i >= n) return;
      st.inLiteral = false;
      if (st.literalBad || st.literalAt !== word.length) return toText(st, s, i);
      afterValue(st);
      continue;
    }
    let c = s.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) {
      // indentation comes in runs: read it here rather than once round the main loop per blank
      do {
        i++;
        c = i < n ? s.charCodeAt(i) : 0;
      } while (c === 32 || c === 10 || c === 13 || c === 9);
      if (i >= n) return;
    }
    if (c === 34) {
      if (st.expect === EXPECT_VALUE) {
        if (WALK && st.hook === null && st.custom.length === 0) {
          // with a backslash ahead, an escaped string is told apart first (natively): walking it
          // up to its first escape would read that much twice
          if (backslash < i) {
            backslash = s.indexOf('\\', i);
            if (backslash < 0) backslash = n;
          }
          let b = n;
          if (backslash < n) {
            if (quote <= i) {
              quote = s.indexOf('"', i + 1);
              if (quote < 0) quote = n;
            }
            if (backslash < quote) b = backslash;
          }
          if (b === n) {
            const k = jsonStringAt(st, s, i + 1);
            if (k >= 0) {
              afterValue(st);
              i = k + 1;
              continue;
            }
            // not whole in this chunk and window (jsonStringAt stops at no backslash: none comes first)
          } else {
            const next = escapedJsonValue(st, s, i, b);
            if (next >= 0) {
              i = next;
              continue;
            }
          }
        } else if (st.hook === null) {
          // the common case: the whole string, without escapes, in this chunk
          if (quote <= i) {
            quote = s.indexOf('"', i + 1);
            if (quote < 0) quote = n;
          }
          const k = quote;
          if (k < n) {
            if (backslash < i) {
              backslash = s.indexOf('\\', i);
              if (backslash < 0) backslash = n;
            }
            if (k < backslash && k - i - 1 < st.window) {
              wholeJsonStringAt(st, s, i + 1, k);
              afterValue(st);
              i = k + 1;
              continue;
            }
            if (backslash < k) {
              // escaped, and maybe whole in this chunk: decoded at once rather than escape by escape
              const next = escapedJsonValue(st, s, i, backslash);
              if (next >= 0) {
                i = next;
                continue;
              }
            }
          }
        }
        st.str = 2;
        startValue(st);
      } else if (st.expect === EXPECT_KEY) {
        let k = i + 1;
        let plain = false;
        // every hint word (keyHints) has a p or an s: a key without one has no hints
        let ps = true;
        if (WALK) {
          // keys are short: walked to their end rather than searched for
          let c2 = 0;
          ps = false;
          while (k < n) {
            c2 = s.charCodeAt(k);
            if (c2 === 34 || c2 === 92) break;
            const l = c2 | 32;
            if (l === 112 || l === 115) ps = true;
            k++;
          }
          plain = c2 === 34 && k < n;
        } else {
          if (quote <= i) {
            quote = s.indexOf('"', i + 1);
            if (quote < 0) quote = n;
          }
          k = quote;
          if (k < n) {
            if (backslash < i) {
              backslash = s.indexOf('\\', i);
              if (backslash < 0) backslash = n;
            }
            plain = k < backslash;
          }
        }
        if (plain) {
          // the whole key, without escapes, in this chunk
          const key = k - i - 1 <= MAX_KEY ? s.slice(i + 1, k) : s.slice(i + 1, i + 1 + MAX_KEY);
          st.key = key;
          const d = st.stackType.length - 1;
          st.stackKey[d] = key;
          st.stackHints[d] = ps ? keyHints(key) : 0;
          segmentChanged(st, d);
          st.expect = EXPECT_COLON;
          i = k + 1;
          if (i < n && s.charCodeAt(i) === 58) {
            st.expect = EXPECT_VALUE;
            i++;
          }
          continue;
        }
        st.str = 1;
        st.key = '';
      } else return toText(st, s, i);
      i++;
      continue;
    }
    if (c === 123 || c === 91) {
      if (st.expect !== EXPECT_VALUE || st.stackType.length >= MAX_DEPTH) return toText(st, s, i);
      segmentChanged(st, st.stackType.length);
      st.stackType.push(c === 123 ? OBJ : ARR);
      st.stackKey.push(null);
      st.stackIndex.push(0);
      st.stackHints.push(0);
      st.expect = c === 123 ? EXPECT_KEY : EXPECT_VALUE;
      i++;
      continue;
    }
    if (c === 125 || c === 93) {
      const depth = st.stackType.length;
      const top = depth === 0 ? 0 : st.stackType[depth - 1];
      const closesObject = c === 125 && top === OBJ && (st.expect === EXPECT_KEY || st.expect === EXPECT_AFTER);
      const closesArray = c === 93 && top === ARR && (st.expect === EXPECT_VALUE || st.expect === EXPECT_AFTER);
      if (!closesObject && !closesArray) return toText(st, s, i);
      st.stackType.pop();
      st.stackKey.pop();
      st.stackIndex.pop();
      st.stackHints.pop();
      afterValue(st);
      i++;
      continue;
    }
    if (c === 44 && st.expect === EXPECT_AFTER) {
      const d = st.stackType.length - 1;
      if (st.stackType[d] === ARR) {
        st.stackIndex[d]++;
        segmentChanged(st, d);
        st.expect = EXPECT_VALUE;
      } else st.expect = EXPECT_KEY;
      i++;
      continue;
    }
    if (c === 58 && st.expect === EXPECT_COLON) {
      st.expect = EXPECT_VALUE;
      i++;
      continue;
    }
    if (st.expect === EXPECT_VALUE && ((c >= 48 && c <= 57) || c === 45)) {
      if (st.hook === null) {
        let k = i;
        let digits = 0;
        for (; k < n; k++) {
          const d = s.charCodeAt(k);
          if (d >= 48 && d <= 57) digits++;
          else if (!(d === 46 || d === 101 || d === 69 || d === 43 || d === 45)) break;
        }
        if (k < n && k - i < st.window) {
          // a number's only letters are e and E: no built-in class matches one with fewer than 8
          // digits (a phone number needs 8, card and SSN more, an IBAN from EE 18)
          if (digits >= 8 || st.custom.length > 0) wholeJsonValue(st, s, i, k, false);
          afterValue(st);
          i = k;
          continue;
        }
      }
      st.inNumber = true;
      startValue(st);
      continue;
    }
    if (st.expect === EXPECT_VALUE && (c === 116 || c === 102 || c === 110)) {
      st.inLiteral = true;
      st.literal = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
      st.literalAt = 0;
      st.literalBad = false;
      continue;
    }
    return toText(st, s, i);
  }
}

// ---- the scanner ----

// a separator no text holds in practice (noncharacters), long enough to be searched for in strides
const NOT_HELD = '\uffff\ufffe\uffff\ufffe';

/**
 * The same text, as V8 holds it flat: a body made by concatenation is a tree of pieces that V8
 * flattens in place but then reaches through the tree's root on every charCodeAt, which the
 * walks above make per character. Split by a separator the text does not hold, V8 hands back the
 * flat string underneath. (A short text costs more to split than it saves.)
 */
function flat(s: string): string {
  if (s.length < 256) return s;
  const parts = s.split(NOT_HELD);
  return parts.length === 1 ? parts[0] : s;
}

function write(st: St, chunk: string) {
  if (st.truncated || chunk.length === 0) return;
  let s = chunk;
  if (st.scanned + s.length > st.maxScan) {
    s = s.slice(0, Math.max(0, st.maxScan - st.scanned));
    st.truncated = true;
    if (s.length === 0) return;
  }
  if (st.mode === MODE_SNIFF) {
    let k = 0;
    while (k < s.length && (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 10 || s.charCodeAt(k) === 13 || s.charCodeAt(k) === 9)) k++;
    if (k < s.length) {
      const c = s.charCodeAt(k);
      st.mode = c === 123 || c === 91 ? MODE_JSON : MODE_TEXT;
      st.format = st.mode;
    }
  }
  if (WALK) s = flat(s);
  if (st.mode === MODE_JSON) writeJson(st, s);
  else if (st.mode === MODE_FORM) writeForm(st, s);
  else if (st.mode === MODE_TEXT) writeText(st, s, 0);
  st.scanned += s.length;
  st.rawBase += s.length;
}

function finish(st: St): ScanResult {
  if (st.mode === MODE_FORM) {
    if (st.pct > 0) {
      const text = st.pctText;
      st.pct = 0;
      for (let t = 0; t < text.length; t++) formChar(st, text.charAt(t), st.pctRaw + t);
    }
    if (!st.formInKey) endValue(st, true, st.rawBase);
  } else if (st.inValue) endValue(st, st.str === 2, st.rawBase);
  const classes: ClassResult[] = [];
  for (let c = 0; c < st.names.length; c++) {
    if (st.counts[c] === 0) continue;
    const sample = st.sample[c];
    // made whole rather than given `sample` afterwards (one shape, no property added to it)
    const r: ClassResult =
      sample !== null
        ? { class: st.names[c], direction: st.direction, count: st.counts[c], paths: st.pathList[c] || [], otherPathsCount: st.other[c], sample: sample }
        : { class: st.names[c], direction: st.direction, count: st.counts[c], paths: st.pathList[c] || [], otherPathsCount: st.other[c] };
    classes.push(r);
  }
  const fmt = st.format === MODE_JSON ? 'json' : st.format === MODE_FORM ? 'form' : 'text';
  return { direction: st.direction, format: fmt, scanned: st.scanned, truncated: st.truncated, classes: classes };
}

const NO_CUSTOM: CompiledCustomClass[] = [];

const ALL_ON: boolean[] = BUILTIN_CLASSES.map(function () {
  return true;
});

export function makeScanner(options: ScanOptions, hook: MatchHook | null): Scanner {
  const custom = options.custom || NO_CUSTOM;
  let on = ALL_ON;
  if (options.builtins !== undefined) {
    const list = options.builtins;
    on = BUILTIN_CLASSES.map(function (name) {
      return list.indexOf(name) >= 0;
    });
  }
  const names = custom.length === 0 ? BUILTIN_CLASSES : BUILTIN_CLASSES.concat(custom.map(function (c) {
    return c.name;
  }));
  let counts: number[];
  let pathList: (PathCount[] | null)[];
  let other: number[];
  let sample: (string | null)[];
  if (names.length === 10) {
    // the built-in classes alone (the usual case): literals cost less than pushes
    counts = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    pathList = [null, null, null, null, null, null, null, null, null, null];
    other = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    sample = [null, null, null, null, null, null, null, null, null, null];
  } else {
    counts = [];
    pathList = [];
    other = [];
    sample = [];
    for (let c = 0; c < names.length; c++) {
      counts.push(0);
      pathList.push(null);
      other.push(0);
      sample.push(null);
    }
  }
  const mode = formatOf(options.contentType);
  const st: St = {
    direction: options.direction || 'response',
    custom: custom,
    samples: options.samples !== false,
    maxPaths: options.maxPathsPerClass === undefined ? DEFAULT_MAX_PATHS : options.maxPathsPerClass,
    maxScan: options.maxScanChars === undefined ? DEFAULT_MAX_SCAN_CHARS : options.maxScanChars,
    window: hook !== null ? hook.window : WINDOW,
    hook: hook,
    on: on,
    names: names,
    counts: counts,
    pathList: pathList,
    other: other,
    sample: sample,
    mode: mode,
    format: mode,
    scanned: 0,
    truncated: false,
    rawBase: 0,
    inValue: false,
    acc: '',
    accBase: 0,
    accFirst: true,
    valueHints: 0,
    valueKey: null,
    valuePath: null,
    pathKnown: false,
    customOk: null,
    rawMap: [],
    curSeg: '',
    stackType: [],
    stackKey: [],
    stackIndex: [],
    stackHints: [],
    stackPre: [],
    preOk: 0,
    expect: EXPECT_VALUE,
    str: 0,
    esc: 0,
    escHex: 0,
    escRaw: 0,
    inNumber: false,
    inLiteral: false,
    literal: '',
    literalAt: 0,
    literalBad: false,
    key: '',
    formInKey: true,
    pct: 0,
    pctHex: 0,
    pctRaw: 0,
    pctText: '',
  };
  const scanner: ScannerObject = { st: st, write: scannerWrite, end: scannerEnd };
  return scanner;
}

// The scanner object's methods are shared (and matches reach it through `current`): a scanner is
// made per body, so nothing is allocated per body beyond its state.
interface ScannerObject extends Scanner {
  st: St;
}

function scannerWrite(this: ScannerObject, chunk: string) {
  current = this.st;
  write(this.st, chunk);
}

function scannerEnd(this: ScannerObject): ScanResult {
  current = this.st;
  return finish(this.st);
}

/** A scanner for one body in one direction. */
export function createScanner(options?: ScanOptions): Scanner {
  return makeScanner(options || {}, null);
}

/** A whole body at once. */
export function classify(body: string, options?: ScanOptions): ScanResult {
  const s = createScanner(options);
  s.write(body);
  return s.end();
}
