// Templates as regular expressions, in the subset of syntax that ECMAScript, RE2 and PCRE read
// alike: escaped literals, one character class per parameter, non-capturing groups. Each
// format puts its own class in a parameter's place and its own anchors around the whole.
import type { Segment } from '@/server/discovery/template';

const META = /[\\^$.|?*+()[\]{}]/g;

/** A literal for ECMAScript, RE2 and PCRE alike: only the metacharacters are escaped. */
export function escapeRegex(s: string): string {
  return s.replace(META, '\\$&');
}

/** `/api/users/[^/]+` for `/api/users/{id}`; `/` for the root. No anchors. */
export function templatePattern(segs: Segment[], param: string): string {
  if (segs.length === 0) return '/';
  return segs.map((s) => '/' + segmentPattern(s, param)).join('');
}

export function segmentPattern(s: Segment, param: string): string {
  if (s.kind === 'literal') return escapeRegex(s.text);
  if (s.kind === 'param') return param;
  return escapeRegex(s.prefix) + param + escapeRegex(s.suffix);
}

export function literalPath(segs: Segment[]): string | null {
  if (!segs.every((s) => s.kind === 'literal')) return null;
  return segs.length === 0 ? '/' : segs.map((s) => '/' + (s as { text: string }).text).join('');
}

const AMBIGUOUS_TEXT = /[\\#?]|%(2f|5c|2e|00)/i;

/**
 * Why no request can ever match this template under the reference semantics, or null. A
 * literal holding `?` never meets a path (the query is cut there first); one holding `#`,
 * a backslash or an encoded slash or dot, or a `.`/`..` segment, only meets paths that are
 * refused as ambiguous.
 */
export function deadTemplateReason(segs: Segment[]): string | null {
  for (const s of segs) {
    const parts = s.kind === 'literal' ? [s.text] : s.kind === 'mixed' ? [s.prefix, s.suffix] : [];
    if (parts.some((p) => AMBIGUOUS_TEXT.test(p))) return 'it holds `?`, `#`, a backslash or an encoded slash or dot, which only ambiguous paths contain';
    if (s.kind === 'literal' && (s.text === '.' || s.text === '..')) return 'it has a `.` or `..` segment, which only ambiguous paths contain';
  }
  return null;
}
