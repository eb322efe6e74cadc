// The built-in matchers as one pass over a value's text: one regular expression finds the places a
// match can start (a digit, `+`, `@`, `-----BEGIN`, a few key prefixes), so ordinary words are
// skipped by the regex engine; there, hand-written character-code matchers and validators decide.
// Every matcher looks a bounded distance or consumes what it reads, so the pass stays linear.
// Written in the njs-compatible subset (see types.ts).
import { decodeBase64Url } from './base64url';
import {
  API_KEY, BEARER_TOKEN, CREDIT_CARD, EMAIL, HINT_SSN, IBAN, JWT, PHONE, PRIVATE_KEY, SSN,
} from './classes';
import { ibanLengthOf, ibanMod97At } from './iban';
import { jwtHeaderOk } from './jwt-header';
import { issuerAccepts } from './luhn';

declare const njs: unknown;

/**
 * Whether to walk text in JavaScript rather than search it natively (indexOf, a RegExp): V8
 * compiles a walk to a few instructions a character, cheaper than a native call for all but long
 * runs; njs interprets it, a character costing about what a whole native call does there. The
 * results are the same either way (njs.test.ts compares the two).
 */
export const WALK = typeof njs === 'undefined';

/** The longest match the streaming scanner must see whole (JWTs and tokens longer than this are not matched). */
export const MAX_TOKEN = 4096;

/** Called per match: class id and the match's [start, end) in the text. */
export type Emit = (cls: number, start: number, end: number) => void;

// Second results of the matchers below (njs has no destructuring; module state is cheapest).
let mStart = 0;
let mEnd = 0;

