import { addressFamily, cidrFamily } from './address';
import { patternText, type AddressMatch, type Bound, type Node, type NumericField, type Pattern, type PatternPart, type TextField } from './ast';
import { QueryError, shown } from './errors';
import type { FieldSpec } from './fields';
import type { FieldOp, ValueToken } from './lexer';

/**
 * Turns `field op value` into a typed term, or says precisely what is wrong with the value.
 * All checking of user values happens here, so compile() never meets a value the database
 * could refuse.
 */

export interface RangeValue {
  lo: ValueToken | '*';
  hi: ValueToken | '*';
  col: number;
}

const OP_TEXT: Record<FieldOp, string> = { eq: ':', ne: '!=', gt: '>', ge: '>=', lt: '<', le: '<=' };
// about 31 years: a longer duration is a typo, and float8 stays exact in milliseconds below it
const MAX_DURATION_MS = 1e12;

function pattern(v: ValueToken): Pattern {
  return { parts: v.parts, wild: v.parts.some((p) => p.kind !== 'lit') };
}

/** The value as one literal string; `what` explains what the field takes when it has wildcards. */
function literal(spec: FieldSpec, v: ValueToken, what: string): string {
  if (v.parts.some((p) => p.kind !== 'lit')) {
    throw new QueryError(v.col, `wildcards work on text fields only; ${spec.name} takes ${what}`);
  }
  return patternText(pattern(v));
}

/** `field op value` (op already stripped of negation: the parser wraps != in NOT). */
export function fieldTerm(spec: FieldSpec, op: Exclude<FieldOp, 'ne'>, opCol: number, col: number, value: ValueToken | RangeValue): Node {
  if ('lo' in value) return rangeTerm(spec, value, col);
  switch (spec.kind) {
    case 'text':
    case 'method':
      if (op !== 'eq') throw compareText(spec, op, opCol, value);
      return { kind: 'match', field: spec.name as TextField, pattern: spec.kind === 'method' ? methodPattern(value) : pattern(value), col };
    case 'status':
    case 'bytes':
    case 'duration': {
      const field = spec.name as NumericField;
      if (op === 'eq') {
        const [lo, hi] = spec.kind === 'status' ? statusValue(spec, value) : [number(spec, value), number(spec, value)];
        return { kind: 'numeric', field, lo: { value: lo, inclusive: true }, hi: { value: hi, inclusive: true }, col };
      }
      if (spec.kind === 'status' && /^[1-5]xx$/i.test(patternText(pattern(value)))) {
        throw new QueryError(value.col, `compare status with a number (status>=500), or match a class with status:${patternText(pattern(value)).toLowerCase()}`);
      }
      const b: Bound = { value: number(spec, value), inclusive: op === 'ge' || op === 'le' };
      return { kind: 'numeric', field, lo: op === 'gt' || op === 'ge' ? b : null, hi: op === 'lt' || op === 'le' ? b : null, col };
    }
    case 'address':
      if (op !== 'eq') throw new QueryError(opCol, `"${OP_TEXT[op]}" compares numbers; for a span of addresses use a CIDR block (client.address:10.2.0.0/16) or a range (client.address:[10.0.0.1 TO 10.0.0.9])`);
      return { kind: 'address', match: addressValue(spec, value), col };
    case 'class':
    case 'detection':
      if (op !== 'eq') throw new QueryError(opCol, `"${OP_TEXT[op]}" compares numbers; ${spec.name} takes ${spec.kind === 'class' ? 'a class name' : 'a detection id'} (${spec.example})`);
      return spec.kind === 'class' ? { kind: 'class', name: className(spec, value), col } : { kind: 'detection', id: detectionId(spec, value), col };
  }
}

function compareText(spec: FieldSpec, op: FieldOp, opCol: number, v: ValueToken): QueryError {
  return new QueryError(opCol,
    `"${OP_TEXT[op]}" compares numbers, and ${spec.name} is text (to match text that starts with "${OP_TEXT[op]}", quote it: ${spec.name}:"${OP_TEXT[op]}${v.raw.slice(0, 20)}")`);
}

// RFC 9110 token characters
const TCHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function methodPattern(v: ValueToken): Pattern {
  const parts: PatternPart[] = [];
  for (const p of v.parts) {
    if (p.kind !== 'lit') parts.push(p);
    else if (!TCHARS.test(p.text) || p.text.length > 32) {
      throw new QueryError(v.col, `${shown(patternText(pattern(v)))} is not an HTTP method (letters, digits and !#$%&'*+-.^_\`|~ only, e.g. method:POST)`);
    } else parts.push({ kind: 'lit', text: p.text.toUpperCase() });
  }
  if (!parts.length) throw new QueryError(v.col, 'expected an HTTP method, e.g. method:POST');
  return { parts, wild: parts.some((p) => p.kind !== 'lit') };
}

const NUMBER_HELP: Record<string, string> = {
  status: 'an integer, or 2xx/4xx/5xx',
  bytes: 'a whole number of bytes, optionally with a unit: 50kb, 2MiB',
  duration: 'milliseconds, or a number with a unit: 250ms, 1.5s',
};
const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3, tb: 1e12, tib: 1024 ** 4 };
const DURATION_UNITS: Record<string, number> = { '': 1, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1e3, m: 60e3, min: 60e3, h: 3600e3 };

function help(spec: FieldSpec): string {
  return `${spec.name} takes ${NUMBER_HELP[spec.kind]}`;
}

