/**
 * Deterministic hostile queries for the property tests (query and database), from a seed:
 * random characters, random well-formed-looking terms with hostile values, mutations of good
 * queries, and the extremes (deep nesting, limit-sized inputs). Test support only.
 */
import { mulberry32 as prng } from '@/lib/prng';

/** mulberry32 (lib/prng.ts): the seed makes a corpus, and a failure, reproducible. */
export { prng };

/** Values meant to break out of a string, a pattern, a cast or the encoding. */
export const HOSTILE_VALUES = [
  "'; drop table access_events; --", "' or '1'='1", "');select pg_sleep(5);--", '$1', '$$', '$tag$x$tag$', '\\', '\\\\', '%', '_',
  '%_%', '\\%', "e'\\x00'", '\u0000', '\u2028', '\u2029', '\u00a0', '😀', '\ud800', '\udfff', 'é', 'İ', 'ß', '\t', '"', '\\"', '::inet',
  ')::text', '/*', '*/', '--', ';', '{}', '[]', '[{"class":"x"}]', 'null', 'NULL', 'true', '1e309', 'NaN', 'Infinity', '-0', '0x10',
  '99999999999999999999', '4xx', '6xx', '10.0.0.0/8', '10.2.0.0/16', '::1', '::ffff:1.2.3.4', '1:2:3:4:5:6:7::', 'fe80::1%eth0',
  '255.255.255.255/32', '0.0.0.0/0', '[1 TO 2]', '[* TO 5]', '*', '?', '**', 'AND', 'OR', 'NOT', 'TO', '(', ')', '[', ']', 'credit_card',
  '250ms', '1.5s', '50kb', '2MiB', '1e3', '200', '599', '0', '1000', 'GET', 'get', 'PO*', 'B R E W', '/api/*/orders', '/accounts/{id}',
  'x'.repeat(1100),
];

const FIELDS = [
  'service', 'caller', 'method', 'path', 'endpoint', 'status', 'token', 'user', 'client.address', 'user_agent', 'class', 'bytes_out',
  'bytes_in', 'duration', 'proxy', 'cluster', 'namespace', 'detection', 'STATUS', 'Client.Address', 'url.path', 'http.response.status_code',
  'stauts', 'x', 'select', 'access_events', 'a.b.c',
];
const OPS = [':', ':', ':', '!=', ':!=', '>', '>=', '<', '<=', ':>', ':>=', ':<', ':<=', ': ', ''];
const JOINS = [' ', ' ', ' AND ', ' OR ', ' and ', ' or ', ' NOT ', ' -', ' && ', '  ', '\n', '\u2028'];
const ALPHABET = [
  ...'abcxyzAZ019 :.-_/*?"\\()[]!<>=\'$;%{},@#&|~^`+', '\u0000', '\u2028', '\u00a0', '😀', '\ud800', '\t', '\n', 'é', ' TO ', ' AND ', ' OR ', 'NOT ',
];
const GOOD = [
  'service:shop/orders status:5xx', 'path:/api/*/orders OR -token:abc', 'client.address:10.2.0.0/16 AND NOT user_agent:*bot*',
  '(status:[400 TO 499] OR status>=500) bytes_out>50kb', 'class:credit_card detection:det_1 method:POST', 'duration:>1.5s "python requests"',
  'endpoint:/accounts/{id}/statements status:200 bytes_out>50KB', 'caller:external client.address:2001:db8::/32 -status!=404',
];

export function hostileQueries(seed: number, count: number): string[] {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const randomText = (max: number) => Array.from({ length: int(max) }, () => pick(ALPHABET)).join('');
  const quoted = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
  const value = () => {
    const r = rnd();
    if (r < 0.45) return pick(HOSTILE_VALUES);
    if (r < 0.6) return quoted(pick(HOSTILE_VALUES));
    if (r < 0.75) return `[${pick(HOSTILE_VALUES)} TO ${pick(HOSTILE_VALUES)}]`;
    return randomText(12);
  };
  const term = (): string => {
    const r = rnd();
    const neg = rnd() < 0.2 ? pick(['-', 'NOT ', 'not ', '- ']) : '';
    if (r < 0.55) return `${neg}${pick(FIELDS)}${pick(OPS)}${value()}`;
    if (r < 0.75) return `${neg}${rnd() < 0.5 ? quoted(pick(HOSTILE_VALUES)) : pick(HOSTILE_VALUES)}`;
    if (r < 0.85) return `${neg}(${expr(1 + int(3))})`;
    return randomText(8);
  };
  const expr = (n: number) => Array.from({ length: n }, term).join(pick(JOINS));
  const mutate = (s: string) => {
    let out = s;
    for (let k = 1 + int(4); k > 0; k--) {
      const at = int(out.length + 1);
      const r = rnd();
      if (r < 0.4) out = out.slice(0, at) + pick(ALPHABET) + out.slice(at);
      else if (r < 0.7) out = out.slice(0, at) + out.slice(at + 1 + int(3));
      else out = out.slice(0, at) + out.slice(int(out.length), int(out.length)) + out.slice(at);
    }
    return out;
  };
  const extreme = () => {
    const r = rnd();
    const n = int(120);
    if (r < 0.25) return `${'('.repeat(n)}a${')'.repeat(int(120))}`;
    if (r < 0.4) return `${'NOT '.repeat(n)}${'-'.repeat(int(50))}status:500`;
    if (r < 0.55) return 'a '.repeat(60 + int(10));
    if (r < 0.7) return expr(6).repeat(40).slice(0, 1990 + int(20));
    if (r < 0.85) return `path:${'\\'.repeat(int(2001))}`;
    return `"${'x'.repeat(1990 + int(20))}"`;
  };

  const out: string[] = [...HOSTILE_VALUES, ...HOSTILE_VALUES.map(quoted), ...GOOD];
  while (out.length < count) {
    const r = rnd();
    if (r < 0.2) out.push(randomText(40));
    else if (r < 0.65) out.push(expr(1 + int(5)));
    else if (r < 0.9) out.push(mutate(pick(GOOD)));
    else out.push(extreme());
  }
  return out;
}