// The character classes below as bit flags per ASCII code: one table look-up per character
// beats a chain of range tests in the loops that walk words and tokens.
const C_ALPHA = 1;
const C_ALNUM = 2;
const C_WORD = 4; // letters, digits, _
const C_B64U = 8; // word characters and -
const C_TOKEN = 16; // RFC 6750 b64token: letters, digits, - . _ ~ + /
const C_LOCAL = 32; // an e-mail local part: word characters and . % + -
const C_LEAD = 64; // a letter a key, token or JWT starts with: A B b e g r s x
const C_MARK = 128; // between words, where scanByLoop looks again: + @ - (and the quote and backslash that end or stop a JSON string)
const CTYPE: number[] = [];
for (let c = 0; c < 128; c++) {
  const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const alnum = alpha || (c >= 48 && c <= 57);
  const word = alnum || c === 95;
  let f = 0;
  if (alpha) f |= C_ALPHA;
  if (alnum) f |= C_ALNUM;
  if (word) f |= C_WORD;
  if (word || c === 45) f |= C_B64U;
  if (alnum || c === 45 || c === 46 || c === 95 || c === 126 || c === 43 || c === 47) f |= C_TOKEN;
  if (word || c === 46 || c === 37 || c === 43 || c === 45) f |= C_LOCAL;
  if (c === 65 || c === 66 || c === 98 || c === 101 || c === 103 || c === 114 || c === 115 || c === 120) f |= C_LEAD;
  if (c === 43 || c === 64 || c === 45 || c === 34 || c === 92) f |= C_MARK;
  CTYPE.push(f);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlpha(c: number): boolean {
  return c < 128 && (CTYPE[c] & C_ALPHA) !== 0;
}
function isAlnum(c: number): boolean {
  return c < 128 && (CTYPE[c] & C_ALNUM) !== 0;
}
function isWord(c: number): boolean {
  return c < 128 && (CTYPE[c] & C_WORD) !== 0;
}
/** Glued on the right: a letter, digit, _ or @ right after a match makes it part of something longer. */
function glued(c: number): boolean {
  return isWord(c) || c === 64;
}
function isB64u(c: number): boolean {
  return c < 128 && (CTYPE[c] & C_B64U) !== 0;
}

/** Right boundary after a match ending at j: false when the match runs into more of the same. */
function rightOk(s: string, j: number, n: number, final: boolean): boolean {
  if (j >= n) return final;
  const c = s.charCodeAt(j);
  if (glued(c)) return false;
  // a decimal point or thousands comma followed by a digit: part of a longer number
  if ((c === 46 || c === 44) && j + 1 < n && isDigit(s.charCodeAt(j + 1))) return false;
  return true;
}

function skipWord(s: string, i: number, n: number): number {
  while (i < n && isWord(s.charCodeAt(i))) i++;
  return i;
}

/** The number the `count` digits at s[at] spell. */
function digitsValue(s: string, at: number, count: number): number {
  let v = 0;
  for (let k = at; k < at + count; k++) v = v * 10 + s.charCodeAt(k) - 48;
  return v;
}

/** The SSA rules for an SSN whose area (3 digits), group (2) and serial (4) start at a, g and r. */
function ssnValid(s: string, a: number, g: number, r: number): boolean {
  const area = digitsValue(s, a, 3);
  if (area === 0 || area === 666 || area >= 900) return false;
  return digitsValue(s, g, 2) !== 0 && digitsValue(s, r, 4) !== 0;
}

// group start/end offsets of the last digit run (bounded)
const MAX_GROUPS = 12;
const groupFrom: number[] = [];
const groupTo: number[] = [];

/**
 * isCardNumber of the digits of groups g0..g1-1 of the last run (digits only, 13–19 of them in
 * all, the first four in group g0), read where they lie.
 */
function cardInGroups(s: string, g0: number, g1: number, digits: number): boolean {
  if (digits < 13 || digits > 19 || !issuerAccepts(digitsValue(s, groupFrom[g0], 4), digits)) return false;
  // Luhn, from the last digit
  let sum = 0;
  let double = false;
  for (let g = g1 - 1; g >= g0; g--) {
    for (let k = groupTo[g] - 1; k >= groupFrom[g]; k--) {
      let d = s.charCodeAt(k) - 48;
      if (double) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      double = !double;
    }
  }
  return sum % 10 === 0;
}

/**
 * A run of digits from i (a word start) with single spaces or dashes between groups, the same
 * separator throughout. Returns the class it is (CREDIT_CARD, SSN) with mStart/mEnd set, or -1
 * with mEnd at the end of the run.
 */
function digitRun(s: string, i: number, n: number, final: boolean, hints: number, on: boolean[]): number {
  let j = i;
  let digits = 0;
  let sep = 0;
  let groups = 0;
  let from = i;
  for (;;) {
    if (j >= n) break;
    const c = s.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      digits++;
      j++;
      continue;
    }
    if ((c === 32 || c === 45) && (sep === 0 || sep === c) && j + 1 < n && isDigit(s.charCodeAt(j + 1))) {
      if (groups < MAX_GROUPS) {
        groupFrom[groups] = from;
        groupTo[groups] = j;
      }
      groups++;
      sep = c;
      j++;
      from = j;
      continue;
    }
    break;
  }
  if (groups < MAX_GROUPS) {
    groupFrom[groups] = from;
    groupTo[groups] = j;
  }
  groups++;
  mEnd = j;
  mStart = i;
  if (digits < 9) return -1; // every class below needs 9 digits or more
  if (!rightOk(s, j, n, final)) return -1;
  if (i > 0) {
    const p = s.charCodeAt(i - 1);
    if (p === 43) return -1; // after a + that was not a phone number
    if ((p === 46 || p === 44 || p === 45 || p === 47) && i > 1 && isDigit(s.charCodeAt(i - 2))) return -1;
  }
  if (on[SSN]) {
    if (sep === 45 && groups === 3 && groupTo[0] - groupFrom[0] === 3 && groupTo[1] - groupFrom[1] === 2 && groupTo[2] - groupFrom[2] === 4) {
      if (ssnValid(s, i, i + 4, i + 7)) return SSN;
    } else if (sep === 0 && digits === 9 && (hints & HINT_SSN) !== 0) {
      if (ssnValid(s, i, i + 3, i + 5)) return SSN;
    }
  }
  if (!on[CREDIT_CARD]) return -1;
  if (digits >= 13 && digits <= 19) {
    if (sep === 0) {
      if (cardInGroups(s, 0, 1, digits)) return CREDIT_CARD;
    } else if (groups <= MAX_GROUPS && groupTo[0] - groupFrom[0] === 4) {
      let shaped = true;
      for (let g = 0; g < groups; g++) {
        const len = groupTo[g] - groupFrom[g];
        // groups of 3–6 as issuers print them; the last may hold what is left of an odd length (4-4-4-4-2, 4-4-4-7)
        if (g < groups - 1 ? len < 3 || len > 6 : len < 2 || len > 7) shaped = false;
      }
      if (shaped && cardInGroups(s, 0, groups, digits)) return CREDIT_CARD;
    }
  }
  // a compact card number between spaces: "4111111111111111 12/27"
  if (sep === 32 && groups <= MAX_GROUPS) {
    for (let g = 0; g < groups; g++) {
      const len = groupTo[g] - groupFrom[g];
      if (len >= 13 && len <= 19 && cardInGroups(s, g, g + 1, len)) {
        mStart = groupFrom[g];
        mEnd = groupTo[g];
        return CREDIT_CARD;
      }
    }
  }
  return -1;
}

