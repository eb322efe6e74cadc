// The whitelist as each format needs it: endpoints (method + template, parameter names aside)
// per identity the proxy can tell apart, the deny list in force, and what had to be left out.
// Every compiler starts here, so all of them drop the same dead rules and treat callers that
// share one identity the same way.
import { formatTemplate, parseTemplate, type Segment } from '@/server/discovery/template';
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
  // A service's rules repeat few templates many times (2,000 endpoints × 200 callers): each
  // template is parsed once, and nothing below depends on the order of the rules.
  const templates = new Map<string, { key: string; segments: Segment[]; keys: Map<string, string> }>();
  const endpoints = new Map<string, Endpoint>();
  const rejected = new Map<string, { method: string; template: string; why: string }>();
  const byCaller = new Map<string, Set<string>>();
  const omitted: OmittedRule[] = [];

  for (const r of doc.allow) {
    let t = templates.get(r.template);
    if (!t) {
      const segments = parseTemplate(r.template);
      templates.set(r.template, (t = { key: formatTemplate(segments.map((x) => (x.kind === 'literal' ? x : { ...x, name: '' }))), segments, keys: new Map() }));
    }
    let key = t.keys.get(r.method);
    if (key === undefined) t.keys.set(r.method, (key = `${r.method} ${t.key}`));
    if (!endpoints.has(key) && !rejected.has(key)) {
      const why = deadTemplateReason(t.segments) ?? expressible({ key, method: r.method, template: r.template, segments: t.segments });
      if (why) rejected.set(key, { method: r.method, template: r.template, why });
      else endpoints.set(key, { key, method: r.method, template: formatTemplate(t.segments), segments: t.segments });
    }
    if (rejected.has(key)) continue;
    let s = byCaller.get(r.caller);
    if (!s) byCaller.set(r.caller, (s = new Set()));
    s.add(key);
  }
  const warnings: string[] = [];
  for (const k of [...rejected.keys()].sort()) {
    const { method, template, why } = rejected.get(k)!;
    warnings.push(`${method} ${template} left out: ${why}`);
    omitted.push({ caller: null, method, template, reason: why });
  }

  const callersOf = new Map<string, string[]>();
  for (const caller of [...byCaller.keys()].sort()) {
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
    const common = sets.length === 1 ? sets[0] : new Set([...sets[0]].filter((k) => sets.every((s) => s.has(k))));
    if (callers.length > 1) {
      const reason = `${callers.join(', ')} share the identity ${id}`;
      warnings.push(`${reason}: only the endpoints all of them may call are allowed`);
      callers.forEach((caller, i) => {
        for (const k of sets[i]) if (!common.has(k)) omitted.push({ caller, method: endpoints.get(k)!.method, template: endpoints.get(k)!.template, reason });
      });
    }
    if (common.size) byIdentity.set(id, common);
  }
  return { service: doc.service, endpoints, byIdentity, deny: activeDenies(canonical({ ...doc, allow: [] }).deny, now), warnings, omitted };
}
