/**
 * Address syntax, checked here so that every value that reaches `::inet` is one PostgreSQL
 * accepts (a cast error would be a 500, not a message). Node's `isIP`, as ingest and policy
 * use it: it already refuses IPv4 with leading zeros (`010` is octal to some tools and
 * decimal to others); zone ids (`fe80::1%eth0`) are refused here, inet has none.
 */
import { isIP } from 'node:net';

export type Family = 4 | 6;

export function addressFamily(s: string): Family | null {
  if (s.includes('%')) return null;
  const f = isIP(s);
  return f === 4 || f === 6 ? f : null;
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
