// `npm test`: every suite, one summary. Unit and database tests (PGlite, and PostgreSQL when
// TEST_DATABASE_URL is set), then the production build, then the process-level tests (real
// console as a child process) and the Playwright end-to-end tests in Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildIfStale } from './lib/build.mjs';

const root = process.cwd();
const out = path.join(root, 'test-results');
mkdirSync(out, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1' };
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0 };
const lines = [];

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function suite(name, cmd, args, report, count) {
  rmSync(report, { force: true });
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, cwd: root });
  const json = readJson(report);
  let { passed, failed } = json ? count(json) : { passed: 0, failed: 0 };
  // A runner that died or failed without reporting a failing test still fails the run.
  if (r.status !== 0 && failed === 0) failed = 1;
  totals.passed += passed;
  totals.failed += failed;
  lines.push(`${name}: ${passed} passed, ${failed} failed`);
}

// A test file that failed to load has no failing test of its own: it counts as one failure.
const vitestCount = (j) => ({
  passed: j.numPassedTests ?? 0,
  failed: (j.numFailedTests ?? 0) +
    (j.testResults ?? []).filter((f) => f.status === 'failed' && !f.assertionResults?.some((a) => a.status === 'failed')).length,
});
const playwrightCount = (j) => ({ passed: (j.stats?.expected ?? 0) + (j.stats?.flaky ?? 0), failed: (j.stats?.unexpected ?? 0) + (j.errors?.length ? 1 : 0) });

suite('unit + database', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${out}/vitest.json`], `${out}/vitest.json`, vitestCount);

console.log('\n=== build ===');
if (buildIfStale(root) !== 0) {
  totals.failed += 1;
  lines.push('build: failed');
} else {
  if (existsSync(path.join(root, 'vitest.process.config.ts'))) {
    suite('process', bin('vitest'), ['run', '--config', 'vitest.process.config.ts', '--reporter=default', '--reporter=json', `--outputFile=${out}/process.json`], `${out}/process.json`, vitestCount);
  }
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.error(`\nThe end-to-end tests need Chromium at ${chromium}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
    totals.failed += 1;
    lines.push('e2e: Chromium missing');
  } else {
    suite('e2e (Playwright, Chromium)', bin('playwright'), ['test'], `${out}/e2e.json`, playwrightCount);
  }
}

console.log('\n=== summary ===');
for (const l of lines) console.log(l);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed ? 1 : 0);
