// A second, independent corpus for the sensitive-data classifier bench (`npm run bench:dataclass --
// --generator 2`). Written only from README "Sensitive-data classifiers" and public format specs
// (ISO 13616 IBAN registry lengths, ISO 7064 mod-97, Luhn, SSA SSN rules, E.164, RFC 7519/6750,
// RFC 7468 PEM) — not from the engine nor from the first generator — so rules fitted to one
// generator's value shapes show up as misses here.
//
// Shapes: realistic API payloads (e-commerce orders, bank transfers, payroll batches, support
// tickets with free text, OAuth token endpoints, service configs, report exports with deeply nested
// arrays), NDJSON logs, pretty-printed JSON with unicode and escapes, keys with spaces (`$['a b']`),
// form bodies (percent- and `+`-encoded) and plain text (e-mail messages, access/app logs, chat
// transcripts). Hard negatives are planted next to the positives and never counted.
//
// Only values whose classification the README makes unambiguous are planted in either direction;
// e.g. no passwords in form bodies, no SSN-as-number, no planted values under keys whose path
// syntax the README does not fix (keys with quotes, dashes or non-space punctuation hold only noise).
import { prng, type CorpusBody, type BodyFormat } from '../dataclass-corpus/generate';

export type Rand = () => number;

// ---------------------------------------------------------------- small helpers

const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, a: readonly T[]): T => a[Math.floor(r() * a.length)];
const chance = (r: Rand, p: number) => r() < p;
const DIG = '0123456789';
const UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LO = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = UP + LO + DIG;
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '-_';
const HEX = '0123456789abcdef';

function chars(r: Rand, n: number, alphabet: string): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}
const digits = (r: Rand, n: number) => chars(r, n, DIG);

/** Substrings that could turn random filler into something the contract classifies. */
const ACCIDENTAL = /AKIA|ASIA|AIza|gh[pousr]_|[sr]k_live_|xox[abpr]-|bearer|\+\d|@|\d{9,}/i;

/** Random text from an alphabet that cannot accidentally contain a classified value. */
function safeChars(r: Rand, n: number, alphabet: string): string {
  for (;;) {
    const s = chars(r, n, alphabet);
    if (!ACCIDENTAL.test(s)) return s;
  }
}

function bytes(r: Rand, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

export function b64url(s: string | Uint8Array): string {
  return Buffer.from(typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64url');
}

// ---------------------------------------------------------------- credit cards (Luhn, issuer ranges)

export function luhnValid(d: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = d.length - 1; i >= 0; i--) {
    let n = d.charCodeAt(i) - 48;
    if (dbl) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

function luhnComplete(partial: string): string {
  for (let c = 0; c < 10; c++) if (luhnValid(partial + c)) return partial + c;
  throw new Error('unreachable');
}

/** Issuer range at a length it issues (README table), regardless of Luhn. */
export function issuerOk(d: string): boolean {
  const len = d.length;
  if (len < 13 || len > 19 || !/^\d+$/.test(d)) return false;
  const p2 = +d.slice(0, 2);
  const p3 = +d.slice(0, 3);
  const p4 = +d.slice(0, 4);
  if (d[0] === '4' && (len === 13 || len === 16 || len === 19)) return true;
  if (len === 16 && ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720))) return true;
  if (len === 15 && (p2 === 34 || p2 === 37)) return true;
  if (len >= 16 && (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649))) return true;
  if (len >= 16 && p4 >= 3528 && p4 <= 3589) return true;
  if (len >= 14 && ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38)) return true;
  if (len >= 16 && p2 === 62) return true;
  return false;
}

/** Would the card class match these bare digits? */
export const cardLike = (d: string) => issuerOk(d) && luhnValid(d);

const ISSUERS: { name: string; prefix: (r: Rand) => string; lengths: number[] }[] = [
  { name: 'visa', prefix: () => '4', lengths: [13, 16, 16, 16, 19] },
  { name: 'mastercard', prefix: (r) => (chance(r, 0.6) ? String(int(r, 51, 55)) : String(int(r, 2221, 2720))), lengths: [16] },
  { name: 'amex', prefix: (r) => pick(r, ['34', '37']), lengths: [15] },
  { name: 'discover', prefix: (r) => pick(r, ['6011', '65', String(int(r, 644, 649))]), lengths: [16, 17, 18, 19] },
  { name: 'jcb', prefix: (r) => String(int(r, 3528, 3589)), lengths: [16, 17, 18, 19] },
  { name: 'diners', prefix: (r) => pick(r, [String(int(r, 300, 305)), '36', '38']), lengths: [14, 15, 16, 17, 18, 19] },
  { name: 'unionpay', prefix: () => '62', lengths: [16, 17, 18, 19] },
];

/** Digits of a valid card of a random issuer and one of its lengths. */
export function cardDigits(r: Rand): string {
  const iss = pick(r, ISSUERS);
  const len = pick(r, iss.lengths);
  const p = iss.prefix(r);
  return luhnComplete(p + digits(r, len - 1 - p.length));
}

function cardGroups(r: Rand, len: number): number[] {
  switch (len) {
    case 13: return [4, 4, 5];
    case 14: return [4, 6, 4];
    case 15: return pick(r, [[4, 6, 5], [4, 4, 4, 3]]);
    case 16: return [4, 4, 4, 4];
    case 17: return [4, 4, 4, 5];
    case 18: return pick(r, [[4, 4, 4, 6], [4, 4, 4, 4, 2]]);
    default: return pick(r, [[4, 4, 4, 4, 3], [4, 4, 4, 7]]);
  }
}

export function groupDigits(d: string, groups: number[], sep: string): string {
  const out: string[] = [];
  let at = 0;
  for (const g of groups) {
    out.push(d.slice(at, at + g));
    at += g;
  }
  return out.join(sep);
}

/** A card as written by people and forms: compact, or grouped by spaces or dashes. */
export function cardText(r: Rand, d = cardDigits(r)): string {
  const f = r();
  if (f < 0.35) return d;
  return groupDigits(d, cardGroups(r, d.length), f < 0.75 ? ' ' : '-');
}

// ---------------------------------------------------------------- IBAN (registry lengths, mod-97)

/** BBAN structure per country from the SWIFT IBAN registry: n digits, a upper-case letters, c alphanumerics. */
export const IBAN_BBAN: Record<string, string> = {
  AT: '16n', BE: '12n', BG: '4a6n8c', BR: '23n1a1c', CH: '5n12c', CY: '8n16c', CZ: '20n', DE: '18n',
  DK: '14n', EE: '16n', ES: '20n', FI: '14n', FR: '10n11c2n', GB: '4a14n', GR: '7n16c', HR: '17n',
  HU: '24n', IE: '4a14n', IL: '19n', IS: '22n', IT: '1a10n12c', KW: '4a22c', LI: '5n12c', LT: '16n',
  LU: '3n13c', MT: '4a5n18c', NL: '4a10n', NO: '11n', PL: '24n', PT: '21n', QA: '4a21c', RO: '4a16c',
  SA: '2n18c', SE: '20n', SI: '15n', SK: '20n', TR: '5n1n16c', AE: '3n16n',
};
/** Total IBAN length per country (registry). */
export const IBAN_LENGTH: Record<string, number> = Object.fromEntries(
  Object.entries(IBAN_BBAN).map(([cc, f]) => [cc, 4 + [...f.matchAll(/(\d+)[nac]/g)].reduce((s, m) => s + Number(m[1]), 0)]),
);

export function mod97(s: string): number {
  let rem = 0;
  for (const ch of s.toUpperCase()) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const c of v) rem = (rem * 10 + (c.charCodeAt(0) - 48)) % 97;
  }
  return rem;
}

