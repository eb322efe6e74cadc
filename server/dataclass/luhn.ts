// Payment card numbers: the Luhn check digit and the issuer ranges (IIN) with their lengths.

/** True when the digit string passes the Luhn (mod 10) check. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * The card network of a PAN by its leading digits and length, or null: Visa 4 (13/16/19),
 * Mastercard 51–55 and 2221–2720 (16), Amex 34/37 (15), Discover 6011/65/644–649 (16–19),
 * JCB 3528–3589 (16–19), Diners 300–305/36/38 (14–19), UnionPay 62 (16–19).
 */
export function cardIssuer(d: string): string | null {
  return d.length < 13 ? null : issuerOf(+d.slice(0, 4), d.length);
}

/** A PAN by the rules above: an issuer range at a length it issues, and the Luhn digit. */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && cardIssuer(digits) !== null && luhnValid(digits);
}

/** The network of a PAN of `len` digits whose first four make `p4` (cardIssuer's ranges), or null. */
function issuerOf(p4: number, len: number): string | null {
  const p2 = (p4 / 100) | 0;
  const p3 = (p4 / 10) | 0;
  if (p4 >= 4000 && p4 <= 4999) return len === 13 || len === 16 || len === 19 ? 'visa' : null;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return len === 16 ? 'mastercard' : null;
  if (p2 === 34 || p2 === 37) return len === 15 ? 'amex' : null;
  const long = len >= 16 && len <= 19;
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return long ? 'discover' : null;
  if (p4 >= 3528 && p4 <= 3589) return long ? 'jcb' : null;
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38) return len >= 14 && len <= 19 ? 'diners' : null;
  if (p2 === 62) return long ? 'unionpay' : null;
  return null;
}

/** cardIssuer(d) !== null for `len` digits whose first four make `p4`, without making the string (digitRun). */
export function issuerAccepts(p4: number, len: number): boolean {
  return issuerOf(p4, len) !== null;
}
