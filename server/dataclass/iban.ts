// IBAN: the per-country length (SWIFT IBAN registry) and the ISO 7064 mod-97 check.

const LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

/** The IBAN length of an (upper-case) country code, or 0 when the country has no IBAN. */
export function ibanLength(country: string): number {
  return Object.prototype.hasOwnProperty.call(LENGTHS, country) ? LENGTHS[country] : 0;
}

// the same lengths by letter pair: (first - 65) * 26 + (second - 65), 0 for none
const BY_PAIR: number[] = [];
for (let k = 0; k < 26 * 26; k++) BY_PAIR.push(0);
(function () {
  const keys = Object.keys(LENGTHS);
  for (let k = 0; k < keys.length; k++) BY_PAIR[(keys[k].charCodeAt(0) - 65) * 26 + keys[k].charCodeAt(1) - 65] = LENGTHS[keys[k]];
})();

/** ibanLength of the country whose two upper-case letters have these codes, without making the string. */
export function ibanLengthOf(a: number, b: number): number {
  if (a < 65 || a > 90 || b < 65 || b > 90) return ibanLength(String.fromCharCode(a, b));
  return BY_PAIR[(a - 65) * 26 + b - 65];
}

/** The countries with an IBAN, for generators and docs. */
export function ibanCountries(): string[] {
  return Object.keys(LENGTHS);
}

function alnumValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (c >= 97 && c <= 122) return c - 87;
  return -1;
}

/** ISO 7064 mod 97-10 of the IBAN's characters (spaces ignored) after moving the first four to the end. */
export function ibanMod97(iban: string): number {
  const compact = iban.replace(/ /g, '');
  return ibanMod97At(compact, 0, compact.length);
}

/**
 * ibanMod97 of the IBAN s[from, to) — four characters (no spaces among them), then the rest with
 * spaces ignored — without copying it out.
 */
export function ibanMod97At(s: string, from: number, to: number): number {
  // the remainder taken only once the number grows past 10^5 (it stays far below 2^31): the
  // same result as after every digit, with a fifth of the divisions
  let rem = 0;
  for (let k = 0; k < 2; k++) {
    const head = from + 4 < to ? from + 4 : to;
    const a = k === 0 ? head : from;
    const b = k === 0 ? to : head;
    for (let i = a; i < b; i++) {
      const c = s.charCodeAt(i);
      if (c === 32 && k === 0) continue;
      const v = alnumValue(c);
      if (v < 0) return -1;
      rem = v < 10 ? rem * 10 + v : rem * 100 + v;
      if (rem >= 100000) rem %= 97;
    }
  }
  return rem % 97;
}

/** A whole IBAN: known country, its length, two check digits, mod-97 = 1. */
export function isIban(iban: string): boolean {
  const compact = iban.replace(/ /g, '').toUpperCase();
  const len = ibanLength(compact.slice(0, 2));
  if (len === 0 || compact.length !== len || !/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(compact)) return false;
  return ibanMod97(compact) === 1;
}

/** The two check digits that make `country + ?? + bban` a valid IBAN (for generators and tests). */
export function ibanCheckDigits(country: string, bban: string): string {
  const r = ibanMod97(country + '00' + bban);
  const check = 98 - r;
  return check < 10 ? '0' + check : '' + check;
}
