// Shapes shared by the sensitive-data classifier engine (server/dataclass/). The engine core is
// written in the subset of JavaScript that nginx's njs 0.7.9 runs (README "Running under njs"): no
// classes, generators, destructuring, default parameters, for…of, Map/Set or spread.

export type Direction = 'request' | 'response';

export type Validator = 'luhn' | 'mod97' | 'none';

/** A class an admin defines: a regex (source, no flags), an optional validator, optional JSON-path hints. */
export interface CustomClassDef {
  name: string;
  pattern: string;
  validator?: Validator;
  /** `$.card.pan`, `$.items[*].pan`, `$..pan`, or a bare key name (`pan`): the class only counts there */
  jsonPathHints?: string[];
  /** match letters case-insensitively */
  ignoreCase?: boolean;
}

/** A custom class after validation: what the scanner runs. */
export interface CompiledCustomClass {
  name: string;
  re: RegExp;
  validator: Validator;
  /** null: anywhere; otherwise the value's path or key must match one of these */
  hints: CompiledHint[] | null;
}

export interface CompiledHint {
  /** a bare key name, lower-cased (compared with the innermost key), or null for a path pattern */
  key: string | null;
  /** anchored pattern over the value's JSON path, or null for a bare key */
  path: RegExp | null;
}

export interface PathCount {
  /** `$.items[0].pan` for JSON, the field name for form bodies, null for text */
  path: string | null;
  count: number;
}

export interface ClassResult {
  class: string;
  direction: Direction;
  count: number;
  /** at most `maxPathsPerClass` entries; matches at further paths are counted in `otherPathsCount` */
  paths: PathCount[];
  otherPathsCount: number;
  /** a redacted sample (`4111 **** **** 1111`, `j***@example.com`); never the value */
  sample?: string;
}

export interface ScanResult {
  direction: Direction;
  /** how the body was read */
  format: 'json' | 'form' | 'text';
  /** characters of body read */
  scanned: number;
  /** true when the body was longer than `maxScanChars` and the rest was not read */
  truncated: boolean;
  classes: ClassResult[];
}

export interface ScanOptions {
  direction?: Direction;
  /** `application/json`, `application/x-www-form-urlencoded`, …; absent: sniffed from the first character */
  contentType?: string | null;
  /** built-in class names to run; default all */
  builtins?: string[];
  custom?: CompiledCustomClass[];
  /** keep a redacted sample per class (default true) */
  samples?: boolean;
  /** distinct paths kept per class (default 32) */
  maxPathsPerClass?: number;
  /** characters of body read at most (default 16 MiB); the rest is ignored and `truncated` set */
  maxScanChars?: number;
}

export interface Scanner {
  write(chunk: string): void;
  end(): ScanResult;
}
