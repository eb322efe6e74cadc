// The engine bundled for nginx's njs 0.7.9 gives the same results as in Node.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '@/scripts/dataclass-corpus/generate';
import { compileCustomClasses } from './custom';
import { buildNjsBundle, NJS_FORBIDDEN } from './njs-bundle';
import { redact } from './redact';
import { createScanner } from './scanner';
import type { CustomClassDef, ScanOptions } from './types';

const NJS = '/usr/bin/njs';
const dir = mkdtempSync(join(tmpdir(), 'dataclass-njs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!existsSync(NJS)) console.warn(`njs.test.ts: ${NJS} is missing (apt-get install -y njs): the run under njs is skipped`);

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const CUSTOM: CustomClassDef[] = [{ name: 'employee_id', pattern: 'EMP-[0-9]{6}', jsonPathHints: ['$..employee'] }];
const CASES: { body: string; options: ScanOptions; chunk: number }[] = [
  {
    body: JSON.stringify({ items: [{ pan: '4111 1111 1111 1111', mail: 'ann+x@example.org' }, { pan: '\u0000' }], order: '12345641111111111111111', ssn: '123-45-6789', employee: 'EMP-004211', password: 'pw' })
      .replace('\\u0000', '\\u00340111111111111111'.replace('\\u00340', '\\u0034')),
    options: { contentType: 'application/json', direction: 'response' },
    chunk: 5,
  },
  { body: 'card=5555-5555-5555-4444&iban=GB82+WEST+1234+5698+7654+32&pwd=s3cret&phone=%2B442079460958', options: { contentType: 'application/x-www-form-urlencoded', direction: 'request' }, chunk: 3 },
  { body: `Authorization: Bearer ${JWT}\nkey AKIAIOSFODNN7EXAMPLE -----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\ncall +1 415 555 0132`, options: { direction: 'request' }, chunk: 11 },
  { body: `{"deep":${'['.repeat(300)}"378282246310005"${']'.repeat(300)}}`, options: {}, chunk: 64 },
];

function nodeResults(): unknown[] {
  const custom = compileCustomClasses(CUSTOM);
  return CASES.map((c) => {
    const s = createScanner({ ...c.options, custom });
    for (let i = 0; i < c.body.length; i += c.chunk) s.write(c.body.slice(i, i + c.chunk));
    return { result: s.end(), redacted: redact(c.body, undefined, { ...c.options, custom }) };
  });
}

describe('the engine under njs 0.7.9', () => {
  const bundle = buildNjsBundle('global');

  it('bundles without the syntax and built-ins njs lacks', () => {
    for (const f of NJS_FORBIDDEN) expect(f.re.test(bundle), f.what).toBe(false);
    expect(buildNjsBundle('module')).toMatch(/export default \{ [^}]*createScanner: createScanner/);
  });

  it.skipIf(!existsSync(NJS))('classifies and redacts the same bodies as Node', () => {
    const driver = `
var D = meshwardDataclass;
var CASES = ${JSON.stringify(CASES)};
var custom = D.compileCustomClasses(${JSON.stringify(CUSTOM)});
var out = [];
for (var k = 0; k < CASES.length; k++) {
  var c = CASES[k];
  var opts = { contentType: c.options.contentType, direction: c.options.direction, custom: custom };
  var s = D.createScanner(opts);
  for (var i = 0; i < c.body.length; i += c.chunk) s.write(c.body.slice(i, i + c.chunk));
  out.push({ result: s.end(), redacted: D.redact(c.body, undefined, opts) });
}
var errors = [];
try { D.compileCustomClasses([{ name: 'x', pattern: '(a{1,9}){1,9}' }]); } catch (e) { errors.push(e.message); }
var text = JSON.stringify({ out: out, errors: errors });
// njs's console.log cuts long lines: print in pieces
for (var p = 0; p < text.length; p += 1000) console.log(text.slice(p, p + 1000));
`;
    const file = join(dir, 'run.js');
    writeFileSync(file, bundle + driver);
    const stdout = execFileSync(NJS, [file], { encoding: 'utf8' });
    const got = JSON.parse(stdout.split('\n').join(''));
    const want = JSON.parse(JSON.stringify(nodeResults()));
    expect(got.out).toEqual(want);
    // the cases exercise what they claim to
    expect(want[0].result.classes.find((c: { class: string }) => c.class === 'credit_card').count).toBe(2);
    expect(want[0].result.classes.map((c: { class: string }) => c.class)).toContain('employee_id');
    expect(want[3].result.classes[0].class).toBe('credit_card');
    expect(got.errors[0]).toMatch(/repeated group/);
  });

  it.skipIf(!existsSync(NJS))('agrees with Node on 300 generated bodies fed in 37-character chunks and whole', () => {
    const corpus = generateCorpus(99, 300).map((b) => ({ body: b.body, contentType: b.contentType, direction: b.direction }));
    // whole bodies take the paths that read a value at once (njs and Node read them differently: WALK)
    const driver = `
var D = meshwardDataclass;
var corpus = ${JSON.stringify(corpus)};
var out = [];
for (var k = 0; k < corpus.length; k++) {
  var b = corpus[k];
  var s = D.createScanner({ contentType: b.contentType, direction: b.direction });
  for (var i = 0; i < b.body.length; i += 37) s.write(b.body.slice(i, i + 37));
  out.push(s.end());
  s = D.createScanner({ contentType: b.contentType, direction: b.direction });
  s.write(b.body);
  out.push(s.end());
}
var text = JSON.stringify(out);
for (var p = 0; p < text.length; p += 1000) console.log(text.slice(p, p + 1000));
`;
    const file = join(dir, 'corpus.js');
    writeFileSync(file, bundle + driver);
    const got = JSON.parse(execFileSync(NJS, [file], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n').join(''));
    const want = corpus.flatMap((b) => {
      const s = createScanner({ contentType: b.contentType, direction: b.direction });
      for (let i = 0; i < b.body.length; i += 37) s.write(b.body.slice(i, i + 37));
      const whole = createScanner({ contentType: b.contentType, direction: b.direction });
      whole.write(b.body);
      return [s.end(), whole.end()];
    });
    expect(want.reduce((n, r) => n + r.classes.length, 0)).toBeGreaterThan(300);
    expect(got).toEqual(JSON.parse(JSON.stringify(want)));
  });
});