export function ibanValid(iban: string): boolean {
  const s = iban.replace(/ /g, '').toUpperCase();
  const cc = s.slice(0, 2);
  if (!(cc in IBAN_LENGTH) || s.length !== IBAN_LENGTH[cc] || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

function bban(r: Rand, cc: string): string {
  let out = '';
  for (const m of IBAN_BBAN[cc].matchAll(/(\d+)([nac])/g)) {
    const n = Number(m[1]);
    if (m[2] === 'n') out += digits(r, n);
    else if (m[2] === 'a') out += chars(r, n, UP);
    else out += chars(r, n, chance(r, 0.7) ? DIG : UP + DIG);
  }
  return out;
}

function ibanFrom(cc: string, b: string): string {
  const check = 98 - mod97(b + cc + '00');
  return cc + String(check).padStart(2, '0') + b;
}

/** Could some whole groups of a grouped value read as a grouped card (first group of 4, same separator)? */
function groupedCardRisk(grouped: string, sep: string): boolean {
  const g = grouped.split(sep);
  for (let i = 0; i < g.length; i++) {
    if (g[i].length !== 4) continue;
    let d = '';
    for (let j = i; j < g.length && /^\d+$/.test(g[j]); j++) {
      d += g[j];
      if (d.length >= 13 && d.length <= 19 && cardLike(d)) return true;
    }
  }
  return false;
}

export function ibanCompact(r: Rand, cc = pick(r, Object.keys(IBAN_BBAN))): string {
  return ibanFrom(cc, bban(r, cc));
}

function groupIban(s: string): string {
  return s.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A valid IBAN as written: compact or in groups of 4, upper or lower case. */
export function ibanText(r: Rand): string {
  for (;;) {
    let s = ibanCompact(r);
    if (chance(r, 0.5)) s = groupIban(s);
    if (groupedCardRisk(s, ' ')) continue;
    return chance(r, 0.25) ? s.toLowerCase() : s;
  }
}

// ---------------------------------------------------------------- SSN

export function ssnValid(s: string): boolean {
  const m = /^(\d{3})-?(\d{2})-?(\d{4})$/.exec(s);
  if (!m) return false;
  const a = +m[1];
  return a !== 0 && a !== 666 && a < 900 && m[2] !== '00' && m[3] !== '0000';
}

export function ssnDigits(r: Rand): string {
  let a = int(r, 1, 899);
  if (a === 666) a = 667;
  return String(a).padStart(3, '0') + String(int(r, 1, 99)).padStart(2, '0') + String(int(r, 1, 9999)).padStart(4, '0');
}
export const ssnDashed = (d: string) => `${d.slice(0, 3)}-${d.slice(3, 5)}-${d.slice(5)}`;

// ---------------------------------------------------------------- people, e-mail, phone

const FIRST = ['jane', 'omar', 'li', 'sofia', 'mateo', 'aisha', 'lukas', 'priya', 'noah', 'chloe', 'kenji', 'fatima', 'ivan', 'grace', 'tomas', 'amara'];
const LAST = ['doe', 'haddad', 'wei', 'rossi', 'garcia', 'khan', 'schmidt', 'patel', 'nguyen', 'martin', 'tanaka', 'okafor', 'petrov', 'oconnor', 'novak', 'silva'];
const DISPLAY = ['José Álvarez', 'Zoë Müller', 'Łukasz Nowak', '渡辺 健', 'Ngozi Okafor', 'Søren Kjær', 'François Dupont', 'Ana María Núñez', 'Олег Петров', 'Nguyễn Thị Lan', 'Chloé Martin', 'Dana Fischer'];
const TLDS = ['com', 'org', 'net', 'io', 'de', 'fr', 'uk', 'museum', 'photography', 'international', 'engineering', 'consulting', 'technology', 'travelersinsurance', 'solutions', 'COM'];
const DOMAIN_WORDS = ['example', 'acme', 'mailhost', 'corp', 'shop', 'globex', 'initech', 'umbrella', 'contoso', 'fabrikam', 'northwind', 'hooli'];
const TAGS = ['orders', 'billing', 'news', 'dev', 'receipts', 'eu', 'travel', 'x'];

export function emailText(r: Rand): string {
  const f = pick(r, FIRST);
  const l = pick(r, LAST);
  let local = pick(r, [`${f}.${l}`, `${f}${l}`, `${f[0]}_${l}`, `${f}.${l}${int(r, 1, 99)}`, `${f}-${l}`, `${l}%${f}`]);
  if (chance(r, 0.35)) local += '+' + pick(r, TAGS) + (chance(r, 0.3) ? '.' + pick(r, TAGS) : '');
  if (chance(r, 0.1)) local = local.toUpperCase();
  const labels: string[] = [];
  if (chance(r, 0.35)) labels.push(pick(r, ['mail', 'eu', 'us', 'corp', 'staff', 'support']));
  if (chance(r, 0.15)) labels.push(pick(r, ['west', 'internal', 'lists']));
  labels.push(pick(r, DOMAIN_WORDS));
  if (chance(r, 0.1)) labels.push('co');
  labels.push(pick(r, TLDS));
  return `${local}@${labels.join('.')}`;
}

/** E.164 templates: groups after '+', first is the country code. */
const PHONE_PLANS: ((r: Rand) => { groups: string[]; trunk?: boolean })[] = [
  (r) => ({ groups: ['1', String(int(r, 201, 989)), String(int(r, 201, 999)), digits(r, 4)] }),
  (r) => ({ groups: ['44', '20', String(int(r, 7000, 8999)), digits(r, 4)], trunk: true }),
  (r) => ({ groups: ['44', '7' + digits(r, 3), digits(r, 6)] }),
  (r) => ({ groups: ['49', pick(r, ['30', '89', '40']), digits(r, int(r, 6, 8))], trunk: true }),
  (r) => ({ groups: ['49', '15' + digits(r, 1), digits(r, 8)] }),
  (r) => ({ groups: ['33', String(int(r, 1, 9)), digits(r, 2), digits(r, 2), digits(r, 2), digits(r, 2)], trunk: true }),
  (r) => ({ groups: ['81', String(int(r, 3, 9)), digits(r, 4), digits(r, 4)] }),
  (r) => ({ groups: ['91', '9' + digits(r, 4), digits(r, 5)] }),
  (r) => ({ groups: ['61', String(int(r, 2, 8)), digits(r, 4), digits(r, 4)] }),
  (r) => ({ groups: ['41', '44', digits(r, 3), digits(r, 2), digits(r, 2)] }),
  (r) => ({ groups: ['65', String(int(r, 6, 9)) + digits(r, 3), digits(r, 4)] }),
  (r) => ({ groups: ['55', '11', '9' + digits(r, 4), digits(r, 4)] }),
  (r) => ({ groups: ['353', '1', digits(r, 3), digits(r, 4)] }),
  (r) => ({ groups: ['971', '4', digits(r, 3), digits(r, 4)] }),
];

export function phoneDigits(p: string): string {
  return p.replace(/\D/g, '');
}

/** A valid E.164 number in one of the README's written forms. */
export function phoneText(r: Rand): string {
  for (;;) {
    const plan = pick(r, PHONE_PLANS)(r);
    const g = plan.groups;
    const f = r();
    let s: string;
    if (f < 0.25) s = '+' + g.join('');
    else if (f < 0.45) s = '+' + g.join(' ');
    else if (f < 0.6) s = '+' + g.join('-');
    else if (f < 0.7) s = '+' + g.join('.');
    else if (f < 0.85 && g.length >= 3) s = `+${g[0]} (${g[1]}) ${g.slice(2).join(g[0] === '1' ? '-' : ' ')}`;
    else if (plan.trunk) s = `+${g[0]} (0)${g[1]} ${g.slice(2).join(' ')}`;
    else s = '+' + g.join(' ');
    const d = phoneDigits(s);
    if (d.length < 8 || d.length > 15 || d[0] === '0' || cardLike(d)) continue;
    return s;
  }
}

// ---------------------------------------------------------------- JWT, bearer, API keys, PEM, passwords

const JWT_ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS512', 'ES256', 'ES384', 'PS256', 'EdDSA', 'none'];
const SIG_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64, RS256: 256, RS512: 256, ES256: 64, ES384: 96, PS256: 256, EdDSA: 64, none: 0 };

export function jwtText(r: Rand): string {
  for (;;) {
    const alg = pick(r, JWT_ALGS);
    const header: Record<string, unknown> = chance(r, 0.5) ? { alg, typ: pick(r, ['JWT', 'at+jwt', 'JWT']) } : { typ: 'JWT', alg };
    if (chance(r, 0.6)) header.kid = pick(r, [safeChars(r, 16, HEX), `key-${int(r, 2019, 2026)}-${int(r, 1, 12)}`, safeChars(r, 22, B64URL)]);
    const now = int(r, 1_700_000_000, 1_800_000_000);
    const payload: Record<string, unknown> = {
      iss: pick(r, ['https://auth.example.com/', 'https://login.acme.io', 'urn:meshward:sts']),
      sub: pick(r, [safeChars(r, 24, ALNUM), `user|${int(r, 1000, 99999)}`]),
      aud: pick(r, ['shop-api', ['billing', 'ledger'], 'https://api.example.com']),
      iat: now, exp: now + pick(r, [300, 900, 3600, 86400]),
    };
    if (chance(r, 0.5)) payload.scope = pick(r, ['openid profile email', 'orders:read orders:write', 'admin']);
    if (chance(r, 0.3)) payload.name = pick(r, DISPLAY);
    if (chance(r, 0.3)) payload.jti = safeChars(r, 20, ALNUM);
    // mostly compact; Python-style `{"alg": "HS256", "typ": "JWT"}`; rarely with whitespace after `{`
    // (pretty-printed or padded) — still "a JSON object with a string alg" by the contract
    const hf = r();
    const headerJson = hf < 0.06 ? JSON.stringify(header, null, pick(r, [1, 2]))
      : hf < 0.1 ? `{ ${JSON.stringify(header).slice(1, -1)} }`
        : hf < 0.3 ? JSON.stringify(header).replace(/":/g, '": ').replace(/,"/g, ', "')
          : JSON.stringify(header);
    const emptySig = alg === 'none' || chance(r, 0.08);
    const sig = emptySig ? '' : b64url(bytes(r, SIG_BYTES[alg] || 32));
    const t = `${b64url(headerJson)}.${b64url(JSON.stringify(payload))}.${sig}`;
    if (!ACCIDENTAL.test(t)) return t;
  }
}

/** An opaque RFC 6750 token: 16+ characters, letters and digits mixed (never a plain word). */
export function opaqueToken(r: Rand): string {
  for (;;) {
    const n = int(r, 16, 72);
    let t = chance(r, 0.6) ? chars(r, n, ALNUM) : chars(r, n, ALNUM + '-._~');
    if (chance(r, 0.1)) t += '=';
    if (/\d/.test(t) && /[A-Za-z]/.test(t) && /^[A-Za-z0-9]/.test(t) && !ACCIDENTAL.test(t)) return t;
  }
}

export const bearerWord = (r: Rand) => pick(r, ['Bearer', 'Bearer', 'Bearer', 'bearer', 'BEARER']);

export type ApiProvider = 'aws' | 'google' | 'github' | 'stripe' | 'slack';
export function apiKeyText(r: Rand, provider: ApiProvider = pick(r, ['aws', 'google', 'github', 'stripe', 'slack'] as const)): string {
  switch (provider) {
    case 'aws': return pick(r, ['AKIA', 'ASIA']) + chars(r, 16, UP + '234567');
    case 'google': return 'AIza' + safeChars(r, 35, ALNUM + '-_');
    case 'github': return pick(r, ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) + safeChars(r, 36, ALNUM);
    case 'stripe': return pick(r, ['sk_live_', 'rk_live_']) + safeChars(r, int(r, 24, 99), ALNUM);
    default: {
      // the 13-digit team part sits between dashes (a card separator): keep it from being card-like
      let team = digits(r, 13);
      while (cardLike(team)) team = digits(r, 13);
      return pick(r, ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-']) + `${digits(r, int(r, 10, 12))}-${team}-${safeChars(r, 24, ALNUM)}`;
    }
  }
}

export const PEM_PRIVATE = ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PRIVATE KEY'];

function pemBlock(r: Rand, label: string, nBytes: number, eol: string, headers = ''): string {
  let b = '';
  while (b.length < (nBytes * 4) / 3) b += safeChars(r, 64, B64);
  b = b.slice(0, Math.ceil((nBytes * 4) / 3 / 4) * 4);
  const width = label.startsWith('OPENSSH') ? 70 : 64;
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += width) lines.push(b.slice(i, i + width));
  return `-----BEGIN ${label}-----${eol}${headers}${lines.join(eol)}${eol}-----END ${label}-----`;
}

/** A PEM private key block of one of the README's kinds (one BEGIN line = one match). */
export function privateKeyPem(r: Rand, eol = pick(r, ['\n', '\n', '\r\n'])): string {
  const label = pick(r, PEM_PRIVATE);
  const size = label.startsWith('EC') ? 121 : label.startsWith('OPENSSH') ? int(r, 380, 1700) : int(r, 600, 1220);
  const headers = label === 'RSA PRIVATE KEY' && chance(r, 0.3)
    ? `Proc-Type: 4,ENCRYPTED${eol}DEK-Info: AES-128-CBC,${safeChars(r, 32, 'ABCDEF0123456789')}${eol}${eol}` : '';
  return pemBlock(r, label, size, eol, headers);
}

export const PASSWORD_KEYS = ['password', 'Password', 'PASSWORD', 'passwd', 'pwd', 'pass', 'passphrase', 'secret', 'client_secret', 'api_secret',
  'new_password', 'old_password', 'confirm_password', 'db_password', 'DB_PASSWORD', 'userPassword', 'password2', 'adminPassword'];
const PW_WORDS = ['correct', 'horse', 'battery', 'staple', 'Winter', 'Sommer', 'dragon', 'monkey', 'Tr0ub4dor', 'letmein', 'sunshine', 'qwerty', 'Kätzchen', 'пароль'];

export function passwordText(r: Rand): string {
  const f = r();
  if (f < 0.3) return pick(r, PW_WORDS) + pick(r, ['!', '#', '$', '&', '*', '?', '']) + int(r, 0, 9999);
  if (f < 0.5) return [pick(r, PW_WORDS), pick(r, PW_WORDS), pick(r, PW_WORDS)].join(pick(r, ['-', '_', '.', ' ']));
  if (f < 0.9) return safeChars(r, int(r, 8, 40), ALNUM + '!#$%^&*?-_.~');
  return pick(r, ['********', 'hunter2', '${DB_PASSWORD}', 'changeme', 'p"ss\\word']);
}

// ---------------------------------------------------------------- hard negatives (must match nothing)

function luhnInvalid(d: string): string {
  const last = (d.charCodeAt(d.length - 1) - 48 + 1 + Math.floor((d.length * 7) % 9)) % 10;
  const x = d.slice(0, -1) + last;
  return luhnValid(x) ? d.slice(0, -1) + ((last + 1) % 10) : x;
}

function notCardDigits(r: Rand, n: number, first: string): string {
  for (;;) {
    const d = first + digits(r, n - first.length);
    if (!cardLike(d)) return d;
  }
}

function badIban(r: Rand): string {
  const s = ibanCompact(r);
  const cc = s.slice(0, 2);
  let out: string;
  const f = r();
  if (f < 0.5) out = cc + String((+s.slice(2, 4) + int(r, 1, 90)) % 97 + 2).padStart(2, '0') + s.slice(4);
  else if (f < 0.8) {
    // one BBAN digit changed
    const i = int(r, 4, s.length - 1);
    const c = s[i];
    const repl = /\d/.test(c) ? String((+c + int(r, 1, 9)) % 10) : c === 'Z' ? 'A' : String.fromCharCode(c.charCodeAt(0) + 1);
    out = s.slice(0, i) + repl + s.slice(i + 1);
  } else {
    // valid check digits but the wrong registry length (one BBAN digit short)
    const b = s.slice(4, -1);
    out = ibanFrom(cc, b);
  }
  if (ibanValid(out)) return badIban(r);
  if (chance(r, 0.4)) {
    const g = groupIban(out);
    if (!groupedCardRisk(g, ' ')) return g;
  }
  return out;
}

function badSsn(r: Rand): string {
  const d = ssnDigits(r);
  const f = r();
  let s: string;
  if (f < 0.25) s = '000' + d.slice(3);
  else if (f < 0.45) s = '666' + d.slice(3);
  else if (f < 0.65) s = String(int(r, 900, 999)) + d.slice(3);
  else if (f < 0.85) s = d.slice(0, 3) + '00' + d.slice(5);
  else s = d.slice(0, 5) + '0000';
  return ssnDashed(s);
}

/** Negatives safe in any string context (JSON string, form value, text). Each is a function of r. */
const NEGATIVES: Record<string, (r: Rand) => string> = {
  luhnInvalidCard: (r) => cardText(r, luhnInvalid(cardDigits(r))),
  cardInLongRun: (r) => {
    const c = cardDigits(r);
    return pick(r, [digits(r, int(r, 1, 4)) + c, c + digits(r, int(r, 1, 4)), '0000' + c]).padEnd(20, '7');
  },
  cardGlued: (r) => {
    const c = cardDigits(r);
    return pick(r, [`tok_${c}`, `pm${c}`, `${c}x`, `cus_${c}_v2`, `INV${c}`, `${c}_old`]);
  },
  cardDecimal: (r) => {
    const c = cardDigits(r);
    return pick(r, [`${c}.5`, `0.${c}`, `${c}.00`, `-${c.slice(0, 8)}.${c.slice(8)}`]);
  },
  cardMixedSeparators: (r) => {
    const c = cardDigits(r).slice(0, 16).padEnd(16, '0');
    const d = luhnComplete('4' + c.slice(1, 15));
    return `${d.slice(0, 4)} ${d.slice(4, 8)}-${d.slice(8, 12)} ${d.slice(12)}`;
  },
  wrongIssuer: (r) => luhnComplete(pick(r, ['1', '7', '8', '9', '0']) + digits(r, 14)),
  // Visa issues 13/16/19 only, so a Luhn-valid '4…' of 14, 15 or 17 digits is not a card
  wrongLength: (r) => luhnComplete('4' + digits(r, pick(r, [12, 13, 15]))),
  imei: (r) => luhnComplete(pick(r, ['35', '86', '01', '99']) + digits(r, 12)),
  isbn13: (r) => {
    const b = pick(r, ['978', '979']) + digits(r, 9);
    let s = 0;
    for (let i = 0; i < 12; i++) s += (b.charCodeAt(i) - 48) * (i % 2 ? 3 : 1);
    const full = b + ((10 - (s % 10)) % 10);
    return chance(r, 0.5) ? full : `${full.slice(0, 3)}-${full[3]}-${full.slice(4, 7)}-${full.slice(7, 12)}-${full[12]}`;
  },
  epochMs: (r) => String(int(r, 1_600_000_000_000, 1_799_999_999_999)),
  isoTs: (r) => `20${int(r, 20, 26)}-${String(int(r, 1, 12)).padStart(2, '0')}-${String(int(r, 1, 28)).padStart(2, '0')}T${String(int(r, 0, 23)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}.${digits(r, 3)}Z`,
  uuid: (r) => `${chars(r, 8, HEX)}-${chars(r, 4, HEX)}-4${chars(r, 3, HEX)}-${pick(r, ['8', '9', 'a', 'b'])}${chars(r, 3, HEX)}-${chars(r, 12, HEX)}`,
  sha256: (r) => chars(r, 64, HEX),
  trackingUsps: (r) => '9400' + digits(r, 18),
  trackingUps: (r) => `1Z${chars(r, 6, UP + DIG)}${digits(r, 10)}`,
  orderId: (r) => pick(r, [`ORD-${int(r, 2019, 2026)}-${digits(r, 6)}`, `A${digits(r, 8)}-${digits(r, 2)}`, notCardDigits(r, 20, '2')]),
  snowflake: (r) => '1' + digits(r, 18),
  badIban,
  badSsn,
  phoneNational: (r) => pick(r, [`(${int(r, 201, 989)}) ${int(r, 201, 999)}-${digits(r, 4)}`, `020 7946 ${digits(r, 4)}`, `030 ${digits(r, 8)}`, `0${int(r, 6, 7)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`]),
  phoneBadPlus: (r) => pick(r, [`+0${digits(r, 10)}`, `+${int(r, 1, 9)}${digits(r, 5)}`, `+${int(r, 1, 9)}${digits(r, int(r, 16, 18))}`]),
  emailNoTld: (r) => pick(r, [`${pick(r, FIRST)}@localhost`, `root@${pick(r, DOMAIN_WORDS)}`, `admin@intranet`]),
  emailNumeric: (r) => `${pick(r, FIRST)}@10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`,
  pkgVersion: (r) => `${pick(r, ['lodash', 'react', 'express', '@types/node', 'left-pad'])}@${int(r, 1, 20)}.${int(r, 0, 30)}.${int(r, 0, 9)}`,
  handle: (r) => `@${pick(r, FIRST)}_${pick(r, LAST)}`,
  dottedNotJwt: (r) => `${safeChars(r, int(r, 10, 40), B64URL)}.${safeChars(r, int(r, 10, 60), B64URL)}.${safeChars(r, int(r, 0, 43), B64URL)}`,
  jwtNoAlg: (r) => `${b64url(pick(r, ['{"typ":"JWT"}', '{"alg":null,"typ":"JWT"}', '{"alg":256}', '["alg","HS256"]', '{"kid":"k1","enc":"A256GCM"}']))}.${b64url(`{"sub":"${pick(r, FIRST)}"}`)}.${safeChars(r, 43, B64URL)}`,
  hostname: (r) => `${pick(r, ['api', 'www', 'cdn', 'auth'])}.${pick(r, DOMAIN_WORDS)}.${pick(r, ['com', 'net', 'io'])}`,
  bearerWord: (r) => `${bearerWord(r)} ${pick(r, ['token', 'authentication', 'counterintelligence', 'responsibilities', 'undefined', 'null', '<token>', '${TOKEN}', 'abc123def'])}`,
  bearerProse: (r) => pick(r, ['the bearer of this card', 'payable to bearer on demand', 'bearer bonds are not accepted', 'the Bearer scheme is required']),
  basicAuth: (r) => `Basic ${Buffer.from(`${pick(r, FIRST)}:${pick(r, PW_WORDS)}`).toString('base64')}`,
  akiaShort: (r) => 'AKIA' + chars(r, 15, UP + DIG),
  akiaLower: (r) => 'AKIA' + chars(r, 16, LO),
  stripeTest: (r) => pick(r, ['sk_test_', 'pk_live_', 'pk_test_']) + safeChars(r, 24, ALNUM),
  githubShort: (r) => 'ghp_' + safeChars(r, 20, ALNUM),
  slackShort: (r) => pick(r, ['xoxb-', 'xoxp-']) + digits(r, 4),
  publicPem: (r) => pemBlock(r, pick(r, ['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE', 'CERTIFICATE REQUEST', 'X509 CRL']), int(r, 90, 900), '\n'),
  sshPublic: (r) => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${safeChars(r, 43, B64.replace('+', ''))} ${pick(r, FIRST)}@laptop`,
  version: (r) => `v${int(r, 0, 9)}.${int(r, 0, 40)}.${int(r, 0, 99)}-rc.${int(r, 1, 9)}`,
  routing: (r) => String(int(r, 11_000_000, 32_999_999)).padStart(9, '0'),
  wordPassword: (r) => pick(r, ['password', 'Password', 'PASSWORD', 'my password', 'reset-password']),
};

export const NEGATIVE_KINDS = Object.keys(NEGATIVES);
export function negative(r: Rand, kind = pick(r, NEGATIVE_KINDS)): string {
  return NEGATIVES[kind](r);
}

/** Negatives that are bare digit strings, fit to be written as JSON numbers. */
const NUMERIC_NEG = [
  (r: Rand) => luhnInvalid(cardDigits(r)),
  (r: Rand) => `${cardDigits(r)}.5`,
  (r: Rand) => `0.${cardDigits(r)}`,
  (r: Rand) => '1' + cardDigits(r).padEnd(19, '3'),
  NEGATIVES.imei, NEGATIVES.epochMs, NEGATIVES.snowflake, NEGATIVES.wrongIssuer, NEGATIVES.wrongLength,
  (r: Rand) => NEGATIVES.isbn13(r).replace(/-/g, ''),
];

/** A numeric negative written as a valid JSON number (no leading zeros). */
function numericNeg(r: Rand): string {
  for (;;) {
    const s = pick(r, NUMERIC_NEG)(r);
    if (/^(0|[1-9]\d*)(\.\d+)?$/.test(s)) return s;
  }
}

// ---------------------------------------------------------------- values with planted classes

/** A piece of text and the classes planted in it (one entry per match). */
export interface V { s: string; p: string[] }
const v = (s: string, ...p: string[]): V => ({ s, p });
function cat(...parts: (V | string)[]): V {
  const out: V = { s: '', p: [] };
  for (const x of parts) {
    if (typeof x === 'string') out.s += x;
    else {
      out.s += x.s;
      out.p.push(...x.p);
    }
  }
  return out;
}

const pCard = (r: Rand) => v(cardText(r), 'credit_card');
const pIban = (r: Rand) => v(ibanText(r), 'iban');
const pSsn = (r: Rand) => v(ssnDashed(ssnDigits(r)), 'ssn');
/** An e-mail; sometimes with a Luhn-valid card number as the local part: an address, never a card (glued to '@'). */
const pEmail = (r: Rand) => v(chance(r, 0.04) ? `${cardDigits(r)}@${pick(r, DOMAIN_WORDS)}.${pick(r, TLDS)}` : emailText(r), 'email');
const pPhone = (r: Rand) => v(phoneText(r), 'phone');
const pJwt = (r: Rand) => v(jwtText(r), 'jwt');
function pBearer(r: Rand): V {
  if (chance(r, 0.35)) return v(`${bearerWord(r)} ${jwtText(r)}`, 'bearer_token', 'jwt');
  return v(`${bearerWord(r)} ${opaqueToken(r)}`, 'bearer_token');
}
const pApiKey = (r: Rand) => v(apiKeyText(r), 'api_key');
const pPem = (r: Rand) => v(privateKeyPem(r), 'private_key');
const neg = (r: Rand, kind?: string) => v(negative(r, kind));

const FILLER = [
  'Thanks for the quick reply.', 'Das ist dringend — bitte prüfen.', 'The parcel never arrived 😞.', 'Merci beaucoup!',
  'I was charged twice this month.', 'Please escalate to tier two.', 'お世話になっております。', 'See the attached screenshot.',
  'Spoke with the customer on the phone today.', 'No further action needed.', 'Gracias por su paciencia.', 'Refund approved by finance.',
  'Retrying after timeout.', 'Upstream returned an empty body.', 'User reports the app crashes on login.', 'Ticket merged into the parent issue.',
];

/** Sentences in front of a planted value (end in a space or newline-free separator). */
const LEAD: Record<string, string[]> = {
  credit_card: ['my card number is', 'charged to card', 'PAN:', 'use card', 'Karte'],
  iban: ['please wire it to', 'IBAN:', 'account', 'refund to'],
  ssn: ['SSN', 'my social is', 'SSN on file:'],
  email: ['reach me at', 'cc', 'From:', 'forwarded by'],
  phone: ['call me on', 'tel:', 'mobile', 'WhatsApp'],
  jwt: ['id_token=', 'token', 'the JWT was'],
  bearer: ['sent header Authorization:', 'curl -H "Authorization:', 'auth'],
  api_key: ['key', 'the leaked key was', 'export KEY='],
  neg: ['ref', 'order', 'tracking', 'id', 'value', 'see', 'build'],
};

/** Free text with n planted values (classes chosen from `allowed`) and m negatives. */
function prose(r: Rand, n: number, m: number, allowed: string[] = ['credit_card', 'iban', 'ssn', 'email', 'phone', 'jwt', 'bearer', 'api_key'], nl = ' '): V {
  const parts: (V | string)[] = [];
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push(pick(r, allowed));
  for (let i = 0; i < m; i++) items.push('neg');
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  if (chance(r, 0.7)) parts.push(pick(r, FILLER));
  for (const it of items) {
    if (parts.length) parts.push(chance(r, 0.2) ? nl : ' ');
    const lead = pick(r, LEAD[it]);
    const val = it === 'credit_card' ? pCard(r) : it === 'iban' ? pIban(r) : it === 'ssn' ? pSsn(r) : it === 'email' ? pEmail(r)
      : it === 'phone' ? pPhone(r) : it === 'jwt' ? pJwt(r) : it === 'bearer' ? pBearer(r) : it === 'api_key' ? pApiKey(r) : neg(r);
    const closeQuote = lead.startsWith('curl') ? '" https://api.example.com/v2/me' : '';
    parts.push(lead.endsWith('=') ? lead : lead + ' ', val, closeQuote);
    if (chance(r, 0.5)) parts.push(' ', pick(r, FILLER));
  }
  return cat(...parts);
}

// ---------------------------------------------------------------- JSON documents

type J =
  | { t: 'o'; e: [string, J][] }
  | { t: 'a'; a: J[] }
  | { t: 's'; v: V }
  | { t: 'n'; raw: string; p: string[] }
  | { t: 'l'; raw: string };
const O = (...e: ([string, J] | null | false)[]): J => ({ t: 'o', e: e.filter((x): x is [string, J] => !!x) });
const A = (...a: J[]): J => ({ t: 'a', a });
const S = (x: V | string): J => ({ t: 's', v: typeof x === 'string' ? v(x) : x });
const N = (raw: string | number, ...p: string[]): J => ({ t: 'n', raw: String(raw), p });
const L = (raw: 'true' | 'false' | 'null'): J => ({ t: 'l', raw });

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SPACED = /^[\p{L}\p{N}_]+( [\p{L}\p{N}_]+)+$/u;
/** Path segment for a key, or null when the README does not fix its syntax (such keys hold only noise). */
function keySeg(k: string): string | null {
  if (IDENT.test(k)) return '.' + k;
  if (SPACED.test(k)) return `['${k}']`;
  return null;
}

const PW_KEY_SET = new Set(PASSWORD_KEYS);
const PASSWORDISH = /pass|pwd|secret/i;

interface Ctx {
  r: Rand;
  truth: Record<string, number>;
  indent: string | null;
  /** probability of writing a letter or digit as \u00XX */
  alnumEsc: number;
  /** probability of writing '/' as '\/' */
  slashEsc: number;
  /** probability of writing a non-ASCII character as \uXXXX */
  uniEsc: number;
}

function addTruth(truth: Record<string, number>, cls: string, path: string | null) {
  const k = `${cls}\t${path === null ? 'null' : path}`;
  truth[k] = (truth[k] ?? 0) + 1;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

export function jsonString(s: string, ctx: Pick<Ctx, 'r' | 'alnumEsc' | 'slashEsc' | 'uniEsc'>): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20) out += '\\u' + hex4(code);
    else if (c === '/' && ctx.r() < ctx.slashEsc) out += '\\/';
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) {
      if (ctx.r() < ctx.uniEsc) out += '\\u' + hex4(code) + '\\u' + hex4(s.charCodeAt(i + 1));
      else out += c + s[i + 1];
      i++;
    } else if (code >= 0x80 && ctx.r() < ctx.uniEsc) out += '\\u' + (ctx.r() < 0.5 ? hex4(code) : hex4(code).toUpperCase());
    else if (/[A-Za-z0-9]/.test(c) && ctx.r() < ctx.alnumEsc) out += '\\u' + hex4(code);
    else out += c;
  }
  return out + '"';
}

function ser(j: J, path: string | null, ctx: Ctx, depth: number, key: string | null): string {
  const nl = ctx.indent === null ? '' : '\n' + ctx.indent.repeat(depth + 1);
  const close = ctx.indent === null ? '' : '\n' + ctx.indent.repeat(depth);
  const colon = ctx.indent === null ? ':' : ': ';
  switch (j.t) {
    case 'o': {
      if (!j.e.length) return '{}';
      const parts = j.e.map(([k, val]) => {
        const seg = keySeg(k);
        if (PASSWORDISH.test(k) && !PW_KEY_SET.has(k)) throw new Error(`corpus2: near-miss password key ${k}`);
        return nl + jsonString(k, { ...ctx, alnumEsc: 0, uniEsc: 0 }) + colon + ser(val, path === null || seg === null ? null : path + seg, ctx, depth + 1, k);
      });
      return '{' + parts.join(',') + close + '}';
    }
    case 'a': {
      if (!j.a.length) return '[]';
      return '[' + j.a.map((x, i) => nl + ser(x, path === null ? null : `${path}[${i}]`, ctx, depth + 1, null)).join(',') + close + ']';
    }
    case 's': {
      const p = [...j.v.p];
      if (key !== null && PW_KEY_SET.has(key) && j.v.s !== '') {
        if (p.length) throw new Error('corpus2: planted value under a password key');
        p.push('password');
      }
      for (const cls of p) {
        if (path === null) throw new Error('corpus2: planted value under a key without a documented path');
        addTruth(ctx.truth, cls, path);
      }
      return jsonString(j.v.s, ctx);
    }
    case 'n':
      for (const cls of j.p) {
        if (path === null) throw new Error('corpus2: planted value under a key without a documented path');
        addTruth(ctx.truth, cls, path);
      }
      return j.raw;
    default:
      return j.raw;
  }
}

// ---------------------------------------------------------------- domain payloads

const CARD_KEYS = ['card_number', 'pan', 'number', 'cardNumber', 'card number', 'número de tarjeta', 'cc'];
const CITIES = ['San Francisco', 'München', 'Zürich', 'São Paulo', 'Kraków', 'Åre', 'London', 'Osaka'];
const money = (r: Rand) => `${int(r, 1, 4999)}.${digits(r, 2)}`;

function negField(r: Rand): [string, J] {
  const k = pick(r, ['reference', 'external_ref', 'trace', 'note', 'legacy_id', 'meta']);
  if (chance(r, 0.25)) return [k, N(numericNeg(r))];
  return [k, S(neg(r))];
}

function order(r: Rand): J {
  const cardAsNumber = chance(r, 0.2);
  const items: J[] = [];
  for (let i = 0, n = int(r, 1, 5); i < n; i++) {
    items.push(O(
      ['sku', S(`SKU-${safeChars(r, 6, UP + DIG)}`)],
      ['title', S(pick(r, ['Kaffeemühle', 'USB-C cable / 2m', 'Book: "Dune"', 'T-shirt (XL) — navy', '抹茶 100g']))],
      chance(r, 0.3) && ['isbn', S(NEGATIVES.isbn13(r))],
      ['quantity', N(int(r, 1, 9))],
      ['unit_price', N(money(r))],
    ));
  }
  return O(
    ['id', S(pick(r, [`ord_${safeChars(r, 14, LO + DIG)}`, NEGATIVES.orderId(r)]))],
    chance(r, 0.3) && ['order_number', N(notCardDigits(r, 20, '1'))],
    ['created_at', S(NEGATIVES.isoTs(r))],
    ['customer', O(
      ['id', S(NEGATIVES.uuid(r))],
      ['name', S(pick(r, DISPLAY))],
      ['email', S(pEmail(r))],
      chance(r, 0.7) && ['phone', S(chance(r, 0.8) ? pPhone(r) : neg(r, 'phoneNational'))],
    )],
    ['shipping', O(
      ['line1', S(`${int(r, 1, 999)} ${pick(r, ['Market St', 'Hauptstraße', 'Rue de Rivoli', 'Calle Mayor'])}`)],
      ['city', S(pick(r, CITIES))],
      ['postal_code', S(pick(r, ['94103', 'SW1A 1AA', '80331', '75001', '00-950']))],
      ['tracking_number', S(pick(r, [NEGATIVES.trackingUsps(r), NEGATIVES.trackingUps(r)]))],
    )],
    ['items', A(...items)],
    ['payment', O(
      ['method', S('card')],
      [pick(r, CARD_KEYS), cardAsNumber ? N(cardDigits(r), 'credit_card') : S(pCard(r))],
      ['exp', S(`${String(int(r, 1, 12)).padStart(2, '0')}/${int(r, 26, 31)}`)],
      ['amount', N(money(r))],
      ['currency', S(pick(r, ['USD', 'EUR', 'JPY', 'GBP']))],
      chance(r, 0.4) && ['billing email', S(pEmail(r))],
      chance(r, 0.3) && ['previous_card', N(numericNeg(r))],
    )],
    chance(r, 0.5) && ['notes', S(prose(r, int(r, 0, 2), int(r, 1, 3), ['credit_card', 'phone', 'email']))],
    chance(r, 0.4) && negField(r),
  );
}

function party(r: Rand, withIban: boolean): J {
  return O(
    ['name', S(pick(r, DISPLAY))],
    withIban ? ['iban', S(pIban(r))] : ['iban', S(neg(r, 'badIban'))],
    ['bic', S(pick(r, ['DEUTDEFF', 'BNPAFRPP', 'COBADEFFXXX', 'NWBKGB2L', 'UBSWCHZH80A']))],
    chance(r, 0.3) && ['account holder address', S(`${pick(r, CITIES)}, ${pick(r, ['DE', 'FR', 'CH', 'GB'])}`)],
  );
}

function transfer(r: Rand): J {
  const one = () => O(
    ['end_to_end_id', S(NEGATIVES.uuid(r))],
    ['requested_at', N(NEGATIVES.epochMs(r))],
    ['debtor', party(r, chance(r, 0.85))],
    ['creditor', party(r, chance(r, 0.85))],
    ['amount', O(['value', S(money(r))], ['currency', S('EUR')])],
    ['remittance information', S(chance(r, 0.5) ? `Invoice ${NEGATIVES.orderId(r)}` : prose(r, int(r, 0, 1), 1, ['iban', 'email']))],
  );
  if (chance(r, 0.5)) return one();
  const batch: J[] = [];
  for (let i = 0, n = int(r, 2, 6); i < n; i++) batch.push(one());
  return O(['batch_id', S(NEGATIVES.uuid(r))], ['transfers', A(...batch)], ['count', N(batch.length)]);
}

function employee(r: Rand): J {
  const ssnForm = r();
  const ssnField: [string, J] = ssnForm < 0.35 ? [pick(r, ['ssn', 'social_security_number']), S(v(ssnDigits(r), 'ssn'))]
    : ssnForm < 0.7 ? [pick(r, ['ssn', 'tax id', 'national_id']), S(pSsn(r))]
      : ssnForm < 0.85 ? ['ssn', S(chance(r, 0.5) ? neg(r, 'badSsn') : v(neg(r, 'badSsn').s.replace(/-/g, '')))]
        : ['employee_number', S(NEGATIVES.routing(r))];
  return O(
    ['employee_id', S(`E${digits(r, 6)}`)],
    ['name', S(pick(r, DISPLAY))],
    ssnField,
    ['personal_email', S(pEmail(r))],
    chance(r, 0.6) && ['work phone', S(pPhone(r))],
    ['direct_deposit', chance(r, 0.6)
      ? O(['iban', S(pIban(r))])
      : O(['routing_number', S(NEGATIVES.routing(r))], ['account_number', S(digits(r, 8))])],
    ['salary', N(int(r, 30_000, 250_000))],
    ['start_date', S(NEGATIVES.isoTs(r).slice(0, 10))],
    chance(r, 0.2) && ['emergency_contact', O(['name', S(pick(r, DISPLAY))], ['phone', S(pPhone(r))])],
  );
}

function payroll(r: Rand): J {
  const emps: J[] = [];
  for (let i = 0, n = int(r, 1, 7); i < n; i++) emps.push(employee(r));
  if (chance(r, 0.3)) return A(...emps);
  return O(['pay_period', S('2026-11')], ['company', O(['name', S('Initech GmbH')], ['iban', S(pIban(r))])], ['employees', A(...emps)]);
}

function ticket(r: Rand): J {
  const comments: J[] = [];
  for (let i = 0, n = int(r, 0, 4); i < n; i++) {
    comments.push(O(
      ['author', S(pick(r, [...FIRST, 'agent.bot']))],
      ['body', S(prose(r, int(r, 0, 2), int(r, 0, 2), undefined, '\n'))],
      ['created_at', S(NEGATIVES.isoTs(r))],
    ));
  }
  return O(['ticket', O(
    ['id', N(int(r, 10_000, 999_999))],
    ['subject', S(pick(r, ['Zahlung fehlgeschlagen', 'Refund request — order', 'Can\'t log in', '请帮忙', 'Card declined?']))],
    ['requester', O(['name', S(pick(r, DISPLAY))], ['email', S(pEmail(r))])],
    ['description', S(prose(r, int(r, 1, 4), int(r, 1, 4), undefined, '\n'))],
    ['tags', A(...['billing', 'urgent', 'vip'].filter(() => chance(r, 0.5)).map((t) => S(t)))],
    ['comments', A(...comments)],
    chance(r, 0.3) && ['custom fields', O(['customer\'s ref', S(neg(r))], ['say "hi"', S('hello 👋')], ['x-origin', S(NEGATIVES.hostname(r))])],
    ['status', S(pick(r, ['open', 'pending', 'solved']))],
    ['satisfied', pick(r, [L('true'), L('false'), L('null')])],
  )]);
}

function authExchange(r: Rand): J {
  const f = r();
  if (f < 0.4) {
    return O(
      ['access_token', S(chance(r, 0.6) ? pJwt(r) : opaqueToken(r))],
      ['token_type', S(pick(r, ['Bearer', 'bearer']))],
      ['expires_in', N(pick(r, [300, 3600, 86400]))],
      chance(r, 0.6) && ['refresh_token', S(opaqueToken(r))],
      chance(r, 0.5) && ['id_token', S(pJwt(r))],
      ['scope', S('openid email profile')],
    );
  }
  if (f < 0.7) {
    return O(
      ['grant_type', S(pick(r, ['password', 'client_credentials', 'refresh_token']))],
      ['client_id', S(safeChars(r, 20, LO + DIG))],
      [pick(r, ['client_secret', 'secret', 'api_secret']), S(passwordText(r))],
      chance(r, 0.6) && ['username', S(pEmail(r))],
      chance(r, 0.6) && [pick(r, ['password', 'Password', 'pwd', 'pass']), S(chance(r, 0.9) ? passwordText(r) : '')],
      chance(r, 0.2) && ['input_type', S(neg(r, 'wordPassword'))],
    );
  }
  return O(
    ['request', O(
      ['method', S(pick(r, ['GET', 'POST']))],
      ['url', S(chance(r, 0.5)
        ? cat(`https://api.example.com/cb?state=${safeChars(r, 8, LO)}&id_token=`, pJwt(r), '&x=1')
        : `https://${NEGATIVES.hostname(r)}/v1/${NEGATIVES.dottedNotJwt(r)}`)],
      ['headers', O(
        ['Authorization', S(chance(r, 0.85) ? pBearer(r) : neg(r, pick(r, ['bearerWord', 'basicAuth'])))],
        chance(r, 0.4) && ['Cookie', S(cat('session=', pJwt(r), '; theme=dark'))],
        ['Accept', S('application/json')],
        chance(r, 0.3) && ['X Request Id', S(NEGATIVES.uuid(r))],
      )],
    )],
    ['status', N(pick(r, [200, 401, 403]))],
  );
}