/** `+` at i: an E.164 number with optional separators, or -1. */
function phoneAt(s: string, i: number, n: number, final: boolean): number {
  let j = i + 1;
  if (j >= n) return -1;
  const first = s.charCodeAt(j);
  if (first < 49 || first > 57) return -1;
  let digits = 0;
  let parens = 0;
  for (;;) {
    if (j >= n) break;
    const c = s.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      digits++;
      if (digits > 15) return -1;
      j++;
      continue;
    }
    const prev = s.charCodeAt(j - 1);
    const prevOk = isDigit(prev) || prev === 41;
    if ((c === 32 || c === 45 || c === 46) && prevOk && j + 1 < n) {
      const next = s.charCodeAt(j + 1);
      if (isDigit(next) || (next === 40 && c === 32)) {
        j++;
        continue;
      }
      break;
    }
    if (c === 40 && parens === 0 && digits > 0) {
      let k = j + 1;
      while (k < n && k - j <= 5 && isDigit(s.charCodeAt(k))) k++;
      if (k < n && k > j + 1 && s.charCodeAt(k) === 41 && k + 1 < n && (isDigit(s.charCodeAt(k + 1)) || s.charCodeAt(k + 1) === 32)) {
        digits += k - j - 1;
        parens = 1;
        j = k + 1;
        continue;
      }
      break;
    }
    break;
  }
  if (digits < 8 || digits > 15) return -1;
  const last = s.charCodeAt(j - 1);
  if (!isDigit(last)) return -1;
  if (!rightOk(s, j, n, final)) return -1;
  return j;
}

function isLocalChar(c: number): boolean {
  return c < 128 && (CTYPE[c] & C_LOCAL) !== 0;
}

/** `@` at i: an e-mail address around it (its text starts at lo) with mStart set, or -1. */
function emailAt(s: string, lo: number, i: number, n: number, final: boolean, notBefore: number): number {
  let k = i - 1;
  while (k >= lo && i - k <= 64 && isLocalChar(s.charCodeAt(k))) k--;
  if (k >= lo && i - k > 64) return -1; // local part too long to be an address
  let start = k + 1;
  while (start < i && s.charCodeAt(start) === 46) start++;
  if (start >= i || s.charCodeAt(i - 1) === 46 || start < notBefore) return -1;
  for (let t = start + 1; t < i; t++) if (s.charCodeAt(t) === 46 && s.charCodeAt(t - 1) === 46) return -1;
  let j = i + 1;
  let labels = 0;
  let tldAlpha = false;
  let tldLen = 0;
  for (;;) {
    const ls = j;
    let alpha = true;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (isAlpha(c)) j++;
      else if (isDigit(c) || c === 45) {
        alpha = false;
        j++;
      } else break;
    }
    if (j === ls || s.charCodeAt(ls) === 45 || s.charCodeAt(j - 1) === 45) return -1;
    labels++;
    tldAlpha = alpha;
    tldLen = j - ls;
    if (j + 1 < n && s.charCodeAt(j) === 46 && isAlnum(s.charCodeAt(j + 1))) {
      j++;
      continue;
    }
    break;
  }
  if (labels < 2 || !tldAlpha || tldLen < 2 || tldLen > 24 || j - i > 254) return -1;
  if (j >= n ? !final : glued(s.charCodeAt(j))) return -1;
  mStart = start;
  return j;
}

// the first character outside a run, found natively when the run is long (a RegExp call costs
// more than a few dozen characters walked in JavaScript, far less than hundreds)
const NOT_B64U = /[^A-Za-z0-9_-]/g;
const NOT_TOKEN = /[^A-Za-z0-9._~+\/-]/g;
const NATIVE_RUN = 48;

