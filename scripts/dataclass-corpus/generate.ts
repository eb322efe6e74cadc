// A seeded corpus of request/response bodies for the classifier benchmark, written from the class
// formats (card issuer ranges and Luhn, IBAN registry and ISO 7064, SSA rules, E.164, RFC 7519,
// RFC 6750, the providers' key formats, RFC 7468 PEM) — deliberately not from the engine: no
// import from server/dataclass. Each body carries its planted truth (class × path → count), and
// hard negatives that look close to a class but are not in it.
import { mulberry32 as prng } from '@/lib/prng';

export type BodyFormat = 'json' | 'form' | 'text';

export interface CorpusBody {
  id: string;
  body: string;
  contentType: string;
  direction: 'request' | 'response';
  format: BodyFormat;
  /** `class\tpath` (path `null` for text) → number of planted values */
  truth: Record<string, number>;
}

export const CORPUS_CLASSES = ['credit_card', 'iban', 'ssn', 'email', 'phone', 'jwt', 'bearer_token', 'api_key', 'private_key', 'password'];

/** mulberry32 (lib/prng.ts): the seed makes a corpus, and a failure, reproducible. */
export { prng };

type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = UPPER + LOWER + DIGITS;
const B64U = ALNUM + '-_';
const chars = (r: Rand, set: string, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += set[Math.floor(r() * set.length)];
  return s;
};

// ---- credit cards: issuer prefixes and lengths, Luhn check digit ----
function cardPrefix(r: Rand): { prefix: string; length: number } {
  switch (int(r, 0, 7)) {
    case 0: return { prefix: '4', length: pick(r, [16, 16, 16, 13, 19]) };
    case 1: return { prefix: String(int(r, 51, 55)), length: 16 };
    case 2: return { prefix: String(int(r, 2221, 2720)), length: 16 };
    case 3: return { prefix: pick(r, ['34', '37']), length: 15 };
    case 4: return { prefix: pick(r, ['6011', '65', String(int(r, 644, 649))]), length: pick(r, [16, 16, 19]) };
    case 5: return { prefix: String(int(r, 3528, 3589)), length: 16 };
    case 6: return { prefix: pick(r, [String(int(r, 300, 305)), '36', '38']), length: 14 };
    default: return { prefix: '62', length: pick(r, [16, 19]) };
  }
}
function luhnCheckDigit(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function cardNumber(r: Rand): string {
  const { prefix, length } = cardPrefix(r);
  const body = prefix + chars(r, DIGITS, length - prefix.length - 1);
  return body + luhnCheckDigit(body);
}

function groupCard(d: string, sep: string): string {
  // the groupings cards are printed in: 4-6-5 (Amex), 4-6-4 (Diners), 4-4-5 (13 digits), fours otherwise
  const sizes = d.length === 15 ? [4, 6, 5] : d.length === 14 ? [4, 6, 4] : d.length === 13 ? [4, 4, 5] : [];
  if (sizes.length === 0) for (let i = 0; i < d.length; i += 4) sizes.push(Math.min(4, d.length - i));
  const out: string[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(d.slice(at, at + s));
    at += s;
  }
  return out.join(sep);
}

function cardText(r: Rand): string {
  const d = cardNumber(r);
  const f = r();
  return f < 0.5 ? d : f < 0.8 ? groupCard(d, ' ') : groupCard(d, '-');
}

// ---- IBAN: registry lengths and BBAN shapes (a = letter, n = digit, c = either) ----
const IBAN_FORMATS: Record<string, string> = {
  DE: '18n', GB: '4a14n', FR: '10n11c2n', NL: '4a10n', ES: '20n', IT: '1a10n12c', BE: '12n', CH: '5n12c',
  PL: '24n', NO: '11n', SE: '20n', AT: '16n', IE: '4a14n', PT: '21n', DK: '14n', FI: '14n', LU: '3n13c',
  MT: '4a5n18c', GR: '7n16c', SA: '2n18c', AE: '19n', BR: '23n1a1c', TR: '5n17c',
};
function bban(r: Rand, format: string): string {
  let out = '';
  for (const m of format.matchAll(/(\d+)([anc])/g)) out += chars(r, m[2] === 'a' ? UPPER : m[2] === 'n' ? DIGITS : UPPER + DIGITS, Number(m[1]));
  return out;
}
function mod97(s: string): number {
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = parseInt(ch, 36);
    rem = v < 10 ? (rem * 10 + v) % 97 : (rem * 100 + v) % 97;
  }
  return rem;
}
export function ibanNumber(r: Rand): string {
  const country = pick(r, Object.keys(IBAN_FORMATS));
  const b = bban(r, IBAN_FORMATS[country]);
  const check = 98 - mod97(country + '00' + b);
  return country + String(check).padStart(2, '0') + b;
}
const spacedIban = (iban: string) => iban.replace(/(.{4})/g, '$1 ').trim();
function ibanText(r: Rand): string {
  const i = ibanNumber(r);
  const f = r();
  return f < 0.5 ? i : f < 0.9 ? spacedIban(i) : i.toLowerCase();
}

