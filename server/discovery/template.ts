// Endpoint templates as data: parsing `/users/{user_id}/files/{file_id}.json` into segments,
// the key that ignores parameter names, and whether one template covers another. One template
// syntax everywhere: `{name}` is exactly one non-empty segment (or part of one, `{id}.json`).

export type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string }
  /** a parameter inside a segment: `{id}.json`, `v{version}`, `{name}:cancel` */
  | { kind: 'mixed'; name: string; prefix: string; suffix: string };

const PARAM = /^\{([^{}]*)\}$/;
const MIXED = /^([^{}]*)\{([^{}]*)\}([^{}]*)$/;

export function parseTemplate(template: string): Segment[] {
  const out: Segment[] = [];
  for (const part of template.split('/')) {
    if (part === '') continue;
    const p = PARAM.exec(part);
    if (p) {
      out.push({ kind: 'param', name: p[1] });
      continue;
    }
    const m = MIXED.exec(part);
    if (m) out.push({ kind: 'mixed', prefix: m[1], name: m[2], suffix: m[3] });
    else out.push({ kind: 'literal', text: part });
  }
  return out;
}

export function formatTemplate(segments: Segment[]): string {
  if (segments.length === 0) return '/';
  return '/' + segments.map(formatSegment).join('/');
}

function formatSegment(s: Segment): string {
  if (s.kind === 'literal') return s.text;
  if (s.kind === 'param') return `{${s.name}}`;
  return `${s.prefix}{${s.name}}${s.suffix}`;
}

/** The template with parameter names blanked: renaming a parameter keeps the endpoint. */
export function templateKey(template: string): string {
  return formatTemplate(parseTemplate(template).map((s) => (s.kind === 'literal' ? s : { ...s, name: '' })));
}

export function paramNames(segments: Segment[]): string[] {
  return segments.flatMap((s) => (s.kind === 'literal' ? [] : [s.name]));
}

/** Whether a concrete (decoded) path segment fits a template segment. */
export function segmentMatches(t: Segment, value: string): boolean {
  if (value === '') return false;
  if (t.kind === 'literal') return t.text === value;
  if (t.kind === 'param') return true;
  return value.length > t.prefix.length + t.suffix.length && value.startsWith(t.prefix) && value.endsWith(t.suffix);
}

/**
 * Whether every request `b` matches also matches `a` (a is as wide or wider). Same length,
 * and position by position a parameter takes anything, a mixed segment takes literals and
 * mixed segments of its own frame, a literal only itself.
 */
export function covers(a: Segment[], b: Segment[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.kind === 'param') continue;
    if (x.kind === 'literal') {
      if (y.kind !== 'literal' || y.text !== x.text) return false;
      continue;
    }
    if (y.kind === 'param') return false;
    if (y.kind === 'literal' && !segmentMatches(x, y.text)) return false;
    if (y.kind === 'mixed' && !(y.prefix.startsWith(x.prefix) && y.suffix.endsWith(x.suffix))) return false;
  }
  return true;
}

/** Literal characters: more of them make a template more specific when several match. */
export function specificity(s: Segment): number {
  if (s.kind === 'literal') return 2;
  if (s.kind === 'mixed') return 1;
  return 0;
}