/** The end of the run from j of the characters with flag `cls` (the complement of `not`), at most n (≤ s.length). */
function runEnd(not: RegExp, s: string, j: number, n: number, cls: number): number {
  // walked first: most runs (a word that starts like a token) end within a few characters
  const stop = n - j < NATIVE_RUN ? n : j + NATIVE_RUN;
  while (j < stop) {
    const c = s.charCodeAt(j);
    if (c >= 128 || (CTYPE[c] & cls) === 0) return j;
    j++;
  }
  if (j >= n) return j;
  not.lastIndex = j;
  const found = not.test(s);
  const e = found ? not.lastIndex - 1 : s.length;
  not.lastIndex = 0;
  return e < n ? e : n;
}

function b64uEnd(s: string, j: number, n: number): number {
  return runEnd(NOT_B64U, s, j, n, C_B64U);
}

/** `eyJ` at i (a token start): header.payload.signature whose header is JSON with "alg", or -1. */
/**
 * The first three base64url characters of a JOSE header: `{` then `"` (`eyJ`), or `{` then
 * a blank — space `eyA`, new line `ewo`, carriage return `ew0`, tab `ewk` — as pretty-printed
 * or hand-written headers start.
 */
function jwtPrefixAt(s: string, i: number): boolean {
  if (s.charCodeAt(i) !== 101) return false;
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  if (b === 121) return c === 74 || c === 65;
  return b === 119 && (c === 111 || c === 48 || c === 107);
}

function jwtAt(s: string, i: number, n: number, final: boolean): number {
  let j = i;
  j = b64uEnd(s, j, n);
  const headerEnd = j;
  if (headerEnd - i < 16 || j >= n || s.charCodeAt(j) !== 46) return -1;
  j++;
  const payloadFrom = j;
  j = b64uEnd(s, j, n);
  const payloadTo = j;
  if (payloadTo === payloadFrom || j >= n || s.charCodeAt(j) !== 46) return -1;
  j++;
  j = b64uEnd(s, j, n);
  if (j - i > MAX_TOKEN) return -1;
  if (j >= n) {
    if (!final) return -1;
  } else {
    const c = s.charCodeAt(j);
    // a fourth part, standard base64 (+ / =) or an address: not a compact JWS; a full stop is fine
    if (c === 61 || c === 43 || c === 47 || c === 64) return -1;
    if (c === 46 && j + 1 < n && isB64u(s.charCodeAt(j + 1))) return -1;
    if (c === 46 && j + 1 >= n && !final) return -1;
  }
  if ((payloadTo - payloadFrom) % 4 === 1) return -1; // not a whole number of bytes
  return (WALK ? jwtHeaderOk(s, i, headerEnd) : jwtHeaderKnown(s.slice(i, headerEnd))) ? j : -1;
}

// a service's tokens share a handful of headers: remember the verdicts (bounded), where reading
// one byte by byte costs more than a look-up (njs)
let headerVerdicts: Record<string, boolean> = Object.create(null);
let headersKept = 0;

/** True when the base64url header decodes to a JSON object with a string "alg" (as jwtHeaderOk). */
function jwtHeaderKnown(encoded: string): boolean {
  const known = headerVerdicts[encoded];
  if (known !== undefined) return known;
  if (headersKept >= 1024) {
    headerVerdicts = Object.create(null);
    headersKept = 0;
  }
  const ok = jwtHeaderParses(encoded);
  headerVerdicts[encoded] = ok;
  headersKept++;
  return ok;
}

function jwtHeaderParses(encoded: string): boolean {
  let ok = false;
  const header = decodeBase64Url(encoded, 0, encoded.length);
  if (header !== null) {
    try {
      const parsed: unknown = JSON.parse(header);
      ok = parsed !== null && typeof parsed === 'object' && typeof (parsed as { alg?: unknown }).alg === 'string';
    } catch (e) {
      ok = false;
    }
  }
  return ok;
}

function isTokenChar(c: number): boolean {
  // RFC 6750 b64token: ALPHA DIGIT - . _ ~ + /
  return c < 128 && (CTYPE[c] & C_TOKEN) !== 0;
}

