// Redaction: same length, JSON still valid, escapes and form encoding respected, class selection.
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '@/scripts/dataclass-corpus/generate';
import { compileCustomClasses } from './custom';
import { redact, redactBody } from './redact';
import { classify } from './scanner';

const JSON_CT = { contentType: 'application/json' };

describe('redact', () => {
  it('masks matched values in place, same length, JSON still parses', () => {
    const body = JSON.stringify({ pan: '4111 1111 1111 1111', mail: 'ann@example.com', note: 'ok', password: 'p"w\\d', n: 4111111111111111 });
    const out = redact(body, undefined, JSON_CT);
    expect(out.length).toBe(body.length);
    expect(JSON.parse(out)).toEqual({ pan: '**** **** **** ****', mail: '***@*******.***', note: 'ok', password: '*'.repeat(7), n: 0 });
    expect(out).toContain('"n":0               }');
  });
  it('masks escaped characters whole, so the string stays valid', () => {
    const body = '{"pan":"\\u0034111111111111111","mail":"ann\\u0040example.com","q":"say \\"4111111111111111\\""}';
    const out = redact(body, undefined, JSON_CT);
    expect(out.length).toBe(body.length);
    const parsed = JSON.parse(out);
    expect(parsed.pan).toBe('*'.repeat(21));
    expect(parsed.q).toBe('say "****************"');
    expect(classify(out, JSON_CT).classes).toEqual([]);
  });
  it('redacts only the classes asked for', () => {
    const body = 'card 4111111111111111 mail ann@example.com';
    expect(redact(body, ['email'])).toBe('card 4111111111111111 mail ***@*******.***');
    expect(redactBody(body).redacted).toEqual({ credit_card: 1, email: 1 });
  });
  it('keeps a form body a form body', () => {
    const body = 'card=4111%201111%201111%201111&e=ann%40example.com&pwd=s3cret&x=1';
    const out = redact(body, undefined, { contentType: 'application/x-www-form-urlencoded' });
    expect(out.length).toBe(body.length);
    expect(new URLSearchParams(out).get('card')).toBe('**** **** **** ****');
    expect(out).toBe('card=****%20****%20****%20****&e=***%40*******.***&pwd=******&x=1');
  });
  it('masks a private key block to its END line', () => {
    const body = JSON.stringify({ key: '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----', after: 'x' });
    const parsed = JSON.parse(redact(body, undefined, JSON_CT));
    expect(parsed.key).not.toMatch(/MIIB/);
    expect(parsed.key.split('\n').length).toBe(3);
    expect(parsed.after).toBe('x');
  });
  it('masks custom classes', () => {
    const custom = compileCustomClasses([{ name: 'emp', pattern: 'EMP-[0-9]{6}' }]);
    expect(redact('id EMP-123456.', undefined, { custom })).toBe('id ***-******.');
  });
  it('leaves generated JSON bodies valid and clean', () => {
    let redacted = 0;
    for (const b of generateCorpus(21, 300)) {
      if (b.format !== 'json') continue;
      const out = redact(b.body, undefined, { contentType: b.contentType });
      expect(out.length).toBe(b.body.length);
      expect(() => JSON.parse(out), b.id).not.toThrow();
      // nothing left to find
      // (a password stays a password by its key, masked)
      expect(classify(out, { contentType: b.contentType }).classes.map((c) => c.class).filter((c) => c !== 'password'), b.id).toEqual([]);
      if (out !== b.body) redacted++;
    }
    expect(redacted).toBeGreaterThan(50);
  });
});
