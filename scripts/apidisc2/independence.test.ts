// apidisc2 must share nothing with apidisc but the spec package, the file formats and the
// scorer: no import of apidisc's generator (or of Meshward's learner), none of its value lists,
// and none of the values it generates.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateBenchmark, type Benchmark } from './benchmark';
import { valueClass } from './hard-cases';
import { APIDISC_DIR, buildRouter, normPath, normTemplate, readTraffic, readTruth, route } from './scorer';
import { listSpecs, loadSpec, specDirectory, specsInstalled } from './spec-source';
import * as lists from './word-lists';

const HERE = import.meta.dirname;
const apidiscSource = readFileSync(path.join(APIDISC_DIR, 'generate.mjs'), 'utf8');

/** The strings of apidisc's value lists: its word list, syllables, scanner paths and every `pick(r, [...])` list. */
function apidiscLists(): Set<string> {
  const out = new Set<string>();
  const quoted = (s: string) => [...s.matchAll(/'([^']*)'/g)].map((m) => m[1]);
  const words = /const WORDS = \(([\s\S]*?)\)\.split/.exec(apidiscSource);
  for (const w of quoted(words![1]).join('').split(/\s+/)) if (w) out.add(w.toLowerCase());
  for (const re of [/const SYL = \[([^\]]*)\]/, /const SCAN = \[([\s\S]*?)\];/]) for (const w of quoted(re.exec(apidiscSource)![1])) out.add(w.toLowerCase());
  for (const m of apidiscSource.matchAll(/pick\(r, \[([^\]]*)\]\)/g)) for (const w of quoted(m[1])) out.add(w.toLowerCase());
  return out;
}

/** Every value apidisc2 put into a `{}` position. */
function pathValues(b: Benchmark): Set<string> {
  const out = new Set<string>();
  for (const l of b.lines) {
    if (!l.template) continue;
    const segs = normPath(l.path).split('/');
    normTemplate(l.template).split('/').forEach((t, i) => t === '{}' && out.add(decodeURIComponent(segs[i])));
  }
  return out;
}

describe('apidisc2 is independent of apidisc', () => {
  it('imports only its own modules and node built-ins (apidisc\'s scorer is loaded by path, in scorer.ts)', () => {
    const files = readdirSync(HERE).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    for (const f of files) {
      const text = readFileSync(path.join(HERE, f), 'utf8');
      for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        expect(spec.startsWith('./') || spec.startsWith('node:'), `${f} imports ${spec}`).toBe(true);
      }
      expect(text).not.toMatch(/generate\.mjs/);
    }
  });

  it('shares no entry of any word list with apidisc\'s value lists', () => {
    const theirs = apidiscLists();
    expect(theirs.size).toBeGreaterThan(100); // the extraction found the lists
    expect(theirs.has('falcon')).toBe(true);
    for (const [name, list] of Object.entries(lists)) {
      for (const w of list as readonly string[]) expect(theirs.has(w.toLowerCase()), `${name}: ${w}`).toBe(false);
    }
  });

  it('generates no word of apidisc\'s lists inside its word-like values', () => {
    const theirs = [...apidiscLists()].filter((w) => /^[a-z]{3,}$/.test(w));
    const values = [...pathValues(generateBenchmark({ specs: 0, synthetic: 12, seed: '21' }))];
    // values made of words only (a prefixed id's random tail or a mixed-case string holds any letters)
    const wordlike = values.filter((v) => ['pascal', 'slug', 'word'].includes(valueClass(v)));
    expect(wordlike.length).toBeGreaterThan(200);
    const tokens = new Set(wordlike.flatMap((v) => v.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z]+/)));
    for (const w of theirs) expect(tokens.has(w), w).toBe(false);
  });

  it.skipIf(!specsInstalled())('shares no generated value of 4+ characters with a sample of apidisc\'s, beyond the specs\' own enums and numbers', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'apidisc-sample-'));
    try {
      execFileSync('node', [path.join(APIDISC_DIR, 'generate.mjs'), '--out', dir, '--specs', '40', '--seed', '4'], { stdio: 'ignore' });
      const truth = readTruth(path.join(dir, 'truth.json'));
      const routers = new Map<string, ReturnType<typeof buildRouter>>();
      for (const e of truth) {
        const k = `${e.service} ${e.method}`;
        if (!routers.has(k)) routers.set(k, buildRouter(truth.filter((x) => `${x.service} ${x.method}` === k).map((x) => normTemplate(x.template))));
      }
      const theirs = new Set<string>();
      for (const r of readTraffic(path.join(dir, 'traffic.ndjson'))) {
        const p = normPath(r.path);
        const t = routers.get(`${r.service} ${r.method}`) ? route(routers.get(`${r.service} ${r.method}`)!, p) : null;
        if (!t) continue;
        const segs = p.split('/');
        t.split('/').forEach((s, i) => s === '{}' && theirs.add(decodeURIComponent(segs[i])));
      }
      const mine = generateBenchmark({ specs: 40, synthetic: 4, seed: '4' });
      // values both may take from the specs themselves: enums of either sample's specs
      const specDir = specDirectory();
      const ids = new Set([...listSpecs(specDir)].filter((id) => id in mine.truth || truth.some((e) => e.service === id)));
      const enums = new Set<string>();
      for (const id of ids) for (const op of loadSpec(specDir, id).operations) for (const s of op.pathParams.values()) for (const v of s.enum ?? []) enums.add(v);
      // short codes (`J3`) and numbers meet by chance, not through a shared list
      const shared = [...pathValues(mine)].filter((v) => v.length >= 4 && theirs.has(v) && !enums.has(v) && !/^\d+$/.test(v) && !['true', 'false'].includes(v));
      expect(theirs.size).toBeGreaterThan(200);
      expect(shared).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