function serviceConfig(r: Rand): J {
  return O(
    ['service', S(pick(r, ['checkout', 'ledger', 'mailer']))],
    ['version', S(NEGATIVES.version(r))],
    ['database', O(
      ['host', S(NEGATIVES.hostname(r))],
      ['port', N(5432)],
      ['user', S('app')],
      [pick(r, ['password', 'Password', 'PASSWORD', 'passwd', 'DB_PASSWORD', 'db_password', 'passphrase']), S(chance(r, 0.9) ? passwordText(r) : '')],
    )],
    chance(r, 0.6) && ['admin', O(['users', A(O(['login', S('root')], [pick(r, ['adminPassword', 'password2', 'new_password', 'userPassword', 'confirm_password']), S(passwordText(r))]))])],
    ['integrations', O(
      ['aws', O(['access_key_id', S(chance(r, 0.85) ? v(apiKeyText(r, 'aws'), 'api_key') : neg(r, pick(r, ['akiaShort', 'akiaLower'])))], ['region', S('eu-central-1')])],
      chance(r, 0.7) && ['google', O(['api_key', S(v(apiKeyText(r, 'google'), 'api_key'))])],
      chance(r, 0.7) && ['github', O(['token', S(chance(r, 0.85) ? v(apiKeyText(r, 'github'), 'api_key') : neg(r, 'githubShort'))])],
      chance(r, 0.7) && ['stripe', O(['live_key', S(v(apiKeyText(r, 'stripe'), 'api_key'))], ['test_key', S(neg(r, 'stripeTest'))])],
      chance(r, 0.7) && ['slack', O(['bot_token', S(chance(r, 0.85) ? v(apiKeyText(r, 'slack'), 'api_key') : neg(r, 'slackShort'))], ['channel', S('#alerts')])],
    )],
    ['tls', O(
      ['certificate', S(neg(r, 'publicPem'))],
      chance(r, 0.8) && ['private_key', S(pPem(r))],
      chance(r, 0.3) && ['authorized_keys', A(S(neg(r, 'sshPublic')))],
    )],
    chance(r, 0.3) && ['labels', O(['owner', S(pEmail(r))], ['field_type', S(neg(r, 'wordPassword'))])],
  );
}

