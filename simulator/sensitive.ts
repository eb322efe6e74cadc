import type { SensitiveMatch } from './record';
import { hex, seedOf, type Prng } from './random';
import type { SensitiveSpec } from './topology';

/** Share of responses with matches whose body the filter also samples (already redacted). */
export const SAMPLE_RATE = 0.01;

/**
 * LeakSignal-style partial: a truncated hash of the value, never the value. The same value
 * (`subject`: the user whose data it is) always gives the same partial; list items vary.
 */
function partial(cls: string, subject: string | undefined, r: Prng): string {
  if (subject === undefined) return hex(r, 12);
  return (seedOf(cls, subject).toString(16).padStart(8, '0') + seedOf(subject, cls).toString(16).padStart(8, '0')).slice(0, 12);
}

/** What the filter reports for one request: a match per spec that applies, with counts and paths. */
export function sensitiveMatches(
  specs: { spec: SensitiveSpec; direction: 'request' | 'response' }[],
  items: number,
  subject: string | undefined,
  r: Prng,
): SensitiveMatch[] | null {
  if (specs.length === 0) return null;
  return specs.map(({ spec, direction }) => ({
    class: spec.class,
    direction,
    count: spec.perItem ? items : 1,
    path: spec.path,
    partial: partial(spec.class, spec.perItem ? undefined : subject, r),
  }));
}

const REDACTED: Record<string, string> = {
  email: 'j***@m***.example',
  phone: '+49*******21',
  credit_card: '************4242',
  ssn: '***-**-6789',
  iban: 'DE89****************00',
  jwt: 'eyJhbGciOi…[redacted]',
  api_key: 'mk_live_****************',
  password: '[redacted]',
};

type Json = { [k: string]: Json } | Json[] | string | number;

/** Puts `value` at a `$.a.b` / `$.items[*].c` path of `root`, expanding `[*]` into `items` entries (at most 3). */
function place(root: Record<string, Json>, path: string, value: string, items: number) {
  const parts = path.replace(/^\$\.?/, '').split('.');
  let nodes: Record<string, Json>[] = [root];
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const list = part.endsWith('[*]');
    const key = list ? part.slice(0, -3) : part;
    const next: Record<string, Json>[] = [];
    for (const node of nodes) {
      if (last && !list) {
        node[key] = value;
        continue;
      }
      if (list) {
        const arr = (node[key] ??= Array.from({ length: Math.min(items, 3) }, (_, j) => ({ id: 1000 + j }))) as Record<string, Json>[];
        if (last) arr.forEach((_, j) => (arr[j] = value as unknown as Record<string, Json>));
        else next.push(...arr);
      } else {
        next.push((node[key] ??= {}) as Record<string, Json>);
      }
    }
    nodes = next;
  });
}

/** A redacted body in the shape the matches describe, as a filter would sample it. */
export function redactedSample(matches: SensitiveMatch[], items: number, status: number): string {
  const body: Record<string, Json> = { id: 4812, status: status < 300 ? 'ok' : 'error' };
  for (const m of matches) if (m.path) place(body, m.path, REDACTED[m.class] ?? '[redacted]', items);
  if (items > 3 && JSON.stringify(body).includes('"id":1002')) body.truncated = `${items - 3} more items`;
  return JSON.stringify(body).slice(0, 4096);
}
