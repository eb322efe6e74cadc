// Unit tests of the second (independent) dataclass corpus generator itself — never of the engine.
import { describe, expect, it } from 'vitest';
import { CORPUS_CLASSES, prng } from '../dataclass-corpus/generate';
import {
  apiKeyText, b64url, cardDigits, cardLike, cardText, emailText, generateCorpus2, ibanCompact, ibanText, ibanValid,
  IBAN_LENGTH, issuerOk, jwtText, luhnValid, mod97, negative, opaqueToken, pathsPerClass, phoneDigits, phoneText,
  privateKeyPem, ssnDashed, ssnDigits, ssnValid, NEGATIVE_KINDS, PASSWORD_KEYS,
} from './generate';

/** Resolves the README's path subset (`$`, `.name`, `['name']`, `[n]`) in a parsed document. */
function resolve(doc: unknown, path: string): unknown {
  expect(path.startsWith('$')).toBe(true);
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\['([^']*)'\]|\[(\d+)\]/y;
  let cur: any = doc;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) throw new Error(`bad path ${path}`);
    cur = m[3] !== undefined ? cur?.[Number(m[3])] : cur?.[m[1] ?? m[2]];
  }
  return cur;
}

const corpus = generateCorpus2(11, 600);

describe('generateCorpus2', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(generateCorpus2(11, 600)).toEqual(corpus);
    const other = generateCorpus2(12, 50);
    expect(other.map((b) => b.body)).not.toEqual(corpus.slice(0, 50).map((b) => b.body));
    expect(new Set(corpus.map((b) => b.id)).size).toBe(corpus.length);
  });

  it('plants every class, in every format and direction', () => {
    const classes = new Set<string>();
    const formats = new Set<string>();
    const dirs = new Set<string>();
    const perFormat: Record<string, Set<string>> = { json: new Set(), form: new Set(), text: new Set() };
    for (const b of corpus) {
      formats.add(b.format);
      dirs.add(b.direction);
      for (const k of Object.keys(b.truth)) {
        const c = k.split('\t')[0];
        classes.add(c);
        perFormat[b.format].add(c);
      }
    }
    expect([...classes].sort()).toEqual([...CORPUS_CLASSES].sort());
    expect([...formats].sort()).toEqual(['form', 'json', 'text']);
    expect([...dirs].sort()).toEqual(['request', 'response']);
    expect(perFormat.json.size).toBe(CORPUS_CLASSES.length);
    // passwords are by JSON key only: never planted in form or text bodies
    expect(perFormat.form.has('password')).toBe(false);
    expect(perFormat.text.has('password')).toBe(false);
  });

  it('keeps truth consistent with the bodies', () => {
    let ndjson = 0;
    let spacedKeys = 0;
    for (const b of corpus) {
      for (const [k, n] of Object.entries(b.truth)) {
        const tab = k.indexOf('\t');
        expect(tab).toBeGreaterThan(0);
        expect(CORPUS_CLASSES).toContain(k.slice(0, tab));
        expect(Number.isInteger(n) && n > 0).toBe(true);
      }
      for (const c of Object.values(pathsPerClass(b.truth))) expect(c).toBeLessThan(32);
      const paths = Object.keys(b.truth).map((k) => k.slice(k.indexOf('\t') + 1));
      if (b.format === 'text') {
        expect(b.contentType.startsWith('text/plain')).toBe(true);
        for (const p of paths) expect(p).toBe('null');
      } else if (b.format === 'form') {
        expect(b.contentType).toBe('application/x-www-form-urlencoded');
        const fields = new URLSearchParams(b.body);
        for (const p of paths) expect(fields.get(p)).toBeTruthy();
      } else {
        expect(b.contentType.startsWith('application/json')).toBe(true);
        const lines = b.body.split('\n').filter((l) => l.trim() !== '');
        const isNd = lines.length > 1 && lines.every((l) => l.startsWith('{') && l.endsWith('}'));
        const docs = isNd ? lines.map((l) => JSON.parse(l)) : [JSON.parse(b.body)];
        if (isNd) ndjson++;
        for (const p of paths) {
          if (p.includes("['")) spacedKeys++;
          const vals = docs.map((d) => resolve(d, p)).filter((x) => x !== undefined);
          expect(vals.length, `${b.id} ${p}`).toBeGreaterThan(0);
          for (const x of vals) expect(['string', 'number', 'object']).toContain(typeof x);
        }
      }
    }
    expect(ndjson).toBeGreaterThan(10);
    expect(spacedKeys).toBeGreaterThan(10);
  });

  it('uses JSON escapes, pretty printing and unicode', () => {
    const json = corpus.filter((b) => b.format === 'json').map((b) => b.body);
    expect(json.some((s) => /\\u00[3-7][0-9a-f]/.test(s))).toBe(true);
    expect(json.some((s) => s.includes('\\/'))).toBe(true);
    expect(json.some((s) => /^\{\n(  |\t|    )"/.test(s))).toBe(true);
    expect(json.some((s) => /[^\x00-\x7f]/.test(s))).toBe(true);
    const forms = corpus.filter((b) => b.format === 'form').map((b) => b.body);
    expect(forms.some((s) => s.includes('%2B'))).toBe(true);
    expect(forms.some((s) => /=\d{4}\+\d{4}/.test(s))).toBe(true);
  });

  it('plants passwords only under the documented key names', () => {
    for (const b of corpus) {
      for (const k of Object.keys(b.truth)) {
        if (!k.startsWith('password\t')) continue;
        const key = k.slice(k.search(/[.[](?!.*[.[])/) + 1).replace(/^'|'\]$/g, '');
        expect(PASSWORD_KEYS).toContain(key);
      }
    }
  });
});

describe('planted values are valid by their own specs', () => {
  const r = prng(99);
  it('cards: issuer range, length, Luhn, grouping', () => {
    for (let i = 0; i < 2000; i++) {
      const d = cardDigits(r);
      expect(cardLike(d)).toBe(true);
      const t = cardText(r, d);
      expect(t.replace(/[ -]/g, '')).toBe(d);
      const seps = new Set(t.match(/[ -]/g) ?? []);
      expect(seps.size).toBeLessThanOrEqual(1);
      if (seps.size) expect(t.split(/[ -]/)[0]).toHaveLength(4);
    }
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(issuerOk('378282246310005')).toBe(true); // Amex 15
    expect(issuerOk('356789012345678')).toBe(false); // 15 digits at 35: not JCB (16–19)
    expect(issuerOk('4111111111111')).toBe(true); // Visa 13
    expect(issuerOk('411111111111111')).toBe(false); // Visa 15
  });

  it('IBAN: registry lengths and ISO 7064 mod-97', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('GB29 NWBK 6016 1331 9268 19')).toBe(true);
    expect(ibanValid('gb29nwbk60161331926819')).toBe(true);
    expect(ibanValid('DE88370400440532013000')).toBe(false);
    expect(ibanValid('SK3112000000198742637541')).toBe(true);
    // lengths from the SWIFT registry, written independently of the BBAN table
    const expected: Record<string, number> = {
      DE: 22, GB: 22, FR: 27, ES: 24, IT: 27, NL: 18, BE: 16, CH: 21, AT: 20, PL: 28, SE: 24, NO: 15, DK: 18,
      FI: 18, IE: 22, PT: 25, LU: 20, CZ: 24, HU: 28, RO: 24, GR: 27, SA: 24, AE: 23, TR: 26, BR: 29, MT: 31,
      SK: 24, SI: 19, HR: 21, LT: 20, EE: 20, BG: 22, CY: 28, IL: 23, IS: 26, KW: 30, LI: 21, QA: 29,
    };
    expect(IBAN_LENGTH).toEqual(expected);
    for (let i = 0; i < 1000; i++) {
      const s = ibanCompact(r);
      expect(s.length).toBe(expected[s.slice(0, 2)]);
      expect(mod97(s.slice(4) + s.slice(0, 4))).toBe(1);
      const t = ibanText(r);
      expect(ibanValid(t)).toBe(true);
      expect(t === t.toUpperCase() || t === t.toLowerCase()).toBe(true);
      if (t.includes(' ')) expect(t.split(' ').slice(0, -1).every((g) => g.length === 4)).toBe(true);
    }
  });

  it('SSN, e-mail, phone', () => {
    for (let i = 0; i < 2000; i++) {
      const d = ssnDigits(r);
      expect(ssnValid(d)).toBe(true);
      expect(ssnDashed(d)).toMatch(/^\d{3}-\d{2}-\d{4}$/);
      const e = emailText(r);
      expect(e).toMatch(/^[A-Za-z0-9._%+-]{1,64}@([A-Za-z]+\.)+[A-Za-z]{2,24}$/);
      const p = phoneText(r);
      expect(p.startsWith('+')).toBe(true);
      const pd = phoneDigits(p);
      expect(pd.length).toBeGreaterThanOrEqual(8);
      expect(pd.length).toBeLessThanOrEqual(15);
      expect(pd[0]).not.toBe('0');
      expect((p.match(/\(/g) ?? []).length).toBeLessThanOrEqual(1);
      expect(p).not.toMatch(/[ .-]{2}/);
    }
    expect(ssnValid('000-12-3456')).toBe(false);
    expect(ssnValid('666-12-3456')).toBe(false);
    expect(ssnValid('912-12-3456')).toBe(false);
    expect(ssnValid('123-00-3456')).toBe(false);
    expect(ssnValid('123-45-0000')).toBe(false);
  });

  it('JWT, bearer tokens, API keys, PEM', () => {
    let empty = 0;
    for (let i = 0; i < 500; i++) {
      const t = jwtText(r);
      const parts = t.split('.');
      expect(parts).toHaveLength(3);
      for (const p of parts) expect(p).toMatch(/^[A-Za-z0-9_-]*$/);
      const h = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      expect(typeof h.alg).toBe('string');
      expect(typeof JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))).toBe('object');
      if (parts[2] === '') empty++;
      const o = opaqueToken(r);
      expect(o.length).toBeGreaterThanOrEqual(16);
      expect(o).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
      expect(o).not.toMatch(/^[A-Za-z]+$/);
    }
    expect(empty).toBeGreaterThan(10);
    for (let i = 0; i < 200; i++) {
      expect(apiKeyText(r, 'aws')).toMatch(/^(AKIA|ASIA)[A-Z0-9]{16}$/);
      expect(apiKeyText(r, 'google')).toMatch(/^AIza[A-Za-z0-9_-]{35}$/);
      expect(apiKeyText(r, 'github')).toMatch(/^gh[pousr]_[A-Za-z0-9]{36}$/);
      expect(apiKeyText(r, 'stripe')).toMatch(/^[sr]k_live_[A-Za-z0-9]{24,}$/);
      expect(apiKeyText(r, 'slack')).toMatch(/^xox[abpr]-[A-Za-z0-9-]{10,}$/);
      const pem = privateKeyPem(r);
      expect(pem).toMatch(/^-----BEGIN (RSA |EC |OPENSSH |ENCRYPTED |)PRIVATE KEY-----\r?\n/);
      expect(pem.match(/-----BEGIN/g)).toHaveLength(1);
      expect(pem).toMatch(/-----END (RSA |EC |OPENSSH |ENCRYPTED |)PRIVATE KEY-----$/);
    }
    expect(b64url('{"alg":"HS256"}')).toBe('eyJhbGciOiJIUzI1NiJ9');
  });
});

