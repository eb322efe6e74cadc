// Node-side helper (not part of the engine): bundles the engine for nginx's njs 0.7.9 with the
// repository's esbuild. esbuild's ESM output is used because its IIFE/CJS wrappers contain
// `for…of`, which njs 0.7.9 does not parse; the trailing `export { … }` becomes either
// `export default { … }` (an njs module for js_import) or a global object (for the njs CLI).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** Syntax and built-ins njs 0.7.9 lacks, as found by running it (README "Running under njs"). */
export const NJS_FORBIDDEN: { what: string; re: RegExp }[] = [
  { what: 'for…of', re: /for\s*\((?:const|let|var)\s+[\w$]+\s+of\s/ },
  { what: 'class declarations', re: /(?:^|[^\w$.'"])class\s+[\w$]+\s*(?:extends\s+[\w$.]+\s*)?\{/m },
  { what: 'generators', re: /function\s*\*/ },
  { what: 'Map/Set', re: /new\s+(?:Map|Set|WeakMap|WeakSet)\s*\(/ },
  { what: 'Array.from', re: /Array\.from\(/ },
  { what: 'spread arguments', re: /\(\s*\.\.\.[\w$]/ },
  { what: 'optional chaining', re: /[\w$)\]]\?\.[\w$[(]/ },
];

export function buildNjsBundle(shape: 'module' | 'global', globalName = 'meshwardDataclass'): string {
  const esm = execFileSync(join(ROOT, 'node_modules', '.bin', 'esbuild'), [
    join(ROOT, 'server', 'dataclass', 'index.ts'), '--bundle', '--format=esm', '--target=es2017', '--log-level=error',
  ], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const m = /export\s*\{([^}]*)\};?\s*$/.exec(esm);
  if (m === null) throw new Error('esbuild output has no trailing export list');
  const names = m[1].split(',').map((n) => n.trim()).filter((n) => n.length > 0);
  const entries = names.map((n) => {
    const parts = n.split(/\s+as\s+/);
    return `${parts[1] ?? parts[0]}: ${parts[0]}`;
  });
  const body = esm.slice(0, m.index);
  return shape === 'module' ? `${body}export default { ${entries.join(', ')} };\n` : `${body}var ${globalName} = { ${entries.join(', ')} };\n`;
}
