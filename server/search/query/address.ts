/**
 * Address syntax, checked here so that every value that reaches `::inet` is one PostgreSQL
 * accepts (a cast error would be a 500, not a message). Deliberately strict: dotted quads
 * without leading zeros (`010` is octal to some tools and decimal to others), IPv6 without
 * zone ids (inet has none).
 */

export type Family = 4 | 6;

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const GROUP = /^[0-9A-Fa-f]{1,4}$/;

export function ipv4(s: string): boolean {
  const p = s.split('.');
  return p.length === 4 && p.every((o) => OCTET.test(o));
}

export function ipv6(s: string): boolean {
  if (s.length > 45) return false;
  let groups = 0;
  let body = s;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    // an IPv4 tail (::ffff:10.0.0.1) counts as two groups
    if (!ipv4(s.slice(lastColon + 1))) return false;
    body = s.slice(0, lastColon + 1);
    // keep "::" intact when the tail follows it directly
    body = body.endsWith('::') ? body : body.slice(0, -1);
    groups = 2;
  }
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const count = (h: string) => {
    if (h === '') return 0;
    const g = h.split(':');
    return g.every((x) => GROUP.test(x)) ? g.length : NaN;
  };
  const n = halves.reduce((sum, h) => sum + count(h), groups);
  if (Number.isNaN(n)) return false;
  return halves.length === 2 ? n <= 7 : n === 8;
}

export function addressFamily(s: string): Family | null {
  if (ipv4(s)) return 4;
  if (ipv6(s)) return 6;
  return null;
}

/** `10.2.0.0/16` → its family, or null when it is not a block (the prefix must fit the family). */
export function cidrFamily(s: string): Family | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const family = addressFamily(s.slice(0, slash));
  const prefix = s.slice(slash + 1);
  if (!family || !/^(0|[1-9]\d{0,2})$/.test(prefix)) return null;
  return Number(prefix) <= (family === 4 ? 32 : 128) ? family : null;
}