/** A report export: rows of cells in deeply nested arrays. */
function reportExport(r: Rand): J {
  const cell = (): J => {
    const f = r();
    if (f < 0.12) return S(pEmail(r));
    if (f < 0.2) return S(pPhone(r));
    if (f < 0.26) return S(pCard(r));
    if (f < 0.3) return N(cardDigits(r), 'credit_card');
    if (f < 0.34) return S(pIban(r));
    if (f < 0.55) return S(neg(r));
    if (f < 0.65) return N(numericNeg(r));
    if (f < 0.8) return S(pick(r, DISPLAY));
    return N(money(r));
  };
  const rows: J[] = [];
  for (let i = 0, n = int(r, 2, 6); i < n; i++) {
    const row: J[] = [];
    for (let k = 0, m = int(r, 2, 4); k < m; k++) row.push(chance(r, 0.2) ? A(A(cell()), cell()) : cell());
    rows.push(A(...row));
  }
  return O(['report', O(['name', S('Q4 contacts')], ['sheets', A(O(['title', S('Übersicht')], ['rows', A(...rows)]))])]);
}

/** An event with a JSON document stringified into a string value (scanned as one string). */
function webhook(r: Rand): J {
  const inner: Record<string, unknown> = { type: pick(r, ['customer.updated', 'charge.failed']), email: '', phone: '' };
  const e = pEmail(r);
  const p = pPhone(r);
  inner.email = e.s;
  inner.phone = p.s;
  inner.created = Number(NEGATIVES.epochMs(r));
  return O(['id', S(`evt_${safeChars(r, 24, ALNUM)}`)], ['payload', S(v(JSON.stringify(inner), 'email', 'phone'))], ['attempt', N(int(r, 1, 5))]);
}

