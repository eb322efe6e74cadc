import type { FieldName } from './fields';

/**
 * The parsed query. Values are already checked and typed (numbers converted from their units,
 * addresses validated), so compiling cannot fail on user input. `col` is where the term
 * starts in the query text, for highlighting.
 */

/** A value as typed: literal runs and the wildcards between them. */
export type PatternPart = { kind: 'lit'; text: string } | { kind: 'any' } | { kind: 'one' };

export interface Pattern {
  parts: PatternPart[];
  /** true when a part is a wildcard (else the value is one literal) */
  wild: boolean;
}

/** A numeric bound; `inclusive` false for > and <. */
export interface Bound {
  value: number;
  inclusive: boolean;
}

export type NumericField = Extract<FieldName, 'status' | 'bytes_out' | 'bytes_in' | 'duration'>;
export type TextField = Extract<FieldName, 'service' | 'caller' | 'method' | 'path' | 'endpoint' | 'token' | 'user' | 'user_agent' | 'proxy' | 'cluster' | 'namespace'>;

export type Node =
  | { kind: 'and'; children: Node[] }
  | { kind: 'or'; children: Node[] }
  | { kind: 'not'; child: Node }
  /** free text: a case-insensitive substring of the path or the user agent */
  | { kind: 'text'; pattern: Pattern; col: number }
  | { kind: 'match'; field: TextField; pattern: Pattern; col: number }
  /** lo/hi null: unbounded on that side (never both) */
  | { kind: 'numeric'; field: NumericField; lo: Bound | null; hi: Bound | null; col: number }
  | { kind: 'address'; match: AddressMatch; col: number }
  | { kind: 'class'; name: string; col: number }
  | { kind: 'detection'; id: string; col: number };

export type AddressMatch =
  | { kind: 'exact'; address: string }
  | { kind: 'cidr'; block: string }
  | { kind: 'range'; from: string; to: string };

export interface Query {
  /** null: the empty query, which matches every event */
  root: Node | null;
}

/** The pattern's text with wildcards written back as * and ?, for messages and autocomplete. */
export function patternText(p: Pattern): string {
  return p.parts.map((x) => (x.kind === 'lit' ? x.text : x.kind === 'any' ? '*' : '?')).join('');
}
