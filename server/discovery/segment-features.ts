// Per-segment features and a small string classifier: is a path segment an identifier (a value
// a client filled in) or a word a spec author wrote? Decisions across many URLs live in
// merge-decision.ts; this file only looks at one string.

import { isVocabulary } from './api-vocabulary';

export type SegmentClass =
  | 'integer'
  | 'uuid'
  | 'hex'
  | 'date'
  | 'email'
  | 'version'
  | 'token'
  | 'mixed'
  | 'slug'
  | 'word';

export interface SegmentFeatures {
  cls: SegmentClass;
  length: number;
  digits: number;
  letters: number;
  upper: number;
  /** Shannon entropy in bits per character */
  entropy: number;
  /** 0 = clearly a word, 1 = clearly an identifier */
  idScore: number;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const INTEGER = /^-?\d+$/;
const HEX = /^[0-9a-f]+$/i;
const DATE = /^\d{4}-\d{2}-\d{2}([tT ][0-9:.]+([zZ]|[+-]\d{2}:?\d{2})?)?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
const VERSION = /^([A-Za-z]+[._-])?[vV]\d+([._-]?\d+)*([._-]?(alpha|beta|rc|preview|dev|ga|p\d+beta|p\d+alpha|[a-z]{1,2}\d+)\d*)?$|^\d+\.\d+(\.\d+)?$/;
const CAMEL = /[a-z][A-Z]/;
const HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|dev|edu|gov|co|app|cloud|local)$/i;
/** a name with a serial number (`node1042`, `disk-207`): numbered instances, not vocabulary */
const WORD_SERIAL = /^[a-z]{3,}[-_]?\d{3,}$/i;
const NAMED_SLUG = /^(?:[a-z]{2,}|[a-z]{2,4}\d{1,3})(?:[-_](?:[a-z]{2,}|[a-z]{2,4}\d{1,3}))+$/;

/**
 * Lower-case words joined by - or _, one of them API vocabulary, where a piece may be a short
 * name with a number (`verify-md5`, `image-uint16`, `ipv4-address`): names an author wrote, not a
 * generated token (`pomoy-h6` has no such word).
 */
function namedSlug(s: string): boolean {
  if (!NAMED_SLUG.test(s)) return false;
  for (const piece of s.split(/[-_]/)) if (!/\d/.test(piece) && isVocabulary(piece)) return true;
  return false;
}
/** a lower-case word, a separator and a number: see looksStrongId */
const NUMBERED_NAME = /^[a-z]{3,}[-_.]\d+$/;
const LOCALE = /^[a-z]{2}[-_][A-Z]{2}$/;
/** camelCase words with a version digit or two (`python2Packages`, `ipv4Addresses`, `p2sVpnGateways`): names, not ids */
const CAMEL_WORDS = /^[A-Za-z][a-z]*\d{0,2}[a-z]*([A-Z][a-z]+\d{0,2})+$/;

export function entropy(s: string): number {
  if (s.length < 2) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function countClasses(s: string): { digits: number; letters: number; upper: number } {
  let digits = 0;
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 65 && c <= 90) {
      letters++;
      upper++;
    } else if (c >= 97 && c <= 122) letters++;
  }
  return { digits, letters, upper };
}

/** How many times the character class flips (a1b2 → 3): random tokens flip often, words rarely. */
function classFlips(s: string): number {
  let flips = 0;
  let prev = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const k = c >= 48 && c <= 57 ? 0 : (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 2;
    if (c === 46) continue; // dots separate names: `k8s.io` flips twice, not four times
    if (prev !== -1 && k !== prev) flips++;
    prev = k;
  }
  return flips;
}

/**
 * Random letters cut into many one- or two-letter case pieces (z|Vdy|V, ho|Ic|F|r); camelCase
 * and acronyms give word-sized pieces (get|Iam|Policy, get|IP|Address).
 */
