// Types a parameter from the values it took, and redacts examples: an inventory shows the shape
// of a value (`88**`), never a user's id or e-mail address.

export type ParamType = 'integer' | 'uuid' | 'hex' | 'date' | 'email' | 'slug' | 'string';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Types one value; a character scan first, since this runs on the ingest path. */
export function typeOf(value: string): ParamType {
  let digits = 0;
  let hexLetters = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if ((c >= 97 && c <= 102) || (c >= 65 && c <= 70)) hexLetters++;
    else other++;
  }
  if (value.length === 0) return 'string';
  if (other === 0 && hexLetters === 0) return 'integer';
  if (other === 0 && digits >= 2 && value.length >= 8) return 'hex';
  if (value.length === 36 && UUID.test(value)) return 'uuid';
  return typeFromClass(value);
}

const DATE = /^\d{4}-\d{2}-\d{2}([tT ][0-9:.]+([zZ]|[+-]\d{2}:?\d{2})?)?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;

function typeFromClass(value: string): ParamType {
  if (value.indexOf('@') !== -1 && EMAIL.test(value)) return 'email';
  if (value.length >= 10 && DATE.test(value)) return 'date';
  if (/[-_~]/.test(value) && /[a-z]/i.test(value)) return 'slug';
  return 'string';
}

/** The narrowest type that covers both; hex ⊃ integer-free ids, everything ⊂ string. */
export function widenType(a: ParamType, b: ParamType): ParamType {
  if (a === b) return a;
  if ((a === 'hex' && b === 'integer') || (a === 'integer' && b === 'hex')) return 'hex';
  return 'string';
}

export function redact(value: string): string {
  if (value.length <= 2) return '*'.repeat(value.length);
  const keep = value.length >= 8 ? 2 : 1;
  return value.slice(0, keep) + '*'.repeat(value.length - keep);
}