/** `Bearer <token>` at i, or -1. */
function bearerAt(s: string, i: number, n: number, final: boolean): number {
  if (i + 8 > n) return -1;
  const word = 'bearer';
  for (let t = 0; t < 6; t++) if ((s.charCodeAt(i + t) | 32) !== word.charCodeAt(t)) return -1;
  let j = i + 6;
  const spaces = j;
  while (j < n && j - spaces < 4 && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++;
  if (j === spaces) return -1;
  const from = j;
  let digitsOrMarks = 0;
  let upper = 0;
  let lower = 0;
  while (j < n && isTokenChar(s.charCodeAt(j))) {
    const c = s.charCodeAt(j);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else {
      // one digit or mark settles the mix: the rest of the token only needs its end
      digitsOrMarks++;
      j = runEnd(NOT_TOKEN, s, j + 1, n, C_TOKEN);
      break;
    }
    j++;
  }
  while (j < n && s.charCodeAt(j) === 61) j++;
  const len = j - from;
  if (len < 16 || len > MAX_TOKEN) return -1;
  if (digitsOrMarks === 0 && (upper < 4 || lower < 4)) return -1;
  if (j >= n ? !final : s.charCodeAt(j) === 64) return -1;
  return j;
}

function runOf(s: string, j: number, n: number, count: number, kind: number): number {
  // kind 0: A-Z0-9, 1: alnum, 2: alnum _ -
  const end = j + count;
  if (end > n) return -1;
  for (let k = j; k < end; k++) {
    const c = s.charCodeAt(k);
    const ok = kind === 0 ? (c >= 65 && c <= 90) || isDigit(c) : kind === 1 ? isAlnum(c) : isB64u(c);
    if (!ok) return -1;
  }
  return end;
}

/** A cloud access key at i (a word start), or -1. */
function apiKeyAt(s: string, i: number, n: number, final: boolean): number {
  const c = s.charCodeAt(i);
  let j = -1;
  if (c === 65) {
    if (s.startsWith('AKIA', i) || s.startsWith('ASIA', i)) j = runOf(s, i + 4, n, 16, 0);
    else if (s.startsWith('AIza', i)) {
      j = runOf(s, i + 4, n, 35, 2);
      if (j >= 0 && j < n && isB64u(s.charCodeAt(j))) return -1;
    }
  } else if (c === 103) {
    const k = s.charCodeAt(i + 2);
    if (s.charCodeAt(i + 1) === 104 && s.charCodeAt(i + 3) === 95 && (k === 112 || k === 111 || k === 117 || k === 115 || k === 114)) {
      j = runOf(s, i + 4, n, 36, 1);
    }
  } else if (c === 115 || c === 114) {
    if (s.startsWith('k_live_', i + 1)) {
      j = runOf(s, i + 8, n, 24, 1);
      while (j >= 0 && j < n && j - i < 255 && isAlnum(s.charCodeAt(j))) j++;
    }
  } else if (c === 120) {
    const k = s.charCodeAt(i + 3);
    if (s.startsWith('xox', i) && (k === 97 || k === 98 || k === 112 || k === 114) && s.charCodeAt(i + 4) === 45) {
      j = i + 5;
      let digits = 0;
      while (j < n && j - i < 255 && (isAlnum(s.charCodeAt(j)) || s.charCodeAt(j) === 45)) {
        if (isDigit(s.charCodeAt(j))) digits++;
        j++;
      }
      if (j - i < 15 || digits === 0) return -1;
    }
  }
  if (j < 0) return -1;
  if (j >= n ? !final : glued(s.charCodeAt(j))) return -1;
  return j;
}

/** Country code + check digits at i (a word start), then the BBAN (compact or in groups of 4): an IBAN, or -1. */
function ibanAt(s: string, i: number, n: number, final: boolean): number {
  if (i + 4 > n) return -1;
  const len = ibanLengthOf(s.charCodeAt(i) & ~32, s.charCodeAt(i + 1) & ~32);
  if (len === 0) return -1;
  let j = i + 4;
  let count = 4;
  let spaced = -1;
  while (count < len) {
    if (count % 4 === 0) {
      const sp = j < n && s.charCodeAt(j) === 32;
      if (spaced === -1) spaced = sp ? 1 : 0;
      if (spaced === 1) {
        if (!sp) return -1;
        j++;
      } else if (sp) return -1;
    }
    if (j >= n || !isAlnum(s.charCodeAt(j))) return -1;
    count++;
    j++;
  }
  if (j >= n ? !final : glued(s.charCodeAt(j))) return -1;
  return ibanMod97At(s, i, j) === 1 ? j : -1;
}

/** `-----BEGIN … PRIVATE KEY-----` at i: the end of that line, or -1. */
function privateKeyAt(s: string, i: number, n: number): number {
  if (!s.startsWith('-----BEGIN ', i)) return -1;
  // at most 40 characters of label (RSA, EC, OPENSSH, ENCRYPTED …) before PRIVATE KEY-----: a
  // bounded look, so a body of "-----BEGIN " repeated costs no more than its length
  for (let k = i + 11; k <= i + 51 && k < n; k++) {
    if (s.charCodeAt(k) === 80 && s.startsWith('PRIVATE KEY-----', k)) return k + 16;
    const c = s.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || isDigit(c) || c === 32)) return -1;
  }
  return -1;
}