const JSON_DOMAINS: [string, (r: Rand) => J, number][] = [
  ['order', order, 3], ['transfer', transfer, 2], ['payroll', payroll, 2], ['ticket', ticket, 3], ['auth', authExchange, 3],
  ['config', serviceConfig, 2], ['report', reportExport, 1], ['webhook', webhook, 1],
];

function logEvent(r: Rand): J {
  return O(
    ['ts', S(NEGATIVES.isoTs(r))],
    ['level', S(pick(r, ['info', 'warn', 'error', 'debug']))],
    ['msg', S(chance(r, 0.6) ? prose(r, int(r, 0, 2), int(r, 0, 2), ['email', 'bearer', 'jwt', 'api_key', 'phone']) : pick(r, FILLER))],
    ['trace_id', S(chars(r, 32, HEX))],
    chance(r, 0.5) && ['http', O(
      ['method', S('POST')],
      ['path', S(pick(r, ['/api/v1/orders', '/oauth/token', '/api/v1/users/me']))],
      ['status', N(pick(r, [200, 201, 400, 401, 500]))],
      ['headers', O(['authorization', S(chance(r, 0.8) ? pBearer(r) : neg(r, 'bearerWord'))])],
    )],
    chance(r, 0.4) && ['user', O(['email', S(pEmail(r))], ['id', N(NEGATIVES.snowflake(r))])],
    ['duration_ms', N(`${int(r, 0, 900)}.${digits(r, 2)}`)],
  );
}

