// The classify CLI: line handling in-process, and the script end to end on a temporary file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyStream } from './cli-run';
import { compileCustomClasses } from './custom';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'classify-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = [
  JSON.stringify({ id: 'a', body: JSON.stringify({ items: [{ pan: '4111 1111 1111 1111' }, { pan: '5555555555554444' }], mail: 'ann@example.com' }), content_type: 'application/json' }),
  'not json 4111111111111111',
  JSON.stringify({ id: 'b', body: 'card=4111111111111111&pwd=s3cret', content_type: 'application/x-www-form-urlencoded', direction: 'request' }),
  JSON.stringify({ id: 'c', body: 42 }),
  JSON.stringify({ id: 'd', body: 'nothing here' }),
  JSON.stringify({ id: 'e', body: 'x', direction: 'sideways' }),
];

async function* chunks(text: string, size: number) {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describe('classifyStream', () => {
  it('writes one line per good input line and names bad lines by number, never their content', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const stats = await classifyStream(chunks(LINES.join('\n') + '\n', 7), (l) => out.push(l), (m) => err.push(m));
    expect(out.map((l) => JSON.parse(l))).toEqual([
      { id: 'a', matches: [{ class: 'credit_card', count: 1, path: '$.items[0].pan' }, { class: 'credit_card', count: 1, path: '$.items[1].pan' }, { class: 'email', count: 1, path: '$.mail' }] },
      { id: 'b', matches: [{ class: 'credit_card', count: 1, path: 'card' }, { class: 'password', count: 1, path: 'pwd' }] },
      { id: 'd', matches: [] },
    ]);
    expect(err).toEqual([
      'line 2: not valid JSON; expected {"id":"…","body":"…","content_type":"…"}',
      'line 4: "body" must be a string (the request or response body as text)',
      'line 6: "direction" must be "request" or "response"',
    ]);
    expect(err.join('\n')).not.toContain('4111');
    expect(stats).toEqual({ lines: 6, classified: 3, skipped: 3 });
  });
  it('skips lines over the limit without keeping them, and reports the overflow path entry', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const many = JSON.stringify({ id: 'm', body: JSON.stringify(Array.from({ length: 40 }, () => 'ann@example.com')) });
    await classifyStream(chunks(`${JSON.stringify({ id: 'x', body: 'y'.repeat(5000) })}\n${many}\n`, 1000), (l) => out.push(l), (m) => err.push(m), { maxLineBytes: 4096 });
    expect(err).toEqual(['line 1: longer than 4096 bytes, skipped']);
    const m = JSON.parse(out[0]).matches;
    expect(m.length).toBe(33);
    expect(m[32]).toEqual({ class: 'email', count: 8, path: null, other_paths: true });
  });
  it('runs custom classes', async () => {
    const out: string[] = [];
    await classifyStream(chunks(JSON.stringify({ id: 1, body: 'EMP-123456' }), 3), (l) => out.push(l), () => {}, { custom: compileCustomClasses([{ name: 'emp', pattern: 'EMP-[0-9]{6}' }]) });
    expect(JSON.parse(out[0])).toEqual({ id: 1, matches: [{ class: 'emp', count: 1, path: null }] });
  });
});

describe('npm run classify (scripts/classify.ts)', () => {
  const run = (args: string[], input?: string) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'classify.ts'), ...args], { cwd: ROOT, encoding: 'utf8', input });

  it('classifies a file and exits 0 with bad lines on stderr', () => {
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, LINES.join('\r\n'));
    const r = run(['--input', file]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['a', 'b', 'd']);
    expect(r.stderr).toMatch(/^classify: line 2: not valid JSON/m);
    expect(r.stderr).toMatch(/^classify: line 4: "body" must be a string/m);
  });
  it('reads standard input without --input', () => {
    const r = run([], `${LINES[0]}\n`);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).matches).toHaveLength(3);
  });
  it('takes custom classes from --classes and refuses bad ones', () => {
    const good = join(dir, 'classes.json');
    writeFileSync(good, JSON.stringify([{ name: 'emp', pattern: 'EMP-[0-9]{6}' }]));
    const r = run(['--classes', good], `${JSON.stringify({ id: 'z', body: 'EMP-123456' })}\n`);
    expect(JSON.parse(r.stdout).matches).toEqual([{ class: 'emp', count: 1, path: null }]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ name: 'Emp', pattern: '(' }]));
    const b = run(['--classes', bad], '');
    expect(b.status).toBe(1);
    expect(b.stderr).toMatch(/custom class 1 \("Emp"\): name must be/);
  });
  it('exits 1 when the input cannot be read, 2 on a bad argument', () => {
    const r = run(['--input', join(dir, 'missing.jsonl')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/classify: cannot read the input: ENOENT/);
    expect(run(['--bogus']).status).toBe(2);
  });
});
