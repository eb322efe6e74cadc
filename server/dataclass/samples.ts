// Redacted samples of a match: enough for a person to recognise the kind of value, never the value.

/** first 4 + last 4 of a card's `count` digits, the middle as groups of four stars: 4111 **** **** 1111 */
function maskedDigits(first: string, last: string, count: number): string {
  const middle = Math.max(1, Math.ceil((count - 8) / 4));
  let out = first + ' ';
  for (let i = 0; i < middle; i++) out += '**** ';
  return out + last;
}

/** A fully masked value with its length: `************ (36 chars)`. */
const STARS = '************';

// the masks of the shorter lengths met so far, by length (a sample is made per class and body)
const masks: (string | null)[] = [];
for (let k = 0; k < 1024; k++) masks.push(null);

export function maskedWithLength(length: number): string {
  const known = length < 1024 ? masks[length] : null;
  if (known !== null) return known;
  const mask = STARS.slice(0, Math.min(length, 12)) + ' (' + length + ' chars)';
  if (length < 1024) masks[length] = mask;
  return mask;
}

/** The redacted sample of a matched value s[start, end) of a class (built-in name or custom). */
export function redactedSample(className: string, s: string, start: number, end: number): string {
  if (className === 'credit_card') {
    // the first and last four digits and how many there are, without gathering them all
    let count = 0;
    let first = '';
    for (let i = start; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        if (count < 4) first += s.charAt(i);
        count++;
      }
    }
    if (count >= 13) {
      let last = '';
      for (let i = end - 1; last.length < 4; i--) {
        const c = s.charCodeAt(i);
        if (c >= 48 && c <= 57) last = s.charAt(i) + last;
      }
      return maskedDigits(first, last, count);
    }
  }
  if (className === 'email') {
    const at = s.lastIndexOf('@', end - 1);
    if (at > start) return s.charAt(start) + '***' + s.slice(at, end);
  }
  return maskedWithLength(end - start);
}
