// Redacted samples of a match: enough for a person to recognise the kind of value, never the value.

function maskedDigits(digits: string): string {
  // first 4 + last 4, the middle as groups of four stars: 4111 **** **** 1111
  const middle = Math.max(1, Math.ceil((digits.length - 8) / 4));
  let out = digits.slice(0, 4) + ' ';
  for (let i = 0; i < middle; i++) out += '**** ';
  return out + digits.slice(-4);
}

/** A fully masked value with its length: `************ (36 chars)`. */
const STARS = '************';

export function maskedWithLength(length: number): string {
  return STARS.slice(0, Math.min(length, 12)) + ' (' + length + ' chars)';
}

/** The redacted sample of a matched value of a class (built-in name or custom). */
export function redactedSample(className: string, value: string): string {
  if (className === 'credit_card') {
    const digits = value.replace(/[^0-9]/g, '');
    if (digits.length >= 13) return maskedDigits(digits);
  }
  if (className === 'email') {
    const at = value.lastIndexOf('@');
    if (at > 0) return value.charAt(0) + '***' + value.slice(at);
  }
  return maskedWithLength(value.length);
}
