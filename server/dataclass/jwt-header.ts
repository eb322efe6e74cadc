// Whether a JWT's first part is a JOSE header: base64url that decodes to a JSON object whose
// "alg" member is a string. Answered the way JSON.parse would, but in one pass over the decoded
// bytes with no string made — where a JavaScript walk is cheap (V8; see WALK in matchers.ts).
// Written in the njs-compatible subset (see types.ts).

// the decoded bytes, and the open containers while they are read (reused)
const bytes: number[] = [];
const open: number[] = [];

// base64url character → its six bits, -1 for any other ASCII character
const SEXTET: number[] = [];
for (let c = 0; c < 128; c++) {
  SEXTET.push(c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 71 : c >= 48 && c <= 57 ? c + 4 : c === 45 ? 62 : c === 95 ? 63 : -1);
}

const ALG = [97, 108, 103];

/** Second result of stringEnd: the string read was `alg` (when asked to compare). */
let wasAlg = false;

/**
 * True when s[from, to), unpadded base64url, decodes (bytes as char codes 0–255, as
 * decodeBase64Url gives them) to text JSON.parse reads as an object with a string "alg" — the
 * last such member, as JSON.parse keeps.
 */
export function jwtHeaderOk(s: string, from: number, to: number): boolean {
  if ((to - from) % 4 === 1) return false;
  let m = 0;
  let acc = 0;
  let bits = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? SEXTET[c] : -1;
    if (v < 0) return false;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[m++] = (acc >> bits) & 0xff;
    }
  }
  return objectWithAlg(m);
}

function blank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The JSON text bytes[0, m): an object with a string "alg"? */
function objectWithAlg(m: number): boolean {
  let i = 0;
  while (i < m && blank(bytes[i])) i++;
  if (i >= m || bytes[i] !== 123) return false; // any other JSON value is not an object with "alg"
  let depth = 0;
  let alg = false; // the top object's last "alg" member is a string
  let algNext = false; // the value about to be read is that member's
  // 0: a value, 1: a key or } (after {), 2: , or the end of the container, 3: a key (after ,), 4: a value or ] (after [)
  let state = 0;
  for (;;) {
    while (i < m && blank(bytes[i])) i++;
    if (i >= m) return false;
    const c = bytes[i];
    if (state === 2 || (state === 1 && c === 125) || (state === 4 && c === 93)) {
      if (state === 2 && c === 44) {
        state = open[depth - 1] === 123 ? 3 : 0;
        i++;
        continue;
      }
      if (c !== (open[depth - 1] === 123 ? 125 : 93)) return false;
      depth--;
      i++;
      if (depth === 0) {
        while (i < m && blank(bytes[i])) i++;
        return i === m && alg;
      }
      state = 2;
      continue;
    }
    if (state === 1 || state === 3) {
      if (c !== 34) return false;
      i = stringEnd(m, i + 1, depth === 1);
      if (i < 0) return false;
      while (i < m && blank(bytes[i])) i++;
      if (i >= m || bytes[i] !== 58) return false;
      i++;
      algNext = depth === 1 && wasAlg;
      state = 0;
      continue;
    }
    // a value
    if (algNext) {
      alg = c === 34;
      algNext = false;
    }
    if (c === 123 || c === 91) {
      open[depth++] = c;
      state = c === 123 ? 1 : 4;
      i++;
      continue;
    }
    if (c === 34) i = stringEnd(m, i + 1, false);
    else if (c === 116) i = wordEnd(m, i, 'true');
    else if (c === 102) i = wordEnd(m, i, 'false');
    else if (c === 110) i = wordEnd(m, i, 'null');
    else if (c === 45 || isDigit(c)) i = numberEnd(m, i);
    else return false;
    if (i < 0) return false;
    state = 2;
  }
}

/** The end (after the closing quote) of the JSON string whose text starts at i, or -1; compare: set wasAlg. */
function stringEnd(m: number, i: number, compare: boolean): number {
  let same = compare;
  let at = 0;
  for (;;) {
    if (i >= m) return -1;
    const c = bytes[i];
    if (c === 34) {
      wasAlg = same && at === 3;
      return i + 1;
    }
    if (c < 32) return -1;
    let ch = c;
    if (c === 92) {
      if (i + 1 >= m) return -1;
      const e = bytes[i + 1];
      if (e === 117) {
        if (i + 5 >= m) return -1;
        ch = 0;
        for (let k = i + 2; k < i + 6; k++) {
          const h = bytes[k];
          const v = isDigit(h) ? h - 48 : h >= 65 && h <= 70 ? h - 55 : h >= 97 && h <= 102 ? h - 87 : -1;
          if (v < 0) return -1;
          ch = ch * 16 + v;
        }
        i += 6;
      } else {
        ch = e === 34 || e === 92 || e === 47 ? e : e === 98 ? 8 : e === 102 ? 12 : e === 110 ? 10 : e === 114 ? 13 : e === 116 ? 9 : -1;
        if (ch < 0) return -1;
        i += 2;
      }
    } else i++;
    if (same) {
      if (at < 3 && ch === ALG[at]) at++;
      else same = false;
    }
  }
}

function wordEnd(m: number, i: number, word: string): number {
  if (i + word.length > m) return -1;
  for (let k = 0; k < word.length; k++) if (bytes[i + k] !== word.charCodeAt(k)) return -1;
  return i + word.length;
}

/** The end of the JSON number at i, or -1: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
function numberEnd(m: number, i: number): number {
  if (bytes[i] === 45) i++;
  if (i >= m || !isDigit(bytes[i])) return -1;
  if (bytes[i] === 48) i++;
  else while (i < m && isDigit(bytes[i])) i++;
  if (i < m && bytes[i] === 46) {
    i++;
    if (i >= m || !isDigit(bytes[i])) return -1;
    while (i < m && isDigit(bytes[i])) i++;
  }
  if (i < m && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    if (i < m && (bytes[i] === 43 || bytes[i] === 45)) i++;
    if (i >= m || !isDigit(bytes[i])) return -1;
    while (i < m && isDigit(bytes[i])) i++;
  }
  return i;
}