/**
 * Where a match can start, found natively: a digit or an IBAN's country code at the start of a
 * word, a `+` not glued to a word, an `@`, a PEM line, or the prefixes of JWTs, bearer tokens and
 * keys at the start of a word. Everything else (words, and digits inside words such as base64)
 * is skipped by the regex engine, not one character at a time in JavaScript. `\b` is the same
 * word boundary as isWord() (letters, digits, `_`) in V8 and in PCRE.
 *
 * A digit counts only when the next 9 characters are digits, spaces or dashes: every match
 * digitRun() returns holds 9 digits or more in one run of those, and a digit inside a shorter run
 * can start no match either (scanByLoop, which looks at every digit, finds the same). Every
 * alternative consumes exactly the trigger's first character and looks ahead for the rest, so
 * test() leaves lastIndex one past the start and no match array is made per trigger. (Written
 * as one lookahead around the whole pattern instead, it finds the same places a third slower:
 * V8 can then no longer pre-filter positions by their first character. The order of the
 * alternatives decides nothing, as each matches one character; with the single characters first
 * and one `\b` before all the word-start ones, V8 finds the same places a fifth faster.)
 */
const TRIGGER = /@|\B\+|-(?=----BEGIN )|\b(?:[0-9](?=[0-9 -]{8})|[A-Za-z](?=[A-Za-z][0-9]{2})|e(?=y[JA]|w[o0k])|[Bb](?=[Ee][Aa][Rr][Ee][Rr][ \t])|A(?=KIA|SIA|Iza)|g(?=h[pousr]_)|[rs](?=k_live_)|x(?=ox[abpr]-))/g;

function ibanStartsAt(s: string, i: number, n: number): boolean {
  return i >= 0 && i + 3 < n && isAlpha(s.charCodeAt(i)) && isAlpha(s.charCodeAt(i + 1)) && isDigit(s.charCodeAt(i + 2)) && isDigit(s.charCodeAt(i + 3)) && (i === 0 || !isWord(s.charCodeAt(i - 1)));
}

/** Below this length a value is scanned character by character, above it by trigger regex. */
export const LOOP_SCAN_MAX = 64;

/**
 * Every built-in match in s, once, emitted when its start is in [acceptFrom, acceptTo). `final`:
 * nothing follows s (otherwise a candidate touching the end is left to the next window).
 * `hints`: the JSON/form key hints of the value (classes.ts), `on`: enabled classes by id.
 * `mode`: 0 picks by length, 1 forces the character loop, 2 the trigger regex (for tests).
 */
export function scanBuiltins(s: string, acceptFrom: number, acceptTo: number, final: boolean, hints: number, on: boolean[], emit: Emit, mode?: number): void {
  const byLoop = mode === 1 || (mode !== 2 && s.length <= LOOP_SCAN_MAX);
  if (byLoop) scanByLoop(s, 0, acceptFrom > 0 ? 1 : 0, s.length, acceptFrom, acceptTo, final, hints, on, emit, RAW_TEXT);
  else scanByTriggers(s, acceptFrom, acceptTo, final, hints, on, emit);
}

/**
 * scanBuiltins for a whole value s[from, to) that lies in a longer text, scanned where it lies
 * rather than copied out. The characters either side must end a match as the ends of a string
 * do: a JSON string's quotes, a form value's = and & (no matcher reads on through one of them,
 * nor treats one as part of a number, word, address or token before a match).
 */
export function scanValueAt(s: string, from: number, to: number, hints: number, on: boolean[], emit: Emit): void {
  scanByLoop(s, from, from, to, from, to, true, hints, on, emit, RAW_TEXT);
}

// what scanByLoop's text is: itself, or a JSON string's raw text (ends at its quote, may hold no backslash)
const RAW_TEXT = 0;
const RAW_JSON = 1;

/**
 * A JSON string's text from `from` (just after its opening quote) scanned as scanValueAt would
 * scan it whole, in the same walk that finds its closing quote: returns the quote's offset, or
 * -1 - the offset of a backslash that comes first, or -1 - limit when no quote comes before
 * `limit` (then the matches emitted so far must be dropped: the raw text is not the value). No
 * matcher reads on through a quote or a backslash, so what lies past the quote changes nothing.
 */