describe('hard negatives are excluded by their own specs', () => {
  const r = prng(7);
  const digitsOf = (s: string) => s.replace(/[ -]/g, '');
  it('numbers are not cards', () => {
    for (let i = 0; i < 500; i++) {
      expect(luhnValid(digitsOf(negative(r, 'luhnInvalidCard')))).toBe(false);
      const imei = negative(r, 'imei');
      expect(imei).toMatch(/^\d{15}$/);
      expect(luhnValid(imei)).toBe(true);
      expect(cardLike(imei)).toBe(false);
      expect(cardLike(negative(r, 'wrongIssuer'))).toBe(false);
      expect(cardLike(negative(r, 'wrongLength'))).toBe(false);
      expect(negative(r, 'cardInLongRun')).toMatch(/^\d{20,}$/);
      expect(negative(r, 'cardGlued')).toMatch(/[A-Za-z_]/);
      expect(negative(r, 'cardDecimal')).toMatch(/\d\.\d/);
      expect(cardLike(digitsOf(negative(r, 'isbn13')))).toBe(false);
      expect(cardLike(negative(r, 'epochMs'))).toBe(false);
    }
  });
  it('IBAN, SSN, phone, e-mail, tokens', () => {
    for (let i = 0; i < 500; i++) {
      expect(ibanValid(negative(r, 'badIban'))).toBe(false);
      expect(ssnValid(negative(r, 'badSsn'))).toBe(false);
      expect(negative(r, 'phoneNational')).not.toContain('+');
      const bp = negative(r, 'phoneBadPlus');
      expect(bp[1] === '0' || bp.length - 1 < 8 || bp.length - 1 > 15).toBe(true);
      expect(negative(r, 'emailNoTld')).not.toMatch(/@[A-Za-z]+\.[A-Za-z]{2,}/);
      expect(negative(r, 'emailNumeric')).toMatch(/@[\d.]+$/);
      const j = negative(r, 'jwtNoAlg').split('.')[0];
      const h = JSON.parse(Buffer.from(j, 'base64url').toString('utf8'));
      expect(Array.isArray(h) || typeof h.alg !== 'string').toBe(true);
      expect(negative(r, 'akiaShort')).toMatch(/^AKIA[A-Z0-9]{15}$/);
      expect(negative(r, 'stripeTest')).not.toMatch(/^[sr]k_live_/);
      expect(negative(r, 'githubShort')).toMatch(/^ghp_[A-Za-z0-9]{20}$/);
      expect(negative(r, 'publicPem')).not.toContain('PRIVATE');
      const bw = negative(r, 'bearerWord').split(' ')[1];
      expect(bw.length < 16 || /^[A-Za-z]+$/.test(bw)).toBe(true);
    }
    expect(NEGATIVE_KINDS.length).toBeGreaterThan(35);
  });
});
