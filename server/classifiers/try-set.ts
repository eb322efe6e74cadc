// The test box of /data/classifiers: a pasted body run through a (draft) classifier set, to see
// what each class finds and what the proxy would do with it, before anything is published. The
// body is never stored or logged, and the answer holds only classes, counts, paths and masks.
import { z } from 'zod';
import { compileCustomClasses, createScanner, redactBody } from '@/server/dataclass';
import { ACTION_RANK, classifierSetSchema, ruleCovers, type ClassifierSet } from './model';

export const MAX_TRY_BODY = 256 * 1024;

export const tryInput = z.object({
  document: classifierSetSchema,
  body: z.string().max(MAX_TRY_BODY, `Paste at most ${MAX_TRY_BODY / 1024} KiB`),
  contentType: z.string().max(200).default('application/json'),
  direction: z.enum(['request', 'response']),
  /** the destination and the caller, for which rules apply */
  service: z.string().max(253).default('*'),
  caller: z.string().max(253).default(''),
});
export type TryInput = z.output<typeof tryInput>;

export interface TryResult {
  matches: { class: string; count: number; paths: { path: string | null; count: number }[]; sample: string | null }[];
  /** what the filter would do: block wins over redact over report */
  action: 'none' | 'report' | 'redact' | 'block';
  /** the classes whose rule asks for the action */
  because: string[];
  /** the body as the other side would receive it when the action is redact */
  redacted: string | null;
}

/** The rules that apply to a request of `caller` to `service` in `direction`. */
export function applicableRules(set: ClassifierSet, service: string, caller: string, direction: 'request' | 'response') {
  return set.rules.filter((r) => ruleCovers(r, service, direction) && !(caller && r.exceptCallers.includes(caller)));
}

export function tryClassifiers(input: TryInput): TryResult {
  const custom = compileCustomClasses(input.document.custom);
  const options = { direction: input.direction, contentType: input.contentType, builtins: input.document.builtins, custom };
  const scanner = createScanner(options);
  scanner.write(input.body);
  const found = scanner.end().classes;
  const rules = applicableRules(input.document, input.service, input.caller, input.direction).filter((r) => found.some((f) => f.class === r.class));
  const top = rules.reduce<'none' | 'report' | 'redact' | 'block'>((a, r) => (a === 'none' || ACTION_RANK[r.action] > ACTION_RANK[a] ? r.action : a), found.length ? 'report' : 'none');
  const because = rules.filter((r) => r.action === top).map((r) => r.class);
  return {
    matches: found.map((c) => ({ class: c.class, count: c.count, paths: c.paths.map((p) => ({ path: p.path, count: p.count })), sample: c.sample ?? null })),
    action: top,
    because: [...new Set(because)],
    redacted: top === 'redact' ? redactBody(input.body, { ...options, redactClasses: because }).body : null,
  };
}
