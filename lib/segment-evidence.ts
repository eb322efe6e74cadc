// Why discovery made a path segment a parameter or kept it literal: a small, checkable record
// per template position, computed in the clustering pass (merge-tree.ts) for the positions it
// emits, never per request. A parameter says how many values it took, how often they were
// requested, which rules made names join (the branch of merge-decision.ts that added each) and
// which names beside it stayed literal; a literal that had siblings says why it stayed. Bounded:
// no values are kept beyond the template's own literal names and the redacted examples.
// Pure data, no imports: the endpoint detail renders the sentences too. The tallies that fill
// it are in evidence-tally.ts.

/** Why names joined a parameter: one code per branch of the decision, each with its sentence. */
export const JOIN_RULES = {
  'identifier-shape': 'identifier shape',
  overflow: 'more names than the tree keeps at one position',
  'version-value': 'version-like numbers in a value position',
  'many-numbers': 'many dates or small numbers alike',
  'custom-method': 'a resource name before a custom method (`{name}:cancel`)',
  'numbers-beside-ids': 'small numbers beside identifiers of the same shape',
  'many-names': 'many names requested rarely',
  'many-leaves': 'many leaf names requested rarely',
  'leaf-beside-values': 'a leaf that answers like the many values beside it',
  'item-with-number': 'a name with a number under a collection',
  'collection-items': 'under a collection',
  'shared-subresources': 'shares sub-resources with other values',
  'leaf-fits': 'a leaf that answers like the values beside it',
  'alike-beside-param': 'shares the sub-resources of the parameter beside it',
  'leaves-beside-param': 'several leaves answering like the parameter beside them',
  'id-like-beside-param': 'identifier-like, beside a parameter',
  'many-alike-leaves': 'many alike leaves',
  'rare-beside-many': 'requested as rarely as the many values beside it',
  'busy-value': "busy, yet with the sub-resources of the many values beside it",
  numbered: 'a word and a number, several of them (`page-1`, `page-2`)',
  'file-names': 'seen with several file types: the suffix is part of the value',
} as const;
export type JoinRule = keyof typeof JOIN_RULES;

/** Why a name with siblings stayed literal. */
export const KEEP_RULES = {
  'busy-few': 'few names at this position, and busy with a sub-tree of its own',
  'version-position': 'version position: where an API names its versions and areas',
  'version-like': 'version-like name',
  'api-versions': 'leads to API versions: an API or API group, not a value',
  'qualified-name': "a name in one of the API's namespaces (`microsoft.graph.user`): its own syntax, not a value",
  'busy-beside-param': 'busy beside a parameter',
  vocabulary: 'API vocabulary word',
  'api-style': "named in the API's own style",
  plural: 'a plural: a collection of its own',
  'own-subresources': 'own sub-resources',
  'unlike-values': 'not used like the values beside it',
  'few-names': 'few names at this position',
} as const;
export type KeepRule = keyof typeof KEEP_RULES;

/** Literal siblings a parameter record lists. */
export const KEPT_SHOWN = 5;

export interface ParamEvidence {
  kind: 'param';
  /** position in the template (0 = first segment) */
  at: number;
  /** distinct values seen (estimated where the tree folded them) */
  values: number;
  requests: number;
  /** requests per value, the median (folded values each counted at their average) */
  median: number;
  /** rules that made names join, with how many names each took, most first */
  rules: { code: JoinRule; keys: number }[];
  /**
   * the busiest names kept literal beside the parameter (at most KEPT_SHOWN), and their requests;
   * names only refused requests reached are in no stored template and are not listed
   */
  literals: { name: string; requests: number }[];
  /** names kept literal beside it in all */
  keptLiterals: number;
}

export interface LiteralEvidence {
  kind: 'literal';
  at: number;
  code: KeepRule;
  requests: number;
  /** other names at the position (a parameter counts its values) */
  siblings: number;
  /** the parameter beside it, when there is one: its name as learned and its values' median requests */
  beside?: { name: string; median: number };
}

export type SegmentEvidence = ParamEvidence | LiteralEvidence;

/** The sentence for one segment's evidence, for people (the endpoint detail shows it). */
export function ruleSentence(code: string): string {
  return (JOIN_RULES as Record<string, string>)[code] ?? (KEEP_RULES as Record<string, string>)[code] ?? code;
}
