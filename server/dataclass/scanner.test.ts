// The streaming scanner: chunking, JSON paths and escapes, form and text bodies, bounds.
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '@/scripts/dataclass-corpus/generate';
import { classify, createScanner, DEFAULT_MAX_PATHS, MAX_DEPTH, WINDOW } from './scanner';
import type { ScanOptions, ScanResult } from './types';

const JSON_CT: ScanOptions = { contentType: 'application/json' };

function fed(body: string, cuts: number[], options: ScanOptions = {}): ScanResult {
  const s = createScanner(options);
  let at = 0;
  for (const c of cuts) {
    s.write(body.slice(at, c));
    at = c;
  }
  s.write(body.slice(at));
  return s.end();
}

/** class → path → count */
function table(r: ScanResult): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const c of r.classes) {
    out[c.class] = {};
    for (const p of c.paths) out[c.class][String(p.path)] = p.count;
  }
  return out;
}

describe('chunking', () => {
  const bodies: [string, ScanOptions][] = [
    ['{"a":"pan 4111 1111 1111 1111 x","b":"\\u0034111111111111111","c":"ann@example.com","d":[5555555555554444]}', JSON_CT],
    ['note: 4111-1111-1111-1111; mail ann+x@example.co.uk; call +1 (415) 555-0132; DE89 3704 0044 0532 0130 00; 123-45-6789', { contentType: 'text/plain' }],
    ['card=4111+1111+1111+1111&mail=ann%40example.com&pwd=s%33cret&iban=DE89370400440532013000', { contentType: 'application/x-www-form-urlencoded' }],
  ];
  it.each(bodies)('finds each match exactly once whatever the split: %s', (body, options) => {
    const whole = table(classify(body, options));
    expect(Object.keys(whole).length).toBeGreaterThanOrEqual(2);
    for (let cut = 0; cut <= body.length; cut++) expect(table(fed(body, [cut], options)), `cut at ${cut}`).toEqual(whole);
    for (let a = 0; a <= body.length; a += 3) for (let b = a; b <= body.length; b += 7) expect(table(fed(body, [a, b], options)), `cuts ${a},${b}`).toEqual(whole);
    // one character at a time
    const cuts: number[] = [];
    for (let i = 1; i < body.length; i++) cuts.push(i);
    expect(table(fed(body, cuts, options))).toEqual(whole);
  });
});

