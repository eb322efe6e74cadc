// The `detect` CLI end to end: a quarter of an hour of the simulator's OTLP lines through
// `tsx scripts/detect.ts`, from a file and from standard input.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
let dir = '';
let input = '';

const detect = (args: string[], stdin?: Buffer) =>
  spawnSync('npx', ['tsx', 'scripts/detect.ts', ...args], { cwd: ROOT, input: stdin, encoding: 'utf8', timeout: 60_000 });

function expectShape(stdout: string) {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const out = JSON.parse(lines[0]) as { detections: unknown[] };
  expect(Object.keys(out)).toEqual(['detections']);
  expect(Array.isArray(out.detections)).toBe(true);
  for (const d of out.detections as Record<string, unknown>[]) {
    expect(Object.keys(d)).toEqual(['kind', 'actors', 'start', 'end', 'score']);
    expect(typeof d.kind).toBe('string');
    expect(typeof d.score).toBe('number');
    for (const t of [d.start, d.end]) expect(new Date(t as string).toISOString()).toBe(t);
    for (const a of d.actors as { type: string; id: string }[]) {
      expect(['token', 'user', 'ip']).toContain(a.type);
      expect(typeof a.id).toBe('string');
    }
  }
}

const summary = (stderr: string) => {
  const m = /detect: events=(\d+) lines=(\d+) skipped=(\d+) bad_lines=(\d+) detections=\d+ elapsed_s=[\d.]+ events_per_s=\d+ peak_rss_mb=\d+/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return { events: Number(m![1]), lines: Number(m![2]), skipped: Number(m![3]), badLines: Number(m![4]) };
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'meshward-detect-'));
  input = path.join(dir, 'sim.jsonl');
  execFileSync('npx', ['tsx', 'scripts/simulate.ts', '--out', input, '--backfill', '15m', '--end', '2025-03-01T12:00:00Z', '--seed', '3', '--rate', '2'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000,
  });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run detect', () => {
  it('reads a file of simulator lines and prints one JSON object of detections', () => {
    const r = detect(['--input', input]);
    expect(r.status, r.stderr).toBe(0);
    expectShape(r.stdout);
    const s = summary(r.stderr);
    expect(s.lines).toBe(readFileSync(input, 'utf8').trim().split('\n').length);
    expect(s.events).toBeGreaterThan(s.lines);
    expect(s).toMatchObject({ skipped: 0, badLines: 0 });
  });

  it('reads standard input with --input -, skipping and counting a broken line', () => {
    const broken = path.join(dir, 'broken.jsonl');
    appendFileSync(broken, readFileSync(input));
    appendFileSync(broken, '{"resourceLogs":[{"scopeLogs":[{"logRecords":[\n');
    const r = detect(['--input', '-'], readFileSync(broken));
    expect(r.status, r.stderr).toBe(0);
    expectShape(r.stdout);
    expect(summary(r.stderr).badLines).toBe(1);
    expect(r.stderr).toMatch(/detect: skipped line \d+: body is not valid JSON/);
  });

  it('refuses bad arguments with the usage and exit code 2', () => {
    const r = detect(['--inptu', input]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown argument "--inptu"[\s\S]*usage: npm run --silent detect -- --input FILE/);
    expect(r.stdout).toBe('');
  });
});