// ---- SSN (SSA randomisation rules) ----
function ssnParts(r: Rand): [string, string, string] {
  let area = int(r, 1, 899);
  if (area === 666) area = 667;
  return [String(area).padStart(3, '0'), String(int(r, 1, 99)).padStart(2, '0'), String(int(r, 1, 9999)).padStart(4, '0')];
}
const ssnText = (r: Rand) => ssnParts(r).join('-');

// ---- e-mail ----
const NAMES = ['john', 'mary', 'a.smith', 'li.wei', 'ops', 'billing', 'j_doe', 'Anne.Marie', 'x9', 'support-team', 'KIM', 'dev.null42'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.co.uk', 'corp.example.io', 'Example.DE', 'sub.domain-name.example.net', 'shop.example.museum'];
function emailText(r: Rand): string {
  let local = pick(r, NAMES);
  if (r() < 0.3) local += '+' + pick(r, ['tag', 'news', 'x1', 'shop-2024']);
  if (r() < 0.2) local += String(int(r, 1, 999));
  return local + '@' + pick(r, DOMAINS);
}

// ---- phone (E.164 with a leading +) ----
function phoneText(r: Rand): string {
  const n = () => chars(r, DIGITS, 1);
  switch (int(r, 0, 9)) {
    case 0: return '+1' + int(r, 201, 989) + int(r, 200, 999) + chars(r, DIGITS, 4);
    case 1: return `+1 ${int(r, 201, 989)}-${int(r, 200, 999)}-${chars(r, DIGITS, 4)}`;
    case 2: return `+1 (${int(r, 201, 989)}) ${int(r, 200, 999)}-${chars(r, DIGITS, 4)}`;
    case 3: return `+44 20 ${chars(r, DIGITS, 4)} ${chars(r, DIGITS, 4)}`;
    case 4: return `+49 30 ${chars(r, DIGITS, 8)}`;
    case 5: return `+33 ${int(r, 1, 9)} ${chars(r, DIGITS, 2)} ${chars(r, DIGITS, 2)} ${chars(r, DIGITS, 2)} ${chars(r, DIGITS, 2)}`;
    case 6: return `+81-3-${chars(r, DIGITS, 4)}-${chars(r, DIGITS, 4)}`;
    case 7: return `+91 ${int(r, 70000, 99999)} ${chars(r, DIGITS, 5)}`;
    case 8: return `+61.2.${chars(r, DIGITS, 4)}.${chars(r, DIGITS, 4)}`;
    default: return `+44 (0)${n()}${n()} ${chars(r, DIGITS, 4)} ${chars(r, DIGITS, 4)}`;
  }
}

// ---- JWT (RFC 7519 compact JWS) ----
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
function jwtText(r: Rand): string {
  const header: Record<string, string> = { alg: pick(r, ['HS256', 'RS256', 'ES256', 'PS384', 'EdDSA']) };
  if (r() < 0.7) header.typ = 'JWT';
  if (r() < 0.4) header.kid = chars(r, ALNUM, 8);
  const payload = { sub: chars(r, ALNUM, 10), iat: 1733500000 + int(r, 0, 1e6), scope: pick(r, ['read', 'read write', 'admin']) };
  const sig = chars(r, B64U, pick(r, [43, 86, 64]));
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${sig}`;
}

// ---- bearer token (RFC 6750 b64token) ----
function opaqueToken(r: Rand): string {
  return chars(r, ALNUM + '-._~', int(r, 20, 64));
}

// ---- cloud access keys ----
function apiKeyText(r: Rand): string {
  switch (int(r, 0, 5)) {
    case 0: return pick(r, ['AKIA', 'ASIA']) + chars(r, UPPER + DIGITS, 16);
    case 1: return 'AIza' + chars(r, B64U, 35);
    case 2: return pick(r, ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) + chars(r, ALNUM, 36);
    case 3: return pick(r, ['sk_live_', 'rk_live_']) + chars(r, ALNUM, int(r, 24, 99));
    case 4: return `xox${pick(r, ['a', 'b', 'p', 'r'])}-${chars(r, DIGITS, int(r, 10, 13))}-${chars(r, DIGITS, int(r, 10, 13))}-${chars(r, ALNUM, 24)}`;
    default: return 'AKIA' + chars(r, UPPER + DIGITS, 16);
  }
}

// ---- PEM private key (RFC 7468) ----
function privateKeyText(r: Rand): string {
  const label = pick(r, ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
  const lines: string[] = [];
  for (let i = int(r, 2, 8); i > 0; i--) lines.push(chars(r, ALNUM + '+/', 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----`;
}

const PASSWORD_KEYS = ['password', 'passwd', 'pwd', 'new_password', 'client_secret', 'passphrase', 'adminPassword', 'secret'];
function passwordValue(r: Rand): string {
  return chars(r, LOWER + UPPER + DIGITS + '!#%&*', int(r, 6, 24));
}

// ---- hard negatives: close to a class, not in it ----
function negative(r: Rand): string {
  switch (int(r, 0, 27)) {
    case 0: { // a Luhn-valid PAN inside a longer digit run (20+ digits: no PAN is that long)
      const d = cardNumber(r);
      return d + chars(r, DIGITS, Math.max(1, 20 - d.length) + int(r, 0, 3));
    }
    case 1: { // …and at its end
      const d = cardNumber(r);
      return chars(r, DIGITS, Math.max(1, 20 - d.length) + int(r, 0, 3)) + d;
    }
    case 2: return 'INV' + cardNumber(r); // glued to letters
    case 3: { // a PAN-shaped number with a wrong check digit
      const d = cardNumber(r);
      return d.slice(0, -1) + String((Number(d.slice(-1)) + int(r, 1, 9)) % 10);
    }
    case 4: return String(1733500000000 + int(r, 0, 1e9)); // epoch milliseconds
    case 5: return `2026-${String(int(r, 1, 12)).padStart(2, '0')}-${String(int(r, 1, 28)).padStart(2, '0')}T${String(int(r, 0, 23)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}:00.${chars(r, DIGITS, 3)}Z`;
    case 6: return `(${int(r, 201, 989)}) ${int(r, 200, 999)}-${chars(r, DIGITS, 4)}`; // national format, no +
    case 7: return `+${chars(r, DIGITS, int(r, 4, 7))}`.replace('+0', '+1'); // too short for E.164
    case 8: return '+0' + chars(r, DIGITS, 10); // country code cannot start with 0
    case 9: return '+1' + chars(r, DIGITS, 16); // too long
    case 10: { // IBAN with broken check digits
      const i = ibanNumber(r);
      const bad = (Number(i.slice(2, 4)) + int(r, 1, 90)) % 100;
      const s = i.slice(0, 2) + String(bad).padStart(2, '0') + i.slice(4);
      return mod97(s) === 1 ? 'XX' + s.slice(2) : s;
    }
    case 11: return `${pick(r, ['000', '666', String(int(r, 900, 999))])}-${String(int(r, 1, 99)).padStart(2, '0')}-${String(int(r, 1, 9999)).padStart(4, '0')}`;
    case 12: return `${ssnParts(r)[0]}-00-${chars(r, DIGITS, 4)}`;
    case 13: return `${ssnParts(r)[0]}-${ssnParts(r)[1]}-0000`;
    case 14: return Buffer.from(chars(r, ALNUM, int(r, 20, 80))).toString('base64'); // base64 blob
    case 15: return `${b64url('{"typ":"JWT","cty":"x"}')}.${b64url('{"sub":"1"}')}.${chars(r, B64U, 43)}`; // JWT-shaped, no alg
    case 16: return b64url(JSON.stringify({ alg: 'HS256' })) + chars(r, B64U, 30); // one part only
    case 17: { // UUID
      const h = '0123456789abcdef';
      return `${chars(r, h, 8)}-${chars(r, h, 4)}-4${chars(r, h, 3)}-${chars(r, '89ab', 1)}${chars(r, h, 3)}-${chars(r, h, 12)}`;
    }
    case 18: return chars(r, '0123456789abcdef', pick(r, [32, 40, 64])); // hashes
    case 19: return `v${int(r, 0, 20)}.${int(r, 0, 99)}.${int(r, 0, 999)}${r() < 0.5 ? '-rc.' + int(r, 1, 9) : ''}`;
    case 20: return pick(r, ['user@localhost', '@handle', 'name@domain', 'a@b.c', `pkg@${int(r, 1, 9)}.${int(r, 0, 9)}.${int(r, 0, 9)}`]);
    case 21: return pick(r, ['the bearer of this card', 'Bearer realm="api"', 'bearer token required', 'Bearer authentication']);
    case 22: return pick(r, ['AKIA' + chars(r, UPPER + DIGITS, 12), 'akia' + chars(r, LOWER + DIGITS, 16), 'ghp_' + chars(r, ALNUM, 20), 'sk_test_' + chars(r, ALNUM, 24)]);
    case 23: return pick(r, ['-----BEGIN PUBLIC KEY-----', '-----BEGIN CERTIFICATE-----', '-----END PRIVATE KEY-----']);
    case 24: return `${int(r, 1, 99999)}.${chars(r, DIGITS, 2)}`; // amounts
    case 25: return `${int(r, 1, 255)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 0, 255)}`;
    case 26: return `ord_${chars(r, DIGITS, 20)}`;
    default: return chars(r, DIGITS, int(r, 20, 24)); // long numeric ids
  }
}

const WORDS = ['order', 'shipped', 'status', 'ok', 'the', 'customer', 'requested', 'refund', 'item', 'cart', 'note', 'and', 'with', 'value', 'for', 'account', 'updated', 'login', 'failed', 'retry'];
const PASSWORD_AS_VALUE = ['password', 'enter your password', 'password reset requested', 'type=password'];

// ---- bodies ----
interface Planted {
  text: string;
  classes: Record<string, number>;
}

function plant(r: Rand): Planted {
  const cls = pick(r, CORPUS_CLASSES.filter((c) => c !== 'password'));
  switch (cls) {
    case 'credit_card': return { text: cardText(r), classes: { credit_card: 1 } };
    case 'iban': return { text: ibanText(r), classes: { iban: 1 } };
    case 'ssn': return { text: ssnText(r), classes: { ssn: 1 } };
    case 'email': return { text: emailText(r), classes: { email: 1 } };
    case 'phone': return { text: phoneText(r), classes: { phone: 1 } };
    case 'jwt': return { text: jwtText(r), classes: { jwt: 1 } };
    case 'bearer_token': return r() < 0.3 ? { text: 'Bearer ' + jwtText(r), classes: { bearer_token: 1, jwt: 1 } } : { text: 'Bearer ' + opaqueToken(r), classes: { bearer_token: 1 } };
    case 'api_key': return { text: apiKeyText(r), classes: { api_key: 1 } };
    default: return { text: privateKeyText(r), classes: { private_key: 1 } };
  }
}

function sentence(r: Rand, planted: Planted[], negatives: number): string {
  const parts: string[] = [];
  for (let i = int(r, 2, 6); i > 0; i--) parts.push(pick(r, WORDS));
  for (const p of planted) parts.splice(int(r, 0, parts.length), 0, p.text);
  for (let i = 0; i < negatives; i++) parts.splice(int(r, 0, parts.length), 0, negative(r));
  // separators a person or a log line would put around values
  // values are delimited: a space between two numbers would make one longer number
  const numeric = (c: string | undefined) => c !== undefined && /[0-9+]/.test(c);
  return parts.map((p, i) => {
    if (i === 0) return p;
    const tight = numeric(parts[i - 1].slice(-1)) || numeric(p[0]);
    return (tight ? pick(r, [', ', '; ', ' | ']) : pick(r, [' ', ' ', ', ', '; ', ': ', ' ('])) + p;
  }).join('') + pick(r, ['.', '!', ')', ';']);
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const seg = (key: string) => (IDENT.test(key) ? `.${key}` : `['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`);

/** JSON string with some characters as \u escapes (or \/): what escaping encoders do. */
function jsonString(r: Rand, s: string, escapeRate: number): string {
  const plain = JSON.stringify(s);
  if (escapeRate === 0) return plain;
  let out = '"';
  const inner = plain.slice(1, -1);
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '\\') {
      const next = inner[i + 1];
      const len = next === 'u' ? 6 : 2;
      out += inner.slice(i, i + len);
      i += len - 1;
    } else if (r() < escapeRate) out += ch === '/' ? '\\/' : '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function add(truth: Record<string, number>, cls: string, path: string | null, n: number) {
  const k = `${cls}\t${path === null ? 'null' : path}`;
  truth[k] = (truth[k] ?? 0) + n;
}

function jsonBody(r: Rand, truth: Record<string, number>): string {
  const escapeRate = r() < 0.15 ? 0.3 : 0;
  const value = (path: string, depth: number): string => {
    const f = r();
    if (depth < 5 && f < 0.18) {
      const n = int(r, 0, 4);
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(value(`${path}[${i}]`, depth + 1));
      return `[${items.join(',')}]`;
    }
    if (depth < 5 && f < 0.4) return object(path, depth + 1);
    if (f < 0.55) { // a planted value, alone or in a sentence
      const p = plant(r);
      if (r() < 0.7) {
        for (const c of Object.keys(p.classes)) add(truth, c, path, p.classes[c]);
        if (p.classes.credit_card && /^\d+$/.test(p.text) && r() < 0.3) return p.text; // a bare JSON number
        return jsonString(r, p.text, escapeRate);
      }
      const more = r() < 0.3 ? [p, plant(r)] : [p];
      for (const q of more) for (const c of Object.keys(q.classes)) add(truth, c, path, q.classes[c]);
      return jsonString(r, sentence(r, more, int(r, 0, 2)), escapeRate);
    }
    if (f < 0.75) {
      const neg = negative(r);
      return /^\d{1,15}$/.test(neg) && r() < 0.5 ? neg : jsonString(r, neg, escapeRate);
    }
    if (f < 0.8) return pick(r, ['true', 'false', 'null', String(int(r, 0, 1e6)), String(r() * 100)]);
    return jsonString(r, r() < 0.1 ? pick(r, PASSWORD_AS_VALUE) : sentence(r, [], 0), escapeRate);
  };
  const object = (path: string, depth: number): string => {
    const members: string[] = [];
    for (let i = int(r, 1, 6); i > 0; i--) {
      let key = pick(r, ['id', 'name', 'pan', 'card', 'iban', 'contact', 'note', 'items', 'data', 'user', 'billing address', 'meta', 'token', 'auth', 'value', 'x-id', 'ref']) + (r() < 0.5 ? '' : String(i));
      if (members.some((m) => m.startsWith(JSON.stringify(key) + ':'))) key += `_${i}`;
      const keyText = JSON.stringify(key);
      const p = path + seg(key);
      if (r() < 0.08) {
        const pk = pick(r, PASSWORD_KEYS) + (r() < 0.2 ? String(i) : '');
        if (!members.some((m) => m.startsWith(JSON.stringify(pk) + ':'))) {
          const pw = passwordValue(r);
          add(truth, 'password', path + seg(pk), 1);
          members.push(`${JSON.stringify(pk)}:${jsonString(r, pw, escapeRate)}`);
          continue;
        }
      }
      if (r() < 0.05) { // bare 9-digit SSN, said so by its key
        const k = pick(r, ['ssn', 'social_security_number', 'SSN']);
        if (!members.some((m) => m.startsWith(JSON.stringify(k) + ':'))) {
          add(truth, 'ssn', path + seg(k), 1);
          members.push(`${JSON.stringify(k)}:"${ssnParts(r).join('')}"`);
          continue;
        }
      }
      members.push(`${keyText}:${value(p, depth)}`);
    }
    const ws = r() < 0.3 ? '\n  ' : '';
    return `{${ws}${members.join(',' + ws)}}`;
  };
  return r() < 0.85 ? object('$', 0) : `[${[0, 1, 2].map((i) => object(`$[${i}]`, 1)).join(',')}]`;
}

function formBody(r: Rand, truth: Record<string, number>): string {
  const pairs: string[] = [];
  const used = new Set<string>();
  for (let i = int(r, 2, 8); i > 0; i--) {
    let key = pick(r, ['card', 'pan', 'iban', 'email', 'phone', 'q', 'note', 'id', 'token', 'ssn_no', 'ref', 'amount']);
    if (used.has(key)) key += String(i);
    used.add(key);
    let value: string;
    const f = r();
    if (f < 0.12) {
      key = pick(r, PASSWORD_KEYS);
      if (used.has(key + '#pw')) continue;
      used.add(key + '#pw');
      value = passwordValue(r);
      add(truth, 'password', key, 1);
    } else if (f < 0.6) {
      const p = plant(r);
      value = r() < 0.7 ? p.text : sentence(r, [p], int(r, 0, 1));
      for (const c of Object.keys(p.classes)) add(truth, c, key, p.classes[c]);
    } else if (f < 0.85) value = negative(r);
    else value = r() < 0.2 ? pick(r, PASSWORD_AS_VALUE) : sentence(r, [], 0);
    let enc = encodeURIComponent(value);
    if (r() < 0.6) enc = enc.replace(/%20/g, '+');
    pairs.push(`${encodeURIComponent(key)}=${enc}`);
  }
  return pairs.join('&');
}

function textBody(r: Rand, truth: Record<string, number>): string {
  const lines: string[] = [];
  for (let i = int(r, 1, 12); i > 0; i--) {
    const planted: Planted[] = [];
    for (let k = r() < 0.6 ? int(r, 1, 2) : 0; k > 0; k--) planted.push(plant(r));
    for (const p of planted) for (const c of Object.keys(p.classes)) add(truth, c, null, p.classes[c]);
    lines.push(sentence(r, planted, int(r, 0, 2)));
  }
  if (r() < 0.2) lines.push(pick(r, PASSWORD_AS_VALUE) + ' ' + pick(r, WORDS));
  return lines.join(pick(r, ['\n', '\r\n', ' ']));
}

/** `count` bodies from `seed`: the same seed gives the same corpus. */
export function generateCorpus(seed: number, count: number): CorpusBody[] {
  const r = prng(seed);
  const out: CorpusBody[] = [];
  for (let i = 0; i < count; i++) {
    const truth: Record<string, number> = {};
    const f = r();
    const format: BodyFormat = f < 0.5 ? 'json' : f < 0.75 ? 'form' : 'text';
    let body: string;
    let contentType: string;
    if (format === 'json') {
      body = jsonBody(r, truth);
      contentType = pick(r, ['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json']);
    } else if (format === 'form') {
      body = formBody(r, truth);
      contentType = 'application/x-www-form-urlencoded';
    } else {
      body = textBody(r, truth);
      contentType = pick(r, ['text/plain', 'text/plain; charset=utf-8', 'text/csv']);
    }
    out.push({ id: `b${seed}-${i}`, body, contentType, direction: r() < 0.5 ? 'request' : 'response', format, truth });
  }
  return out;
}
