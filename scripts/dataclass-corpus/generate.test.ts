// The benchmark corpus: deterministic per seed, planted truth where it says, formats valid by the
// class rules (checked here with the engine's validators, which the generator does not use).
import { describe, expect, it } from 'vitest';
import { isCardNumber, isIban } from '@/server/dataclass';
import { cardNumber, generateCorpus, ibanNumber, prng } from './generate';
import { newTally, score, summarise } from './score';

/** The value at a path the generator wrote (`$.a[0]['b c']`), or undefined. */
function at(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  const re = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[([0-9]+)\]|\['((?:[^'\\]|\\.)*)'\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (m === null) return undefined;
    const key = m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3].replace(/\\(.)/g, '$1'));
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

describe('generateCorpus', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = generateCorpus(5, 200);
    expect(generateCorpus(5, 200)).toEqual(a);
    expect(generateCorpus(6, 200).map((b) => b.body)).not.toEqual(a.map((b) => b.body));
  });
  it('mixes JSON, form and text with planted values of every class', () => {
    const corpus = generateCorpus(9, 2000);
    const formats = new Set(corpus.map((b) => b.format));
    expect([...formats].sort()).toEqual(['form', 'json', 'text']);
    const classes = new Set<string>();
    for (const b of corpus) for (const k of Object.keys(b.truth)) classes.add(k.split('\t')[0]);
    expect([...classes].sort()).toEqual(['api_key', 'bearer_token', 'credit_card', 'email', 'iban', 'jwt', 'password', 'phone', 'private_key', 'ssn']);
    expect(corpus.some((b) => /\\u00[0-9a-f]{2}/.test(b.body))).toBe(true); // escaped JSON strings
  });
  it('writes valid JSON whose truth paths exist, and form bodies with the truth keys', () => {
    for (const b of generateCorpus(11, 500)) {
      if (b.format === 'json') {
        const doc = JSON.parse(b.body);
        for (const k of Object.keys(b.truth)) {
          const path = k.split('\t')[1];
          expect(at(doc, path), `${b.id} ${path}`).not.toBeUndefined();
        }
      } else if (b.format === 'form') {
        const keys = new Set(new URLSearchParams(b.body).keys());
        for (const k of Object.keys(b.truth)) expect(keys.has(k.split('\t')[1]), b.id).toBe(true);
      } else for (const k of Object.keys(b.truth)) expect(k.split('\t')[1]).toBe('null');
    }
  });
  it('makes card numbers and IBANs that pass their checks', () => {
    const r = prng(3);
    for (let i = 0; i < 500; i++) {
      expect(isCardNumber(cardNumber(r))).toBe(true);
      expect(isIban(ibanNumber(r))).toBe(true);
    }
  });
});

describe('score', () => {
  it('counts true and false positives and misses by class × path', () => {
    const t = newTally();
    const diffs = score(t, { 'email\t$.a': 2, 'ssn\tnull': 1 }, { 'email\t$.a': 1, 'email\t$.b': 1, 'credit_card\tnull': 1 });
    expect(diffs.sort()).toEqual(['credit_card\tnull: planted 0, found 1', 'email\t$.a: planted 2, found 1', 'email\t$.b: planted 0, found 1', 'ssn\tnull: planted 1, found 0']);
    const s = Object.fromEntries(summarise(t).map((c) => [c.class, c]));
    expect(s.email).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5 });
    expect(s.ssn).toMatchObject({ recall: 0, precision: 1 });
    expect(s.credit_card).toMatchObject({ precision: 0 });
  });
});

