// base64url decoding without Buffer or atob (njs has neither in the same form as Node).

function sextet(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c === 45) return 62; // -
  if (c === 95) return 63; // _
  return -1;
}

/**
 * The bytes of an unpadded base64url string as a string of char codes 0–255 (UTF-8 left undecoded,
 * enough for an ASCII JSON header), or null when the text is not base64url.
 */
export function decodeBase64Url(s: string, from: number, to: number): string | null {
  const len = to - from;
  if (len % 4 === 1) return null;
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = from; i < to; i++) {
    const v = sextet(s.charCodeAt(i));
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}