export function scanJsonString(s: string, from: number, limit: number, hints: number, on: boolean[], emit: Emit): number {
  return scanByLoop(s, from, from, limit, from, limit, true, hints, on, emit, RAW_JSON);
}

/**
 * scanBuiltins for short text, s[lo, n) read from `from`: the same decisions as scanByTriggers,
 * looking at every character in JavaScript — cheaper than a regular expression call for a few
 * dozen characters (in njs a RegExp call costs microseconds). The two must stay equivalent;
 * matchers.test.ts runs every example through both. `raw`: RAW_TEXT, or RAW_JSON: the text is a
 * JSON string's raw text, which ends at a quote (returned) and may hold no backslash (-1 - the
 * offset of the first; -1 - n when no quote comes).
 */
function scanByLoop(s: string, lo: number, from: number, n: number, acceptFrom: number, acceptTo: number, final: boolean, hints: number, on: boolean[], emit: Emit, raw: number): number {
  let i = from;
  let lastEnd = 0;
  // s[i - 1] is known to be no word character (i was reached by stepping over one)
  let gap = false;
  while (i < n) {
    const c = s.charCodeAt(i);
    const f = c < 128 ? CTYPE[c] : 0;
    if ((f & C_WORD) === 0) {
      // between words only + @ - start anything (one look-up tells the rest to move on)
      if ((f & C_MARK) !== 0) {
        if (c === 43) {
          if (on[PHONE] && (i === 0 || !isWord(s.charCodeAt(i - 1)))) {
            const end = phoneAt(s, i, n, final);
            if (end >= 0) {
              if (i >= acceptFrom && i < acceptTo) emit(PHONE, i, end);
              lastEnd = end;
              i = end;
              gap = false;
              continue;
            }
          }
        } else if (c === 64) {
          if (on[EMAIL]) {
            const end = emailAt(s, lo, i, n, final, lastEnd);
            if (end >= 0) {
              if (mStart >= acceptFrom && mStart < acceptTo) emit(EMAIL, mStart, end);
              lastEnd = end;
              i = end;
              gap = false;
              continue;
            }
          }
        } else if (c === 45) {
          if (on[PRIVATE_KEY] && i + 1 < n && s.charCodeAt(i + 1) === 45) {
            const end = privateKeyAt(s, i, n);
            if (end >= 0) {
              if (i >= acceptFrom && i < acceptTo) emit(PRIVATE_KEY, i, end);
              lastEnd = end;
              i = end;
              gap = false;
              continue;
            }
          }
        } else if (raw === RAW_JSON) {
          if (c === 34) return i;
          if (c === 92) return -1 - i;
        }
      }
      i++;
      gap = true;
      continue;
    }
    // a word character: only one that starts a word can start a match (_ starts none)
    const inWord = !gap && i > 0 && isWord(s.charCodeAt(i - 1));
    gap = false;
    if (inWord || c === 95) {
      i = skipWord(s, i + 1, n);
      continue;
    }
    if ((f & C_ALPHA) === 0) {
      // a digit with no digit, space or dash after it is a run of one: too short, as digitRun would find
      // (reads past the text's end are guarded here and below: one deoptimises this loop in V8,
      // which then recompiles it slower, so the speed of a run depended on what it met first)
      const d1 = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (!((d1 >= 48 && d1 <= 57) || d1 === 32 || d1 === 45)) {
        i = skipWord(s, i + 1, n);
        continue;
      }
      const cls = digitRun(s, i, n, final, hints, on);
      if (cls >= 0) {
        if (mStart >= acceptFrom && mStart < acceptTo) emit(cls, mStart, mEnd);
        lastEnd = mEnd;
        i = mEnd;
      } else i = skipWord(s, mEnd, n);
      continue;
    }
    let end = -1;
    let cls = -1;
    // the second letter rules out most words before a matcher is called (jwtPrefixAt,
    // bearerAt and apiKeyAt would each return at once)
    const c2 = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    if ((f & C_LEAD) !== 0) {
      if (c === 101 ? (c2 === 121 || c2 === 119) && on[JWT] && jwtPrefixAt(s, i) && (i === 0 || s.charCodeAt(i - 1) !== 45) : false) {
        end = jwtAt(s, i, n, final);
        cls = JWT;
      } else if ((c === 66 || c === 98) && (c2 | 32) === 101 && on[BEARER_TOKEN]) {
        end = bearerAt(s, i, n, final);
        cls = BEARER_TOKEN;
      } else if (((c === 65 && (c2 === 75 || c2 === 83 || c2 === 73)) || (c === 103 && c2 === 104) || ((c === 115 || c === 114) && c2 === 107) || (c === 120 && c2 === 111)) && on[API_KEY]) {
        end = apiKeyAt(s, i, n, final);
        cls = API_KEY;
      }
    }
    if (end < 0 && i + 3 < n && isDigit(s.charCodeAt(i + 2)) && isDigit(s.charCodeAt(i + 3)) && isAlpha(c2) && on[IBAN]) {
      end = ibanAt(s, i, n, final);
      cls = IBAN;
    }
    if (end >= 0) {
      if (i >= acceptFrom && i < acceptTo) emit(cls, i, end);
      lastEnd = end;
      // a bearer token that is a JWT is both: look at the token again
      i = cls === BEARER_TOKEN ? i + 6 : end;
    } else i = skipWord(s, i + 1, n);
  }
  return raw !== RAW_TEXT ? -1 - n : n;
}