describe('JSON', () => {
  it('names the path of each value, with escapes decoded and counted once', () => {
    const body = '{"items":[{"pan":"4111111111111111"},{"pan":"55\\u0035555\\u0035555554444"},{"x":{"card number":"4111 1111 1111 1111"}}],"n":4111111111111111}';
    expect(table(classify(body, JSON_CT))).toEqual({
      credit_card: { '$.items[0].pan': 1, '$.items[1].pan': 1, "$.items[2].x['card number']": 1, '$.n': 1 },
    });
  });
  it('decodes \\" \\/ \\n and surrogate escapes without losing its place', () => {
    const body = '{"a\\"b":"say \\"ann@example.com\\"\\n","c\\/d":"\\ud83d\\ude00 bob@example.org","e":"x\\\\4111111111111111"}';
    expect(table(classify(body, JSON_CT))).toEqual({ email: { "$['a\"b']": 1, "$['c/d']": 1 }, credit_card: { "$.e": 1 } });
  });
  it('decodes what JSON.parse refuses (a broken \\u escape, a raw tab) as it reads escapes one by one', () => {
    const body = '{"a":"x\\u12 4111111111111111","b":"tab\t5555555555554444\\n","c":"\\u004","d":"\\q ann@example.com","e":"\\u00"}';
    const cuts: number[] = [];
    for (let i = 1; i < body.length; i++) cuts.push(i);
    const whole = classify(body, JSON_CT);
    expect(table(whole)).toEqual({ credit_card: { '$.a': 1, '$.b': 1 }, email: { '$.d': 1 } });
    expect(fed(body, cuts, JSON_CT)).toEqual(whole);
  });
  it('reads a body made by concatenation as the same body written flat', () => {
    const parts = ['{"items":[', '{"pan":"4111 1111 1111 1111","note":"', 'call +1 415 555 0132 or mail ann@example.com', '"}', ',"DE89 3704 0044 0532 0130 00"]}'];
    let made = '';
    for (let k = 0; k < 40; k++) made += (k === 0 ? '' : ',') + parts.join('');
    const body = `[${made}]`;
    expect(classify(body, JSON_CT)).toEqual(classify(JSON.parse(JSON.stringify(body)), JSON_CT));
    expect(classify(body, JSON_CT).classes.map((c) => c.count)).toEqual([40, 40, 40, 40]);
  });
  it('handles a top-level array and scalar', () => {
    expect(table(classify('[["ann@example.com"],"4111111111111111"]'))).toEqual({ email: { '$[0][0]': 1 }, credit_card: { '$[1]': 1 } });
    expect(table(classify('"ann@example.com"', JSON_CT))).toEqual({ email: { $: 1 } });
  });
  it('reads the rest of broken JSON as text (path null)', () => {
    const r = classify('{"a":"ann@example.com"} trailing bob@example.org', JSON_CT);
    expect(table(r)).toEqual({ email: { '$.a': 1, null: 1 } });
    expect(r.format).toBe('json');
  });
  it('reads several documents in a row (NDJSON) as JSON, and a bad literal as the start of text', () => {
    expect(table(classify('{"a":"ann@example.com"}\n{"b":["bob@example.org"]}\n', JSON_CT))).toEqual({ email: { '$.a': 1, '$.b[0]': 1 } });
    expect(table(classify('{"a":1} nothing here but ann@example.com', JSON_CT))).toEqual({ email: { null: 1 } });
    expect(table(classify('[true,false,null,"ann@example.com"]', JSON_CT))).toEqual({ email: { '$[3]': 1 } });
  });
  it('reads nesting deeper than MAX_DEPTH as text, with bounded state', () => {
    const deep = '['.repeat(MAX_DEPTH + 50) + '"4111111111111111"' + ']'.repeat(MAX_DEPTH + 50);
    expect(table(classify(deep, JSON_CT))).toEqual({ credit_card: { null: 1 } });
    const ok = '['.repeat(100) + '"4111111111111111"' + ']'.repeat(100);
    expect(table(classify(ok, JSON_CT)).credit_card).toEqual({ ['$' + '[0]'.repeat(100)]: 1 });
  });
  it('keeps at most maxPathsPerClass paths and counts the rest', () => {
    const body = JSON.stringify({ items: Array.from({ length: 100 }, () => ({ mail: 'ann@example.com' })) });
    const r = classify(body, JSON_CT).classes[0];
    expect(r.count).toBe(100);
    expect(r.paths.length).toBe(DEFAULT_MAX_PATHS);
    expect(r.otherPathsCount).toBe(100 - DEFAULT_MAX_PATHS);
    expect(classify(body, { ...JSON_CT, maxPathsPerClass: 5 }).classes[0].paths.length).toBe(5);
  });
});

describe('form and text', () => {
  it('gives form fields their key as path, percent- and plus-decoded', () => {
    expect(table(classify('a=1&card=4111%201111%201111%201111&e=ann%40example.com&p=%2B14155550132&x', { contentType: 'application/x-www-form-urlencoded' }))).toEqual({
      credit_card: { card: 1 }, email: { e: 1 }, phone: { p: 1 },
    });
  });
  it('sniffs JSON when there is no content type, and gives text path null', () => {
    expect(classify('  {"a":"ann@example.com"}').format).toBe('json');
    expect(table(classify('mail ann@example.com'))).toEqual({ email: { null: 1 } });
  });
  it('records the direction', () => {
    expect(classify('ann@example.com', { direction: 'request' }).classes[0].direction).toBe('request');
  });
});

