// The whitelist as each format needs it: endpoints (method + template, parameter names aside)
// per identity the proxy can tell apart, the deny list in force, and what had to be left out.
// Every compiler starts here, so all of them drop the same dead rules and treat callers that
// share one identity the same way.
import { formatTemplate, parseTemplate, templateKey, type Segment } from '@/server/discovery/template';
import { activeDenies } from '../evaluate';
import { canonical, type DenyEntry, type PolicyDocument } from '../model';
import type { OmittedRule } from './options';
import { deadTemplateReason } from './path-regex';

export interface Endpoint {
  key: string;
  method: string;
  /** the template as the first rule spelled it */
  template: string;
  segments: Segment[];
}

export interface Whitelist {
  service: string;
  endpoints: Map<string, Endpoint>;
  /** identity → keys of the endpoints it may call */
  byIdentity: Map<string, Set<string>>;
  deny: DenyEntry[];
  warnings: string[];
  omitted: OmittedRule[];
}

export type IdentityOf = (caller: string) => { id: string } | { reason: string };
/** Why a format cannot express an endpoint without widening it, or null when it can. */
export type Expressible = (e: Endpoint) => string | null;

export function buildWhitelist(doc: PolicyDocument, now: Date, identityOf: IdentityOf, expressible: Expressible = () => null): Whitelist {
  const c = canonical(doc);
  const endpoints = new Map<string, Endpoint>();
  const rejected = new Map<string, string>();
  const byCaller = new Map<string, Set<string>>();
  const warnings: string[] = [];
  const omitted: OmittedRule[] = [];

  for (const r of c.allow) {
    const segments = parseTemplate(r.template);
    const key = `${r.method} ${templateKey(r.template)}`;
    if (!endpoints.has(key) && !rejected.has(key)) {
      const why = deadTemplateReason(segments) ?? expressible({ key, method: r.method, template: r.template, segments });
      if (why) {
        rejected.set(key, why);
        warnings.push(`${r.method} ${r.template} left out: ${why}`);
        omitted.push({ caller: null, method: r.method, template: r.template, reason: why });
      } else endpoints.set(key, { key, method: r.method, template: formatTemplate(segments), segments });
    }
    if (rejected.has(key)) continue;
    let s = byCaller.get(r.caller);
    if (!s) byCaller.set(r.caller, (s = new Set()));
    s.add(key);
  }

  const callersOf = new Map<string, string[]>();
  for (const caller of byCaller.keys()) {
    const id = identityOf(caller);
    if ('reason' in id) {
      warnings.push(`rules of ${caller} left out: ${id.reason}`);
      for (const k of byCaller.get(caller)!) omitted.push({ caller, method: endpoints.get(k)!.method, template: endpoints.get(k)!.template, reason: id.reason });
      continue;
    }
    const list = callersOf.get(id.id) ?? [];
    list.push(caller);
    callersOf.set(id.id, list);
  }

  // Callers the proxy cannot tell apart get only what every one of them may do: granting the
  // union would let each call the others' endpoints.
  const byIdentity = new Map<string, Set<string>>();
  for (const [id, callers] of callersOf) {
    const sets = callers.map((x) => byCaller.get(x)!);
    const common = new Set([...sets[0]].filter((k) => sets.every((s) => s.has(k))));
    if (callers.length > 1) {
      const reason = `${callers.join(', ')} share the identity ${id}`;
      warnings.push(`${reason}: only the endpoints all of them may call are allowed`);
      callers.forEach((caller, i) => {
        for (const k of sets[i]) if (!common.has(k)) omitted.push({ caller, method: endpoints.get(k)!.method, template: endpoints.get(k)!.template, reason });
      });
    }
    if (common.size) byIdentity.set(id, common);
  }
  return { service: c.service, endpoints, byIdentity, deny: activeDenies(c.deny, now), warnings, omitted };
}