/** scanBuiltins for longer text: a regular expression finds the triggers, words in between are skipped natively. */
function scanByTriggers(s: string, acceptFrom: number, acceptTo: number, final: boolean, hints: number, on: boolean[], emit: Emit): void {
  const n = s.length;
  const re = TRIGGER;
  re.lastIndex = acceptFrom > 0 ? 1 : 0;
  let lastEnd = 0;
  for (;;) {
    if (!re.test(s)) break;
    const i = re.lastIndex - 1;
    const c = s.charCodeAt(i);
    let next = i + 1;
    if (c >= 48 && c <= 57) {
      // a digit at the start of a word
      const cls = digitRun(s, i, n, final, hints, on);
      if (cls >= 0) {
        if (mStart >= acceptFrom && mStart < acceptTo) emit(cls, mStart, mEnd);
        lastEnd = mEnd;
        next = mEnd;
      } else next = skipWord(s, mEnd, n);
    } else if (c === 43) {
      if (on[PHONE]) {
        const end = phoneAt(s, i, n, final);
        if (end >= 0) {
          if (i >= acceptFrom && i < acceptTo) emit(PHONE, i, end);
          lastEnd = end;
          next = end;
        }
      }
    } else if (c === 64) {
      if (on[EMAIL]) {
        const end = emailAt(s, 0, i, n, final, lastEnd);
        if (end >= 0) {
          if (mStart >= acceptFrom && mStart < acceptTo) emit(EMAIL, mStart, end);
          lastEnd = end;
          next = end;
        }
      }
    } else if (c === 45) {
      if (on[PRIVATE_KEY]) {
        const end = privateKeyAt(s, i, n);
        if (end >= 0) {
          if (i >= acceptFrom && i < acceptTo) emit(PRIVATE_KEY, i, end);
          lastEnd = end;
          next = end;
        }
      }
    } else {
      // a key, token or JWT prefix, or an IBAN's country code, at the start of a word
      let end = -1;
      let cls = -1;
      if (jwtPrefixAt(s, i)) {
        if (on[JWT] && (i === 0 || s.charCodeAt(i - 1) !== 45)) {
          end = jwtAt(s, i, n, final);
          cls = JWT;
        }
      } else if (c === 66 || c === 98) {
        if (on[BEARER_TOKEN]) {
          end = bearerAt(s, i, n, final);
          cls = BEARER_TOKEN;
        }
      } else if (on[API_KEY] && (c === 65 || c === 103 || c === 115 || c === 114 || c === 120)) {
        end = apiKeyAt(s, i, n, final);
        cls = API_KEY;
      }
      if (end >= 0) {
        if (i >= acceptFrom && i < acceptTo) emit(cls, i, end);
        lastEnd = end;
        // a bearer token that is a JWT is both: look at the token again
        next = cls === BEARER_TOKEN ? i + 6 : end;
      } else if (on[IBAN] && ibanStartsAt(s, i, n)) {
        const e = ibanAt(s, i, n, final);
        if (e >= 0) {
          if (i >= acceptFrom && i < acceptTo) emit(IBAN, i, e);
          lastEnd = e;
          next = e;
        } else next = skipWord(s, i, n);
      } else next = skipWord(s, i, n);
    }
    re.lastIndex = next;
  }
  re.lastIndex = 0;
}