function looksRandomCase(s: string): boolean {
  const pieces = s.match(/[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+/g);
  if (!pieces || pieces.length < 3) return false;
  let short = 0;
  for (const p of pieces) if (p.length <= 2) short++;
  // a final word-sized piece reads as a name (miRSeq, IoTApps)
  const last = pieces[pieces.length - 1];
  return short * 2 >= pieces.length + 1 && (last.length <= 2 || short * 4 >= pieces.length * 3);
}

export function segmentFeatures(s: string): SegmentFeatures {
  const f = classifySegment(s);
  f.entropy = entropy(s);
  return f;
}

/** The features without entropy, for hot paths that only need the class. */
export function classifySegment(s: string): SegmentFeatures {
  const { digits, letters, upper } = countClasses(s);
  const length = s.length;
  const base = { length, digits, letters, upper, entropy: 0 };
  if (INTEGER.test(s)) return { ...base, cls: 'integer', idScore: 1 };
  if (UUID.test(s)) return { ...base, cls: 'uuid', idScore: 1 };
  if (DATE.test(s)) return { ...base, cls: 'date', idScore: 0.9 };
  if (EMAIL.test(s)) return { ...base, cls: 'email', idScore: 1 };
  if (VERSION.test(s)) return { ...base, cls: 'version', idScore: 0 };
  // Host names and locales are values in their own formats (BCP 47, DNS).
  if (HOST.test(s)) return { ...base, cls: 'token', idScore: 0.8 };
  if (LOCALE.test(s)) return { ...base, cls: 'token', idScore: 0.8 };
  // Hex needs digits too, or `beef`, `cafe`, `added` would count.
  if (length >= 8 && digits >= 2 && letters > 0 && HEX.test(s)) return { ...base, cls: 'hex', idScore: 1 };
  if (digits > 0 && letters > 0) {
    if (namedSlug(s)) return { ...base, cls: 'slug', idScore: 0.3 };
    const flips = classFlips(s);
    // Long or irregular letter/digit mixes are generated tokens (a9f3c2e1, AKIA2X…, 3uz-vjku).
    // Short word+number forms (ipv4, oauth2, sha256) are vocabulary: medium score, decided by siblings.
    // base62 ids mix cases at random (t6KkgZlMDFp): many capitals, and a digit, in no word pattern
    const randomCase = length >= 5 && upper >= 2 && letters - upper >= 2 && upper * 4 >= letters;
    // a digit inside mixed-case letters (mP3N, rmhcgcW1) is no word form
    const casedWithDigit = length >= 4 && upper > 0 && letters > upper && !/^[a-z]+[A-Z]?[a-z]*\d+$/.test(s) && !/^[A-Z]?[a-z]+\d*[a-z]*([A-Z][a-z]+\d*)*$/.test(s);
    if ((length >= 8 && digits > 2) || WORD_SERIAL.test(s) || flips >= 3 || randomCase || casedWithDigit || (upper > 0 && digits > 0 && length >= 12 && !CAMEL_WORDS.test(s))) {
      return { ...base, cls: 'token', idScore: 0.9 };
    }
    // ec2, s3, h5, ipv4: short letter+digit names are product vocabulary more often than ids
    if (length <= 4) return { ...base, cls: 'mixed', idScore: 0.2 };
    return { ...base, cls: 'mixed', idScore: digits >= 2 ? 0.6 : 0.4 };
  }
  if (digits > 0) return { ...base, cls: 'token', idScore: 0.8 }; // 1,234 / +4412 / 12:30
  // Random letters flip case far more often than camelCase words do (zVdyV vs getIamPolicy).
  if (upper > 0 && letters > upper && looksRandomCase(s)) return { ...base, cls: 'token', idScore: 0.8 };
  if (/[-_~]/.test(s) && letters > 0) return { ...base, cls: 'slug', idScore: 0.3 };
  return { ...base, cls: 'word', idScore: CAMEL.test(s) ? 0.05 : 0.2 };
}

// a call of a namespaced function (`microsoft.graph.getM365AppUserDetail(date=2024-01-31)`):
// the API's syntax, however many digits its arguments hold
const NAMESPACED_CALL = /^[a-z][a-z0-9]*(?:\.[a-z][a-z0-9]*)+\.[A-Za-z_][A-Za-z0-9_]*\(.*\)$/;

/** The insert-time test, without building the feature record: runs once per new tree child. */
export function looksStrongId(s: string): boolean {
  if (s.length > 0 && s.charCodeAt(s.length - 1) === 41 && NAMESPACED_CALL.test(s)) return false;
  // one pass over the characters decides most segments before any pattern runs
  let digits = 0;
  let letters = 0;
  let upper = 0;
  let hexOnly = true;
  let at = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 97 && c <= 122) {
      letters++;
      if (c > 102) hexOnly = false;
    } else if (c >= 65 && c <= 90) {
      letters++;
      upper++;
      if (c > 70) hexOnly = false;
    } else {
      if (c === 64) at = true;
      if (c !== 45) hexOnly = false;
    }
  }
  if (digits === s.length) return s.length >= 4;
  if (at) return EMAIL.test(s);
  if (s.length === 36 && hexOnly) return UUID.test(s);
  if (s.length < 8 || digits === 0) return false;
  if (digits >= 2 && letters > 0 && hexOnly && HEX.test(s)) return true;
  if (VERSION.test(s) || DATE.test(s) || HOST.test(s)) return false;
  const strong = (digits > 2 && letters > 0) || classFlips(s) >= 3 || (upper > 0 && s.length >= 12 && letters > 0 && !CAMEL_WORDS.test(s)) || letters === 0;
  // `page-132`, `series-005305`, `agents.938726`: a word and a number may be a numbered family
  // with a literal prefix (`page-{page}`), which only its siblings can tell; `verify-md5` is a name
  return strong && !(upper === 0 && (NUMBERED_NAME.test(s) || namedSlug(s)));
}

/** Identifiers so unambiguous that a single sighting folds them into a parameter at insert time. */
export function isStrongId(f: SegmentFeatures): boolean {
  return f.cls === 'uuid' || f.cls === 'email' || f.cls === 'hex' || (f.cls === 'integer' && f.length >= 4) || (f.cls === 'token' && f.length >= 8);
}

export function isCamelCase(s: string): boolean {
  return CAMEL.test(s);
}

/**
 * OData's system segments (`$count`, `$value`, `$ref`) and calls of functions without arguments
 * (`microsoft.graph.delta()`): protocol syntax, never a value however rarely it is requested.
 */
export function isProtocolSegment(s: string): boolean {
  return /^\$[A-Za-z]+$/.test(s) || /^[A-Za-z_][\w.]*\(\)$/.test(s);
}

/** Segments that name an API rather than an object; never parameters (optic keeps these too). */
const RESERVED = new Set(['api', 'apis', 'rest', 'v', 'public', 'private', 'internal', 'admin', 'latest', 'beta', 'alpha', 'stable']);
export function isReserved(s: string): boolean {
  return RESERVED.has(s.toLowerCase());
}
