// The template an analyst's merge makes, shared by the review code and the dialog's preview.
import { paramName } from './param-naming';
import { formatTemplate, parseTemplate, type Segment } from './template';

/** The narrowest template covering all of `templates` (same depth): literals where they agree. */
export function mergedTemplate(templates: string[]): string {
  const parsed = templates.map(parseTemplate);
  const depth = parsed[0]?.length ?? 0;
  if (parsed.some((p) => p.length !== depth)) throw new Error('Only templates with the same number of segments can be merged');
  const taken = new Set<string>();
  const out: Segment[] = [];
  for (let i = 0; i < depth; i++) {
    const col = parsed.map((p) => p[i]);
    const first = col[0];
    if (first.kind === 'literal' && col.every((s) => s.kind === 'literal' && s.text === first.text)) {
      out.push(first);
      continue;
    }
    const named = col.find((s) => s.kind !== 'literal' && s.name !== '' && !taken.has(s.name));
    const prev = out[i - 1];
    const name = named && named.kind !== 'literal' ? named.name : paramName(prev?.kind === 'literal' ? prev.text : null, new Set(taken));
    taken.add(name);
    // a frame all of them share (`{id}.json`, `{name}:cancel`) stays
    const frame = (s: Segment) => (s.kind === 'mixed' ? `${s.prefix}\u0000${s.suffix}` : null);
    if (first.kind === 'mixed' && col.every((s) => frame(s) === frame(first))) out.push({ kind: 'mixed', name, prefix: first.prefix, suffix: first.suffix });
    else out.push({ kind: 'param', name });
  }
  return formatTemplate(out);
}