/** A status, byte count or duration as the number stored (bytes, milliseconds). */
function number(spec: FieldSpec, v: ValueToken): number {
  const text = literal(spec, v, NUMBER_HELP[spec.kind] ?? 'a number');
  const m = /^(\d{1,16}(?:\.\d{1,6})?)([a-zµ]*)$/i.exec(text);
  const notNumber = () => new QueryError(v.col, `${shown(text)} is not a number (${help(spec)})`);
  if (!m) throw notNumber();
  const unit = m[2].toLowerCase();
  if (spec.kind === 'status') {
    if (unit || m[1].includes('.')) throw notNumber();
    const n = Number(m[1]);
    if (n > 999) throw new QueryError(v.col, `${n} is not an HTTP status (0 to 999)`);
    return n;
  }
  const scale = spec.kind === 'bytes' ? BYTE_UNITS[unit] : DURATION_UNITS[unit];
  if (scale === undefined) {
    const units = Object.keys(spec.kind === 'bytes' ? BYTE_UNITS : DURATION_UNITS).filter(Boolean).join(', ');
    throw new QueryError(v.col + m[1].length, `unknown unit "${m[2]}" for ${spec.name} (use ${units})`);
  }
  const n = Number(m[1]) * scale;
  if (spec.kind === 'bytes') {
    const whole = Math.round(n);
    if (Math.abs(n - whole) > 1e-6) throw new QueryError(v.col, `${text} is not a whole number of bytes`);
    if (!Number.isSafeInteger(whole)) throw new QueryError(v.col, `${text} is too large for ${spec.name}`);
    return whole;
  }
  if (n > MAX_DURATION_MS) throw new QueryError(v.col, `${text} is too long for a duration`);
  return n;
}

/** `404` → [404, 404]; `4xx` → [400, 499]. */
function statusValue(spec: FieldSpec, v: ValueToken): [number, number] {
  if (/^[1-5][0-9*?]{0,2}$/.test(v.raw) && v.parts.some((p) => p.kind !== 'lit')) {
    throw new QueryError(v.col, `wildcards work on text fields only; for a status class write status:${v.raw[0]}xx`);
  }
  const cls = /^([1-5])xx$/i.exec(literal(spec, v, NUMBER_HELP.status));
  if (cls) return [Number(cls[1]) * 100, Number(cls[1]) * 100 + 99];
  const n = number(spec, v);
  return [n, n];
}

function addressValue(spec: FieldSpec, v: ValueToken): AddressMatch {
  const text = literal(spec, v, 'an address or a CIDR block such as 10.2.0.0/16');
  if (addressFamily(text)) return { kind: 'exact', address: text };
  if (cidrFamily(text)) return { kind: 'cidr', block: text };
  throw new QueryError(v.col, `${shown(text)} is not an address or a CIDR block (e.g. 10.2.0.0/16, 2001:db8::/32)`);
}

function className(spec: FieldSpec, v: ValueToken): string {
  const text = literal(spec, v, 'a class name such as credit_card');
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(text)) {
    throw new QueryError(v.col, `${shown(text)} is not a sensitive-data class name (letters, digits, _ . - only, e.g. class:credit_card)`);
  }
  return text;
}

function detectionId(spec: FieldSpec, v: ValueToken): string {
  const text = literal(spec, v, 'a detection id');
  if (!text || text.length > 200) throw new QueryError(v.col, `${shown(text)} is not a detection id`);
  return text;
}

function rangeTerm(spec: FieldSpec, r: RangeValue, col: number): Node {
  if (spec.kind === 'address') return { kind: 'address', match: addressRange(spec, r), col };
  if (spec.kind !== 'status' && spec.kind !== 'bytes' && spec.kind !== 'duration') {
    throw new QueryError(r.col, `ranges work on numbers and addresses, and ${spec.name} is ${spec.kind === 'text' || spec.kind === 'method' ? 'text (use wildcards: ' + spec.example + ')' : 'not one'}`);
  }
  const bound = (t: ValueToken | '*', end: 0 | 1): Bound | null => {
    if (t === '*') return null;
    const value = spec.kind === 'status' ? statusValue(spec, t)[end] : number(spec, t);
    return { value, inclusive: true };
  };
  const lo = bound(r.lo, 0);
  const hi = bound(r.hi, 1);
  if (!lo && !hi) throw new QueryError(r.col, `[* TO *] matches everything; give at least one end of the range`);
  if (lo && hi && lo.value > hi.value) {
    throw new QueryError((r.lo as ValueToken).col, `the range starts at ${(r.lo as ValueToken).raw}, after its end ${(r.hi as ValueToken).raw}`);
  }
  return { kind: 'numeric', field: spec.name as NumericField, lo, hi, col };
}

function addressRange(spec: FieldSpec, r: RangeValue): AddressMatch {
  if (r.lo === '*' || r.hi === '*') throw new QueryError(r.col, 'an address range needs both ends (client.address:[10.0.0.1 TO 10.0.0.9])');
  const end = (t: ValueToken) => {
    const text = literal(spec, t, 'an address');
    const family = addressFamily(text);
    if (!family) throw new QueryError(t.col, `${shown(text)} is not an address`);
    return { text, family };
  };
  const from = end(r.lo);
  const to = end(r.hi);
  if (from.family !== to.family) throw new QueryError(r.hi.col, 'both ends of an address range must be IPv4, or both IPv6');
  return { kind: 'range', from: from.text, to: to.text };
}
