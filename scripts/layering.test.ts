// The layers that keep the product's structure: the database schema depends on nothing of the
// server, the shared enums on nothing at all, and the demo fleet reaches the console only
// through its public routes (it may reuse the OTLP wire-format module, a protocol, not logic).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function sources(dir: string, withTests = false): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sources(rel, withTests));
    else if (/\.(ts|tsx|mts|mjs)$/.test(name) && (withTests || !/\.test\.ts$/.test(name))) out.push(rel);
  }
  return out;
}

/** Every module a file imports (static and dynamic), as written. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

/** `@/server/x` and `../server/x` both name the server layer. */
function layerOf(file: string, spec: string): string | null {
  if (spec.startsWith('@/')) return spec.slice(2).split('/')[0];
  if (spec.startsWith('.')) return path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)).split(path.sep)[0];
  return null;
}

function violations(dir: string, forbidden: string[], allowed: string[] = []): string[] {
  const out: string[] = [];
  for (const file of sources(dir)) {
    for (const spec of importsOf(file)) {
      const layer = layerOf(file, spec);
      if (layer && forbidden.includes(layer) && !allowed.some((a) => spec.endsWith(a))) out.push(`${file} imports ${spec}`);
    }
  }
  return out;
}

it('db/ imports nothing from the server, the UI or the simulator', () => {
  expect(violations('db', ['server', 'components', 'app', 'simulator'])).toEqual([]);
});

it('lib/ (enums shared by database, server and UI) imports nothing of the project', () => {
  expect(violations('lib', ['server', 'components', 'app', 'simulator', 'db', 'scripts'])).toEqual([]);
});

it('the simulator reaches the console only through its start function and public routes', () => {
  expect(violations('simulator', ['server', 'db', 'components', 'app', 'scripts'], ['server/ingest/otlp-proto'])).toEqual([]);
});

it('the layering check sees an import it should refuse', () => {
  expect(layerOf('db/schema/x.ts', '@/server/policy/model')).toBe('server');
  expect(layerOf('db/schema/x.ts', '../../server/policy/model')).toBe('server');
  expect(layerOf('simulator/a.ts', './b')).toBe('simulator');
});

it('the UI takes shared value sets from lib/, not from the database schema', () => {
  expect([...violations('components', ['db']), ...violations('app', ['db'])]).toEqual([]);
});
