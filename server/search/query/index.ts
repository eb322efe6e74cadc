// The forensics query language: parse, compile to a parameterised condition, describe the fields.
export type { Node, Query } from './ast';
export { compile, compileQuery } from './compile';
export { QueryError } from './errors';
export { searchFields, type SearchFieldInfo } from './fields';
export { LIMITS, parse } from './parser';