// ---------------------------------------------------------------- form and text bodies

const CT_JSON = ['application/json', 'application/json', 'application/json; charset=utf-8'];
const CT_FORM = 'application/x-www-form-urlencoded';
const CT_TEXT = ['text/plain', 'text/plain; charset=utf-8'];

/** Percent-encodes a form value: `+` or `%20` for space, sometimes more than needed (%34 for '4'). */
function formEncode(r: Rand, s: string, plusSpace: boolean, extra: number): string {
  let out = '';
  for (const ch of s) {
    if (ch === ' ') out += plusSpace ? '+' : '%20';
    else if (/[A-Za-z0-9\-_.~]/.test(ch)) out += r() < extra ? '%' + ch.charCodeAt(0).toString(16).toUpperCase() : ch;
    else out += encodeURIComponent(ch).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  }
  return out;
}

function formBody(r: Rand, truth: Record<string, number>): string {
  const f = r();
  const fields: [string, V][] = [];
  if (f < 0.3) {
    fields.push(['email', pEmail(r)], ['phone', chance(r, 0.8) ? pPhone(r) : neg(r, 'phoneNational')], ['card_number', pCard(r)],
      ['exp_month', v(String(int(r, 1, 12)))], ['cvc', v(digits(r, 3))], ['name', v(pick(r, DISPLAY))], ['amount', v(money(r))]);
    if (chance(r, 0.4)) fields.push(['coupon', neg(r)]);
  } else if (f < 0.5) {
    fields.push(['first_name', v(pick(r, FIRST))], ['email', pEmail(r)], ['ssn', chance(r, 0.8) ? pSsn(r) : neg(r, 'badSsn')],
      ['dob', v('1990-04-12')], ['mobile', pPhone(r)], ['terms', v('on')]);
  } else if (f < 0.65) {
    fields.push(['from_iban', pIban(r)], ['to_iban', chance(r, 0.8) ? pIban(r) : neg(r, 'badIban')], ['amount', v(money(r))],
      ['reference', v(`Invoice ${NEGATIVES.orderId(r)}`)]);
  } else if (f < 0.8) {
    if (chance(r, 0.5)) {
      fields.push(['grant_type', v('urn:ietf:params:oauth:grant-type:jwt-bearer')], ['assertion', pJwt(r)], ['client_id', v(safeChars(r, 16, LO + DIG))]);
    } else {
      fields.push(['grant_type', v('authorization_code')], ['code', v(safeChars(r, 32, ALNUM))], ['redirect_uri', v('https://app.example.com/callback?x=1&y=2')],
        ['code_verifier', v(safeChars(r, 43, ALNUM + '-._~'))]);
    }
  } else {
    fields.push(['name', v(pick(r, DISPLAY))], ['reply_to', pEmail(r)], ['message', prose(r, int(r, 1, 3), int(r, 1, 3), undefined, '\n')],
      ['source', v(NEGATIVES.hostname(r))]);
    if (chance(r, 0.2)) fields.push(['attachment_key', pPem(r)]);
  }
  const plus = chance(r, 0.6);
  const extra = chance(r, 0.3) ? 0.1 : 0;
  for (const [k, val] of fields) for (const cls of val.p) addTruth(truth, cls, k);
  return fields.map(([k, val]) => `${k}=${formEncode(r, val.s, plus, extra)}`).join('&');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function textBody(r: Rand): V {
  const f = r();
  if (f < 0.3) {
    // an e-mail message
    const from = pEmail(r);
    const to = pEmail(r);
    return cat(
      'From: "', pick(r, DISPLAY), '" <', from, '>\r\n',
      'To: ', to, '\r\n',
      chance(r, 0.4) ? cat('Cc: ', pEmail(r), ', ', pEmail(r), '\r\n') : '',
      `Subject: ${pick(r, ['Re: refund', 'Payroll update', 'Your order'])}\r\n`,
      'Message-ID: <', v(`${NEGATIVES.uuid(r)}@${pick(r, DOMAIN_WORDS)}.${pick(r, ['com', 'net'])}`, 'email'), '>\r\n', // an address by the contract
      'Content-Type: text/plain; charset=utf-8\r\n\r\n',
      prose(r, int(r, 1, 4), int(r, 1, 4), undefined, '\r\n'),
      chance(r, 0.2) ? cat('\r\n\r\n', pPem(r)) : '',
      '\r\n-- \r\n', pick(r, DISPLAY), '\r\n',
    );
  }
  if (f < 0.6) {
    // access and application log lines
    const lines: (V | string)[] = [];
    for (let i = 0, n = int(r, 2, 10); i < n; i++) {
      const g = r();
      const ip = `10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`;
      if (g < 0.35) {
        lines.push(`${ip} - - [${String(int(r, 1, 28)).padStart(2, '0')}/${pick(r, MONTHS)}/2026:0${int(r, 0, 9)}:${int(r, 10, 59)}:${int(r, 10, 59)} +0000] "GET /api/v1/${pick(r, ['orders', 'users', 'search'])}/${NEGATIVES.uuid(r)} HTTP/1.1" ${pick(r, [200, 404, 500])} ${int(r, 100, 99999)} "-" "curl/8.4.0"`);
      } else if (g < 0.6) {
        lines.push(cat(`${NEGATIVES.isoTs(r)} INFO  auth: validated `, chance(r, 0.8) ? pBearer(r) : neg(r, 'bearerWord'), ' for ', pEmail(r)));
      } else if (g < 0.75) {
        lines.push(cat(`${NEGATIVES.isoTs(r)} WARN  config: found `, chance(r, 0.7) ? pApiKey(r) : neg(r, pick(r, ['akiaShort', 'stripeTest', 'githubShort'])), ' in env ',
          `DB_PASSWORD=${passwordText(r).replace(/\s/g, '')}`)); // passwords are by JSON key only: not counted in text
      } else {
        lines.push(cat(`${NEGATIVES.isoTs(r)} ERROR payment: declined `, chance(r, 0.6) ? pCard(r) : neg(r, pick(r, ['luhnInvalidCard', 'cardGlued', 'cardInLongRun'])),
          ' order ', neg(r, 'orderId'), ' amount ', money(r)));
      }
    }
    return cat(...lines.flatMap((l, i) => (i ? ['\n', l] : [l])), '\n');
  }
  if (f < 0.85) {
    // chat transcript
    const lines: (V | string)[] = [];
    for (let i = 0, n = int(r, 3, 9); i < n; i++) {
      const who = pick(r, ['alice', 'bob', 'agent', 'Zoë']);
      lines.push(cat(`[${String(int(r, 8, 18)).padStart(2, '0')}:${int(r, 10, 59)}] ${who}: `, chance(r, 0.5) ? prose(r, 1, int(r, 0, 1)) : prose(r, 0, 1)));
    }
    return cat(...lines.flatMap((l, i) => (i ? ['\n', l] : [l])));
  }
  // a pasted .env / key dump
  return cat(
    '# leaked in ticket ', NEGATIVES.uuid(r), '\n',
    'AWS_ACCESS_KEY_ID=', v(apiKeyText(r, 'aws'), 'api_key'), '\n',
    'GOOGLE_MAPS_KEY=', v(apiKeyText(r, 'google'), 'api_key'), '\n',
    'STRIPE_TEST=', neg(r, 'stripeTest'), '\n',
    chance(r, 0.5) ? cat(pPem(r), '\n') : cat(neg(r, 'publicPem'), '\n'),
    neg(r, 'sshPublic'), '\n',
  );
}

// ---------------------------------------------------------------- the corpus

function jsonBody(r: Rand, truth: Record<string, number>): { body: string; contentType: string } {
  const pretty = chance(r, 0.35);
  const escapes = chance(r, 0.3);
  const ctx: Ctx = {
    r, truth,
    indent: pretty ? pick(r, ['  ', '    ', '\t']) : null,
    alnumEsc: escapes ? 0.03 : 0,
    slashEsc: chance(r, 0.3) ? 0.8 : 0,
    uniEsc: chance(r, 0.3) ? 0.7 : 0,
  };
  const contentType = pick(r, CT_JSON);
  if (chance(r, 0.15)) {
    // NDJSON: one compact document per line
    const docs: string[] = [];
    for (let i = 0, n = int(r, 2, 12); i < n; i++) docs.push(ser(logEvent(r), '$', { ...ctx, indent: null }, 0, null));
    return { body: docs.join('\n') + (chance(r, 0.5) ? '\n' : ''), contentType };
  }
  let total = 0;
  for (const d of JSON_DOMAINS) total += d[2];
  let x = r() * total;
  let dom = JSON_DOMAINS[0];
  for (const d of JSON_DOMAINS) {
    x -= d[2];
    if (x < 0) {
      dom = d;
      break;
    }
  }
  return { body: ser(dom[1](r), '$', ctx, 0, null), contentType };
}

/** Distinct paths per class in a body's truth: the generator keeps each below the engine's 32. */
export function pathsPerClass(truth: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(truth)) {
    const c = k.slice(0, k.indexOf('\t'));
    out[c] = (out[c] ?? 0) + 1;
  }
  return out;
}

function oneBody(r: Rand, id: string): CorpusBody {
  const truth: Record<string, number> = {};
  const f = r();
  let format: BodyFormat;
  let body: string;
  let contentType: string;
  if (f < 0.62) {
    format = 'json';
    ({ body, contentType } = jsonBody(r, truth));
  } else if (f < 0.8) {
    format = 'form';
    contentType = CT_FORM;
    body = formBody(r, truth);
  } else {
    format = 'text';
    contentType = pick(r, CT_TEXT);
    const t = textBody(r);
    for (const cls of t.p) addTruth(truth, cls, null);
    body = t.s;
  }
  return { id, body, contentType, direction: chance(r, 0.5) ? 'request' : 'response', format, truth };
}

export function generateCorpus2(seed: number, count: number): CorpusBody[] {
  const r = prng((seed ^ 0x2c0ffee) >>> 0);
  const out: CorpusBody[] = [];
  for (let i = 0; i < count; i++) {
    for (;;) {
      const b = oneBody(r, `g2-${seed}-${i}`);
      if (Object.values(pathsPerClass(b.truth)).every((n) => n < 32)) {
        out.push(b);
        break;
      }
    }
  }
  return out;
}
