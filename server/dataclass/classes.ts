// The built-in sensitive-data classes (SPEC glossary names) and the JSON-key hints some rely on.

export const CREDIT_CARD = 0;
export const IBAN = 1;
export const SSN = 2;
export const EMAIL = 3;
export const PHONE = 4;
export const JWT = 5;
export const BEARER_TOKEN = 6;
export const API_KEY = 7;
export const PRIVATE_KEY = 8;
export const PASSWORD = 9;

/** Index = class id above. */
export const BUILTIN_CLASSES: string[] = [
  'credit_card', 'iban', 'ssn', 'email', 'phone', 'jwt', 'bearer_token', 'api_key', 'private_key', 'password',
];

/** One line per built-in class, for docs and the console's class picker. */
export const BUILTIN_DESCRIPTIONS: Record<string, string> = {
  credit_card: 'payment card number: 13–19 digits (single spaces or dashes between groups allowed), issuer range and length, Luhn check; not inside a longer digit run or glued to letters',
  iban: 'IBAN: country code, 2 check digits, BBAN of the country\'s length, mod-97 = 1; compact or in groups of 4',
  ssn: 'US social security number AAA-GG-SSSS (area not 000/666/900–999, group not 00, serial not 0000); 9 bare digits only under a key such as ssn',
  email: 'e-mail address: local part, @, domain with an alphabetic top-level label',
  phone: 'international phone number: + then 8–15 digits (E.164), first digit 1–9; spaces, dashes, dots and one (area) group allowed',
  jwt: 'JSON Web Token: three base64url parts whose header decodes to JSON with "alg"',
  bearer_token: '"Bearer <token>" (token of 16+ characters, not a plain word)',
  api_key: 'cloud access keys: AWS AKIA/ASIA, Google AIza, GitHub ghp_/gho_/ghu_/ghs_/ghr_, Stripe sk_live_/rk_live_, Slack xox[abpr]-',
  private_key: 'PEM private key block (-----BEGIN … PRIVATE KEY-----)',
  password: 'a non-empty string value under a key named like password, passwd, pwd, passphrase or secret (never by the value\'s shape)',
};

export const HINT_PASSWORD = 1;
export const HINT_SSN = 2;

/** Keys (lower-cased, without _ - . and spaces) whose string values are passwords. */
const PASSWORD_KEYS: Record<string, number> = {
  password: 1, passwd: 1, pwd: 1, pass: 1, passphrase: 1, secret: 1, clientsecret: 1, apisecret: 1,
  secretkey: 1, appsecret: 1, userpassword: 1, newpassword: 1, oldpassword: 1, currentpassword: 1,
  confirmpassword: 1, passwordconfirmation: 1, passwordconfirm: 1, dbpassword: 1, adminpassword: 1,
};

const SSN_KEYS: Record<string, number> = {
  ssn: 1, socialsecurity: 1, socialsecuritynumber: 1, socialsecurityno: 1, ssnumber: 1, usssn: 1, ssnlast9: 1,
};

function normaliseKey(key: string): string {
  let out = '';
  const lower = key.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += lower.charAt(i);
  }
  return out;
}

// keys repeat across values and bodies: remember their flags (bounded)
let cache: Record<string, number> = Object.create(null);
let cached = 0;

/** True when key holds `word` (lower-case ASCII letters) at i, in any case. */
function wordAt(key: string, i: number, word: string): boolean {
  if (i + word.length > key.length) return false;
  for (let t = 1; t < word.length; t++) if ((key.charCodeAt(i + t) | 32) !== word.charCodeAt(t)) return false;
  return true;
}

/**
 * Whether the key contains pass, pwd, secret, ssn or social whatever the case — every hint key
 * does; the rest are answered without normalising. Told without lower-casing the key: these
 * are ASCII letters, and `c | 32` is a letter's lower case (and no other character's: nothing
 * outside ASCII lower-cases to one of these letters next to another of them).
 */
function maybeHint(key: string): boolean {
  const n = key.length - 2;
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i) | 32;
    if (c === 112) {
      const d = key.charCodeAt(i + 1) | 32;
      if ((d === 97 && wordAt(key, i, 'pass')) || (d === 119 && wordAt(key, i, 'pwd'))) return true;
    } else if (c === 115) {
      const d = key.charCodeAt(i + 1) | 32;
      if ((d === 101 && wordAt(key, i, 'secret')) || (d === 115 && wordAt(key, i, 'ssn')) || (d === 111 && wordAt(key, i, 'social'))) return true;
    }
  }
  return false;
}

/** The hint flags of a JSON or form key (HINT_PASSWORD, HINT_SSN), 0 for none. */
export function keyHints(key: string | null): number {
  if (key === null || key.length === 0 || key.length > 64 || !maybeHint(key)) return 0;
  const known = cache[key];
  if (known !== undefined) return known;
  if (cached >= 4096) {
    cache = Object.create(null);
    cached = 0;
  }
  const flags = computeHints(key);
  cache[key] = flags;
  cached++;
  return flags;
}

function computeHints(key: string): number {
  // password2, secret_1: a numbered variant of the same key
  const k = normaliseKey(key).replace(/[0-9]+$/, '');
  let flags = 0;
  if (PASSWORD_KEYS[k] === 1 || (k.length > 8 && k.slice(-8) === 'password')) flags |= HINT_PASSWORD;
  if (SSN_KEYS[k] === 1) flags |= HINT_SSN;
  return flags;
}
