// The classifier set (SPEC "classifier"): the sensitive-data classes proxies' content filters
// look for and what they do on a match. Published to the fleet like a policy (signed bundles,
// `?format=classifiers`); the engine that applies it is server/dataclass/, the same code in the
// console, the `classify` CLI and nginx's njs filter.
import { z } from 'zod';
import { BUILTIN_CLASSES, validateCustomClass } from '@/server/dataclass';
import { inScope, servicePatternSchema } from '@/server/fleet/scope';
import { isServiceName, SERVICE_RULE } from '@/server/identity/names';

export const ACTIONS = ['report', 'redact', 'block'] as const;
export const RULE_DIRECTIONS = ['request', 'response', 'both'] as const;
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

const customClass = z.object({
  name: z.string().max(64),
  pattern: z.string().max(512),
  validator: z.enum(['luhn', 'mod97', 'none']).default('none'),
  jsonPathHints: z.array(z.string().max(256)).max(16).default([]),
  ignoreCase: z.boolean().default(false),
});

const rule = z.object({
  class: z.string().min(1).max(64),
  direction: z.enum(RULE_DIRECTIONS),
  action: z.enum(ACTIONS),
  /** destinations the rule applies to: `ns/name`, `ns/*`, `*` */
  services: z.array(servicePatternSchema).min(1).max(100),
  /** callers that may receive or send the data as it is (the action does not apply to them) */
  exceptCallers: z.array(z.string().refine(isServiceName, `Each caller is ${SERVICE_RULE}`)).max(100).default([]),
});

export const classifierSetSchema = z.object({
  /** built-in classes that run (all of them unless switched off) */
  builtins: z.array(z.enum(BUILTIN_CLASSES as [string, ...string[]])).max(BUILTIN_CLASSES.length),
  custom: z.array(customClass).max(64),
  rules: z.array(rule).max(200),
  /** request and response bodies are inspected up to this many bytes */
  maxBodyBytes: z.number().int().min(1024).max(MAX_BODY_BYTES),
}).superRefine((set, c) => {
  const names = new Set<string>();
  set.custom.forEach((def, i) => {
    const problems = validateCustomClass(def);
    for (const p of problems) c.addIssue({ code: 'custom', path: ['custom', i], message: `Custom class ${i + 1} (${JSON.stringify(def.name.slice(0, 64))}): ${p}` });
    if (names.has(def.name)) c.addIssue({ code: 'custom', path: ['custom', i], message: `Custom class ${JSON.stringify(def.name)} is defined twice` });
    names.add(def.name);
  });
  const known = new Set([...set.builtins, ...names]);
  set.rules.forEach((r, i) => {
    if (!known.has(r.class)) c.addIssue({ code: 'custom', path: ['rules', i, 'class'], message: `Rule ${i + 1}: class ${JSON.stringify(r.class)} is neither a built-in class that runs nor a custom class` });
  });
});
export type ClassifierSet = z.output<typeof classifierSetSchema>;
export type ClassifierRule = ClassifierSet['rules'][number];

/** Where rules overlap, block wins over redact over report. */
export const ACTION_RANK = { report: 1, redact: 2, block: 3 } as const;

/** Whether `rule` covers bodies in `direction` of calls to `service` (`*`: any), callers aside. */
export function ruleCovers(rule: ClassifierRule, service: string, direction: 'request' | 'response'): boolean {
  return (rule.direction === 'both' || rule.direction === direction) && (service === '*' || inScope(rule.services, service));
}

/** Revision 0: every built-in class reported, nothing redacted or blocked. */
export const DEFAULT_CLASSIFIER_SET: ClassifierSet = { builtins: [...BUILTIN_CLASSES], custom: [], rules: [], maxBodyBytes: 65_536 };

/** One spelling of a set, for its hash: keys in a fixed order, as the schema writes them. */
export function canonicalSet(set: ClassifierSet): string {
  return JSON.stringify(classifierSetSchema.parse(set));
}