describe('long values and large bodies', () => {
  it('finds values across window seams exactly once', () => {
    const values = ['4111111111111111', 'ann@example.com', 'DE89 3704 0044 0532 0130 00', '+1 415-555-0132', 'AKIAIOSFODNN7EXAMPLE'];
    for (const v of values) {
      for (const at of [WINDOW - 300, WINDOW - 4352, WINDOW - 4100, WINDOW - 10, WINDOW - 1, WINDOW, WINDOW + 1, 2 * WINDOW - 8800]) {
        const text = 'x '.repeat(at / 2) + (at % 2 ? ' ' : '') + v + ' ' + 'y '.repeat(40000);
        const r = fed(text, [1000, 70000, 100001], { contentType: 'text/plain' });
        expect(r.classes.map((c) => [c.class, c.count]), `${v} at ${at}`).toEqual([[r.classes[0]?.class, 1]]);
      }
    }
  });
  it('finds many matches spread over a long JSON string value', () => {
    const long = Array.from({ length: 20000 }, (_, i) => (i % 100 === 0 ? '4111111111111111' : 'word')).join(' ');
    const body = JSON.stringify({ log: long });
    const r = fed(body, [5, 70000, 140000], JSON_CT);
    expect(table(r)).toEqual({ credit_card: { '$.log': 200 } });
  });
  it('stops at maxScanChars and says so', () => {
    const body = 'ann@example.com '.repeat(1000);
    const r = classify(body, { maxScanChars: 1600 });
    expect(r.truncated).toBe(true);
    expect(r.scanned).toBe(1600);
    expect(r.classes[0].count).toBe(100);
  });
  it('scans a 20 MB body in chunks with bounded results', () => {
    const chunk = '{"a":"' + 'z'.repeat(1 << 20) + '"}';
    const s = createScanner({ contentType: 'text/plain', maxScanChars: 32 << 20 });
    for (let i = 0; i < 20; i++) s.write(chunk);
    const r = s.end();
    expect(r.scanned).toBe(20 * chunk.length);
    expect(r.classes).toEqual([]);
  });
});

describe('hostile bodies', () => {
  it.each([
    ['-----BEGIN ', 'repeated PEM openings'], ['@', 'at signs'], ['a.', 'dotted labels'], ['+1', 'plus signs'], ['eyJhbGciOiJIUzI1NiJ9..', 'JWT headers'], ['eyJhbGciOiJIUzI1NiJ9.x', 'JWT parts'],
    ['1 ', 'single digits'], ['4111 ', 'card groups'], ['Bearer ', 'bearer words'], ['DE89', 'IBAN starts'], ['x@', 'local parts'],
  ])('scans 2 MB of %j (%s) and finds nothing', (unit) => {
    const body = unit.repeat(Math.ceil((2 << 20) / unit.length));
    const s = createScanner({ contentType: 'text/plain' });
    for (let i = 0; i < body.length; i += 65536) s.write(body.slice(i, i + 65536));
    const r = s.end();
    expect(r.scanned).toBe(body.length);
    expect(r.classes).toEqual([]);
  });
  it('scans a 2 MB digit run and a 2 MB base64 blob as one token each', () => {
    expect(classify('4'.repeat(2 << 20)).classes).toEqual([]);
    expect(classify('eyJ' + 'A'.repeat(2 << 20)).classes).toEqual([]);
  });
});

describe('no raw value anywhere in results', () => {
  it('serialised results for a corpus contain none of the planted values', () => {
    const corpus = generateCorpus(7, 400);
    const values = new Set<string>();
    for (const b of corpus) {
      // every digit run of 9+, every e-mail, key and token in the bodies: none may appear in a result
      for (const m of b.body.matchAll(/[0-9]{9,}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|AKIA[A-Z0-9]{16}|eyJ[A-Za-z0-9_-]{10,}|[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}/g)) values.add(m[0]);
    }
    expect(values.size).toBeGreaterThan(500);
    let matched = 0;
    for (const b of corpus) {
      const r = classify(b.body, { contentType: b.contentType });
      matched += r.classes.length;
      const text = JSON.stringify(r);
      for (const v of values) if (text.includes(v)) throw new Error(`a raw value leaked into the result of ${b.id} (${v.length} characters)`);
    }
    expect(matched).toBeGreaterThan(400);
  });
  it('samples are redacted', () => {
    const r = classify('{"pan":"4111111111111111","mail":"john.doe@example.com","key":"AKIAIOSFODNN7EXAMPLE","password":"hunter2"}', JSON_CT);
    expect(Object.fromEntries(r.classes.map((c) => [c.class, c.sample]))).toEqual({
      credit_card: '4111 **** **** 1111', email: 'j***@example.com', api_key: '************ (20 chars)', password: '******* (7 chars)',
    });
    expect(classify('4111111111111111', { samples: false }).classes[0].sample).toBeUndefined();
  });
});
