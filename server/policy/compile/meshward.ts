// Meshward JSON: the canonical document Meshward's own agents enforce, with the deny entries in
// force and, per rule, its template as an anchored regex. The regexes are in the syntax that
// ECMAScript, RE2 and PCRE share, and hold only for paths that `ambiguousPath` lets through:
// an agent cuts the query at the first `?`, refuses the path if `ambiguousPath` matches it,
// then allows the request if a rule of its caller and method matches.
import { canonical, type AllowRule, type DenyEntry, type PolicyDocument } from '../model';
import type { CompileOptions } from './options';
import { templatePattern } from './path-regex';
import { buildWhitelist } from './whitelist';
import { parseTemplate } from '@/server/discovery/template';

export const MESHWARD_FORMAT = 'meshward.policy/v1';
/** Empty, relative, or with `\`, `#`, an encoded slash/backslash/dot/NUL, `//`, a `.`/`..` segment or a trailing slash. */
export const AMBIGUOUS_PATH = String.raw`^(?:$|[^/]|[\s\S]*(?:[\\#]|%(?:2[eEfF]|5[cC]|00)|//|/\.\.?(?:/|$))|[\s\S]+/$)`;

export interface MeshwardBundle {
  format: typeof MESHWARD_FORMAT;
  service: string;
  defaultAction: 'deny';
  ambiguousPath: string;
  allow: (AllowRule & { regex: string })[];
  deny: DenyEntry[];
}

export function compileMeshward(doc: PolicyDocument, _o: CompileOptions, now: Date): { bundle: MeshwardBundle; json: string; warnings: string[] } {
  // The whitelist pass only to report dead rules the same way every format does; the document keeps them (the path check refuses every path they could match).
  const { warnings, deny } = buildWhitelist(doc, now, (c) => ({ id: c }));
  const c = canonical(doc);
  const regexes = new Map<string, string>();
  const regexOf = (t: string) => {
    let re = regexes.get(t);
    if (re === undefined) regexes.set(t, (re = `^${templatePattern(parseTemplate(t), '[^/]+')}$`));
    return re;
  };
  const bundle: MeshwardBundle = {
    format: MESHWARD_FORMAT,
    service: c.service,
    defaultAction: 'deny',
    ambiguousPath: AMBIGUOUS_PATH,
    allow: c.allow.map((r) => ({ ...r, regex: regexOf(r.template) })),
    deny,
  };
  return { bundle, json: JSON.stringify(bundle), warnings };
}
