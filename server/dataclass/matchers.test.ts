// Each built-in class with values that are in it and values that only look close.
import { describe, expect, it } from 'vitest';
import { BUILTIN_CLASSES } from './classes';
import { mulberry32 } from '@/lib/prng';
import { decodeBase64Url } from './base64url';
import { ibanCheckDigits, ibanMod97, ibanMod97At, isIban } from './iban';
import { jwtHeaderOk } from './jwt-header';
import { scanBuiltins, scanJsonString, scanValueAt } from './matchers';
import { cardIssuer, issuerAccepts, isCardNumber, luhnValid } from './luhn';
import { classify } from './scanner';
import type { ScanOptions } from './types';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

const ALL = BUILTIN_CLASSES.map(() => true);

/**
 * The matches the two scanning strategies (character loop, trigger regex) find: they must agree,
 * and with the loop run where the text lies between a JSON string's quotes or a form value's = and
 * &, and walked as a JSON string's raw text.
 */
function bothWays(body: string): string[] {
  const found: string[][] = [[], []];
  for (const mode of [1, 2]) scanBuiltins(body, 0, body.length, true, 0, ALL, (cls, start, end) => found[mode - 1].push(`${BUILTIN_CLASSES[cls]}@${start}-${end}`), mode);
  expect(found[1], `trigger scan of ${JSON.stringify(body.slice(0, 80))}`).toEqual(found[0]);
  for (const [open, close] of [['"', '"'], ['=', '&']]) {
    const text = `{"k${open}${body}${close}x`;
    const at: string[] = [];
    scanValueAt(text, 4, 4 + body.length, 0, ALL, (cls, start, end) => at.push(`${BUILTIN_CLASSES[cls]}@${start - 4}-${end - 4}`));
    expect(at, `scan between ${open} and ${close} of ${JSON.stringify(body.slice(0, 80))}`).toEqual(found[0]);
  }
  const text = `{"k":"${body}","n":1}`;
  const walked: string[] = [];
  const end = scanJsonString(text, 6, text.length, 0, ALL, (cls, start, end) => walked.push(`${BUILTIN_CLASSES[cls]}@${start - 6}-${end - 6}`));
  const stop = body.search(/["\\]/);
  expect(end).toBe(stop < 0 ? 6 + body.length : body.charAt(stop) === '"' ? 6 + stop : -1 - (6 + stop));
  if (stop < 0) expect(walked, `JSON string walk of ${JSON.stringify(body.slice(0, 80))}`).toEqual(found[0]);
  return found[0];
}

/** class → count over a text body (checking that both scanning strategies agree on it) */
function counts(body: string, options: ScanOptions = { contentType: 'text/plain' }): Record<string, number> {
  if (options.contentType === 'text/plain') {
    bothWays(body);
    bothWays(`${' '.repeat(70)}${body}${' '.repeat(70)}`);
  }
  const out: Record<string, number> = {};
  for (const c of classify(body, options).classes) out[c.class] = c.count;
  return out;
}
const count = (body: string, cls: string, options?: ScanOptions) => counts(body, options)[cls] ?? 0;

describe('Luhn and issuer ranges', () => {
  it('checks the Luhn digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
  it.each([
    ['4111111111111111', 'visa'], ['4222222222222', 'visa'], ['5555555555554444', 'mastercard'], ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'], ['6011111111111117', 'discover'], ['6445644564456445', 'discover'], ['3530111333300000', 'jcb'],
    ['30569309025904', 'diners'], ['36227206271667', 'diners'], ['6200000000000005', 'unionpay'],
  ])('%s is %s', (pan, issuer) => {
    expect(cardIssuer(pan)).toBe(issuer);
    expect(isCardNumber(pan)).toBe(true);
  });
  it('tells the issuer ranges from the first four digits and the length as cardIssuer does', () => {
    for (let p4 = 0; p4 < 10000; p4++) {
      for (let len = 13; len <= 19; len++) {
        const d = String(p4).padStart(4, '0') + '7'.repeat(len - 4);
        if (issuerAccepts(p4, len) !== (cardIssuer(d) !== null)) expect(`${p4} at ${len}: ${issuerAccepts(p4, len)}`).toBe(cardIssuer(d));
      }
    }
  });
  it('refuses numbers outside the ranges or at a length the issuer does not use', () => {
    expect(cardIssuer('5655555555554440')).toBe(null); // 56
    expect(cardIssuer('2720995555555555')).toBe('mastercard');
    expect(cardIssuer('2721005555555555')).toBe(null);
    expect(cardIssuer('41111111111111')).toBe(null); // Visa at 14
    expect(isCardNumber('1234567812345670')).toBe(false); // Luhn-valid, no issuer
  });
});

describe('credit_card', () => {
  it.each([
    ['pan 4111111111111111.', 1], ['4111 1111 1111 1111', 1], ['4111-1111-1111-1111', 1], ['amex 3782 822463 10005 ok', 1],
    ['"5555555555554444"', 1], ['card: 4111111111111111 12/27', 1], ['a 4111111111111111, b 5555555555554444', 2],
    // odd lengths printed in fours, the rest in the last group
    ['jcb 3530 1113 3330 0000 18', 1], ['up 6212-3456-7890-1234569', 1], ['disc 6011 0314 7543 5480 28.', 1],
  ])('finds %s', (body, n) => expect(count(body, 'credit_card')).toBe(n));
  it.each([
    ['order 12344111111111111111 (a Luhn-valid PAN inside a 20-digit id)'],
    ['order 41111111111111112024'], ['x 0041111111111111111'], ['INV4111111111111111'], ['4111111111111111abc'], ['ord_4111111111111111'],
    ['4111111111111112 (bad check digit)'], ['1234567812345670 (Luhn-valid, no issuer)'], ['amount 4111111111111111.50'], ['12.4111111111111111'],
    ['4111 1111 1111 1111 2222 (a longer spaced run)'], ['4111-1111 1111-1111 (mixed separators)'], ['4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'],
    ['3530 1113 3330 0000 1 8 (a one-digit group)'], ['6212 3456 78 9012 34569 (a short middle group)'],
    ['ts 1733550000123'], ['4111111111111111@example.com'], ['+4111111111111111'],
  ])('does not take %s', (body) => expect(count(body, 'credit_card')).toBe(0));
  it('reads JSON numbers as well as strings', () => {
    expect(count('{"pan":4111111111111111,"n":41111111111111112222}', 'credit_card', { contentType: 'application/json' })).toBe(1);
  });
});

describe('iban', () => {
  it('computes and checks mod-97', () => {
    expect(isIban('DE89370400440532013000')).toBe(true);
    expect(isIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isIban('DE88370400440532013000')).toBe(false);
    expect(ibanCheckDigits('GB', 'WEST12345698765432')).toBe('82');
  });
  it.each([
    ['DE89370400440532013000', 1], ['iban DE89 3704 0044 0532 0130 00.', 1], ['GB82WEST12345698765432', 1], ['gb82west12345698765432', 1],
    ['NO9386011117947', 1], ['MT84 MALT 0110 0001 2345 MTLC AST0 01S', 1], ['a GB82 WEST 1234 5698 7654 32 and DE89370400440532013000', 2],
  ])('finds %s', (body, n) => expect(count(body, 'iban')).toBe(n));
  it.each([
    ['DE88370400440532013000'], ['DE8937040044053201300'], ['DE893704004405320130001'], ['XX89370400440532013000'], ['DE89 3704 0044 0532 013000'],
    ['ABDE89370400440532013000'], ['DE89370400440532013000X'],
  ])('does not take %s', (body) => expect(count(body, 'iban')).toBe(0));
});

describe('ssn', () => {
  it.each([['ssn 123-45-6789', 1], ['078-05-1120; 219-09-9999', 2], ['899-01-0001', 1]])('finds %s', (body, n) => expect(count(body, 'ssn')).toBe(n));
  it.each([['000-12-3456'], ['666-12-3456'], ['900-12-3456'], ['999-12-3456'], ['123-00-6789'], ['123-45-0000'], ['1123-45-6789'], ['123-45-67890'], ['123456789'], ['123 45 6789'], ['2024-01-15']])(
    'does not take %s', (body) => expect(count(body, 'ssn')).toBe(0));
  it('takes 9 bare digits only under an ssn key', () => {
    expect(count('{"ssn":"123456789","social_security_number":123456789,"id":"123456789"}', 'ssn', { contentType: 'application/json' })).toBe(2);
    expect(count('ssn=123456789&zip=123456789', 'ssn', { contentType: 'application/x-www-form-urlencoded' })).toBe(1);
    expect(count('{"ssn":"666456789"}', 'ssn', { contentType: 'application/json' })).toBe(0);
  });
});

describe('email', () => {
  it.each([
    ['mail ann@example.com.', 1], ['John.Doe+tag@Sub.Example.co.uk', 1], ['<a_b-c%d@x-y.io>', 1], ['mailto:ops@example.org', 1], ['a@example.com,b@example.org', 2],
  ])('finds %s', (body, n) => expect(count(body, 'email')).toBe(n));
  it.each([['user@localhost'], ['@handle'], ['name@domain'], ['a@b.c'], ['pkg@1.2.3'], ['a..b@example.com'], ['x@-example.com'], ['.@example.com']])(
    'does not take %s', (body) => expect(count(body, 'email')).toBe(0));
});

describe('phone', () => {
  it.each([
    ['+14155550132', 1], ['call +1 415-555-0132 now', 1], ['+1 (415) 555-0132', 1], ['+44 20 7946 0958', 1], ['+44 (0)20 7946 0958', 1],
    ['+81-3-1234-5678', 1], ['+61.2.9876.5432', 1], ['+49 30 12345678, +33 1 23 45 67 89', 2],
  ])('finds %s', (body, n) => expect(count(body, 'phone')).toBe(n));
  it.each([['(415) 555-0132'], ['415-555-0132'], ['+1234567'], ['+0123456789'], ['+12345678901234567'], ['x+14155550132'], ['1+14155550132'], ['+14155550132abc'], ['2026-12-07T00:00:00+0100']])(
    'does not take %s', (body) => expect(count(body, 'phone')).toBe(0));
});

describe('jwt and bearer_token', () => {
  it('finds a JWT whose header has alg, and Bearer tokens', () => {
    expect(counts(`token ${JWT}.`)).toEqual({ jwt: 1 });
    expect(counts(`Authorization: Bearer ${JWT}`)).toEqual({ jwt: 1, bearer_token: 1 });
    expect(counts('Authorization: bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0')).toEqual({ bearer_token: 1 });
  });
  it.each([['{ "alg":"HS256" }'], ['{\n  "alg": "ES256",\n  "typ": "JWT"\n}'], ['{\r\n"alg":"RS256"}'], ['{\t"alg":"none"}']])('finds a JWT whose header is written %j', (header) => {
    const token = `${Buffer.from(header).toString('base64url')}.eyJzdWIiOiIxIn0.c2ln`;
    expect(counts(`token ${token} here`)).toEqual({ jwt: 1 });
    expect(counts(`Authorization: Bearer ${token}`)).toEqual({ jwt: 1, bearer_token: 1 });
  });
  it.each([
    [`${Buffer.from('{"typ":"JWT"}').toString('base64url')}.eyJzdWIiOiIxIn0.sig`],
    ['eyJhbGciOiJIUzI1NiJ9'], // one part
    [`${JWT}.more`], // four parts
    [`x-${JWT}`], // inside a longer base64url run
    ['eyJhbGciOiJIUzI1NiJ9+abc/def==.eyJ.x'], // standard base64
    [Buffer.from('{"alg":"HS256","x":"long enough padding"}').toString('base64')],
  ])('no jwt in %s', (body) => expect(count(body, 'jwt')).toBe(0));
  it.each([['the bearer of this card'], ['Bearer realm="api"'], ['Bearer authentication'], ['Bearer abcdefghijklmnopqrstuvwxyz'], ['Bearer short1']])(
    'no bearer_token in %s', (body) => expect(count(body, 'bearer_token')).toBe(0));
});

describe('api_key and private_key', () => {
  it.each([
    ['AKIAIOSFODNN7EXAMPLE'], ['ASIAY34FZKBOKMUTVV7A'], [`AIza${'a'.repeat(35)}`], [`ghp_${'A1'.repeat(18)}`], [`gho_${'b'.repeat(36)}`],
    [`sk_live_${'x1'.repeat(12)}`], [`rk_live_${'Z'.repeat(40)}`], ['xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
  ])('finds the key %s', (body) => expect(count(`key=${body};`, 'api_key')).toBe(1));
  it.each([['AKIAIOSFODNN7EXAMPL'], ['AKIAIOSFODNN7EXAMPLEX'], ['akiaiosfodnn7example'], ['XAKIAIOSFODNN7EXAMPLE'], [`ghp_${'a'.repeat(20)}`], [`sk_test_${'a'.repeat(24)}`], ['xoxb-abcdefghijklmnop']])(
    'does not take %s', (body) => expect(count(body, 'api_key')).toBe(0));
  it('finds PEM private keys, not public keys or certificates', () => {
    expect(count('-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----', 'private_key')).toBe(1);
    expect(count('-----BEGIN PRIVATE KEY-----\nMIIB', 'private_key')).toBe(1);
    expect(count('-----BEGIN OPENSSH PRIVATE KEY-----', 'private_key')).toBe(1);
    expect(count('-----BEGIN PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----\n-----END PRIVATE KEY-----', 'private_key')).toBe(0);
  });
});

describe('password', () => {
  const json = { contentType: 'application/json' };
  it('counts string values under password-like keys, never values by their shape', () => {
    expect(count('{"password":"hunter2","user":{"new_password":"x","client_secret":"s3","password2":"p"}}', 'password', json)).toBe(4);
    expect(count('{"field":"password","hint":"enter your password","type":"password"}', 'password', json)).toBe(0);
    expect(count('{"password":"","password_hint":"x","passwordChangedAt":"2026"}', 'password', json)).toBe(0);
    expect(count('{"password":12345}', 'password', json)).toBe(0);
    expect(count('user=a&pwd=s3cret&next=password', 'password', { contentType: 'application/x-www-form-urlencoded' })).toBe(1);
    expect(count('password: hunter2', 'password')).toBe(0);
  });
});

describe('the two scanning strategies', () => {
  it('agree on generated text', async () => {
    const { generateCorpus } = await import('@/scripts/dataclass-corpus/generate');
    let n = 0;
    for (const b of generateCorpus(17, 300)) n += bothWays(b.body).length;
    expect(n).toBeGreaterThan(300);
  });
  it('agree where the text holds a quote or a backslash', () => {
    expect(bothWays('a\\"b 4111111111111111 "ann@example.com"')).toEqual(['credit_card@5-21', 'email@23-38']);
  });
});

describe('enabled classes', () => {
  it('runs only the classes asked for', () => {
    expect(counts('4111111111111111 ann@example.com', { builtins: ['email'] })).toEqual({ email: 1 });
  });
});

describe('IBAN check where the text lies', () => {
  it('gives ibanMod97 of the characters between two offsets', () => {
    const r = mulberry32(5);
    const chars = 'ABCXYZabcxyz0123456789 -é';
    for (let k = 0; k < 5000; k++) {
      let iban = `${'DEGB'[Math.floor(r() * 4)]}${'EB'[Math.floor(r() * 2)]}${Math.floor(r() * 10)}${Math.floor(r() * 10)}`;
      for (let i = Math.floor(r() * 30); i > 0; i--) iban += chars[Math.floor(r() * chars.length)];
      expect(ibanMod97At(`x ${iban}.`, 2, 2 + iban.length), iban).toBe(ibanMod97(iban));
    }
    expect(ibanMod97At('DE89 3704 0044 0532 0130 00', 0, 27)).toBe(1);
  });
});

describe('JWT header check', () => {
  /** What the check must answer: the decoded header parses as JSON to an object with a string alg. */
  function reference(encoded: string): boolean {
    const text = decodeBase64Url(encoded, 0, encoded.length);
    if (text === null) return false;
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed !== null && typeof parsed === 'object' && typeof (parsed as { alg?: unknown }).alg === 'string';
    } catch {
      return false;
    }
  }
  const b64 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('base64url');
  const check = (encoded: string) => {
    const text = `x.${encoded}.y`;
    expect(jwtHeaderOk(text, 2, 2 + encoded.length), JSON.stringify(decodeBase64Url(encoded, 0, encoded.length))).toBe(reference(encoded));
  };

  it('accepts headers JSON.parse reads as an object with a string alg', () => {
    for (const h of ['{"alg":"HS256","typ":"JWT"}', ' {\n "alg" : "none" }\r\n', '{"typ":"JWT","alg":"RS256","kid":"k1"}', '{"\\u0061lg":"ES256"}', '{"alg":"x","alg":"y"}', '{"a":[1,{"alg":2},[]],"alg":"\\u00e9"}', '{"alg":"ok","n":-0.5e+3,"t":true,"f":false,"z":null}']) {
      expect(reference(b64(h)), h).toBe(true);
      check(b64(h));
    }
  });
  it('refuses what JSON.parse refuses or reads as something else', () => {
    for (const h of ['{"typ":"JWT"}', '{"alg":256}', '{"alg":"x","alg":1}', '{"alg":{"a":"b"}}', '["alg"]', '"alg"', '{"x":{"alg":"y"}}', '{"alg":"x"', '{"alg":"x"}x', '{"alg":"x",}', '{"alg":"a\x01b"}', "{'alg':'x'}", '{"alg":"\\x"}', '{"n":01,"alg":"x"}', '{"n":1.,"alg":"x"}', '{"alg":"x"} {}', '\u00ef\u00bb\u00bf{"alg":"x"}', '{"alg":tru}']) {
      expect(reference(b64(h)), h).toBe(false);
      check(b64(h));
    }
    check('eyJhbGciOiJIUzI1NiJ9x'); // a length no bytes have
    check('eyJhbG*iOiJIUzI1NiJ9');
  });
  it('agrees with JSON.parse on generated and mutated headers', () => {
    const r = mulberry32(11);
    const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const value = (d: number): string => {
      const f = r();
      if (d < 3 && f < 0.15) return `{${Array.from({ length: Math.floor(r() * 3) }, () => `${JSON.stringify(pick(['alg', 'typ', 'a', '']))}:${value(d + 1)}`).join(',')}}`;
      if (d < 3 && f < 0.3) return `[${Array.from({ length: Math.floor(r() * 3) }, () => value(d + 1)).join(',')}]`;
      return pick(['"HS256"', '"\\u0041"', '"\\n\\"\\\\"', '""', '1', '-0', '2.5E-3', '1e9', 'true', 'false', 'null', '"é"']);
    };
    const junk = [' ', '\n', '\t', '\r', ',', ':', '{', '}', '[', ']', '"', '\\', 'u', '0', '1', '-', '.', 'e', 'a', '\u0000', '\u001f', '\u007f', '\u00e9', '\u00ff', 'alg', 'true'];
    for (let k = 0; k < 20000; k++) {
      const members: string[] = [];
      for (let i = Math.floor(r() * 4); i > 0; i--) members.push(`${pick(['"alg"', '"typ"', '"\\u0061lg"', '"al\\u0067"', '"alg "', '"kid"'])}${pick([':', ' : '])}${value(1)}`);
      let h = r() < 0.9 ? `{${members.join(',')}}` : value(0);
      if (r() < 0.2) h = pick([' ', '\n', '']) + h + pick([' ', '\r\n', '']);
      // mutate: replace, insert or cut a few characters
      for (let m = r() < 0.5 ? Math.floor(r() * 3) + 1 : 0; m > 0; m--) {
        const at = Math.floor(r() * (h.length + 1));
        const f = r();
        h = f < 0.4 ? h.slice(0, at) + pick(junk) + h.slice(at + 1) : f < 0.8 ? h.slice(0, at) + pick(junk) + h.slice(at) : h.slice(0, at);
      }
      check(b64(h));
    }
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let k = 0; k < 5000; k++) {
      let e = 'ey';
      for (let i = Math.floor(r() * 40); i > 0; i--) e += alphabet[Math.floor(r() * 64)];
      check(e);
    }
  });
});
