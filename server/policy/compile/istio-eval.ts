// The compiled AuthorizationPolicy YAML read the way Istio documents it: the path normalized
// first (https://istio.io/latest/docs/reference/config/security/normalization: `%00` refused,
// unreserved escapes decoded once, `\` to `/`, dot segments resolved; slashes merged from
// MERGE_SLASHES on; `%2F`/`%5C` decoded first with DECODE_AND_MERGE_SLASHES) — the normalized
// path is what both the policy and the service see; then DENY policies (any rule matching
// refuses), then ALLOW policies (with one selecting the workload, a request no rule matches is
// refused). In a rule `from`, `to` and `when` must all hold; the entries of `from` and `to` are
// alternatives; within a source or operation every field must hold, and a field holds when any
// of its values does (a `not…` field when none does). Strings match exactly, `*x` as suffix,
// `x*` as prefix, `*` when present. Paths are compared without the query; a path with `{*}`
// is Envoy's uri_template: `{*}` one segment of `[a-zA-Z0-9-._~%!$&'()+,;:@]`, `{**}` any
// number. Fields this module does not know throw.
import YAML from 'yaml';
import type { Decision, PolicyRequest } from '../model';
import { inCidr, parseCidr } from './cidr';
import { callerIdentity, istioPrincipal } from './identity';
import { actorHeaders, type CompileOptions } from './options';
import { escapeRegex } from './path-regex';

export type IstioNormalization = 'NONE' | 'BASE' | 'MERGE_SLASHES' | 'DECODE_AND_MERGE_SLASHES';

export interface IstioRequest {
  method: string;
  /** the path as the client sent it, query included */
  path: string;
  /** lower-case names */
  headers: Record<string, string>;
  /** peer identity without `spiffe://`; null without mTLS */
  principal: string | null;
  remoteIp: string | null;
  directIp: string | null;
  jwtSub: string | null;
}

type J = Record<string, any>;

export function toIstioRequest(req: PolicyRequest, o: CompileOptions): IstioRequest {
  const id = callerIdentity(req.caller, o);
  const headers = actorHeaders(req, o);
  return {
    method: req.method,
    path: req.path,
    headers,
    principal: id.kind === 'spiffe' ? istioPrincipal(id.uri) : id.kind === 'unmapped' ? `unmapped/${req.caller}` : null,
    remoteIp: req.clientIp ?? null,
    directIp: req.clientIp ?? null,
    jwtSub: req.userId ?? null,
  };
}

function removeDotSegments(path: string): string {
  if (!path.startsWith('/')) return path;
  const segs = path.slice(1).split('/');
  const out: string[] = [];
  segs.forEach((s, i) => {
    const last = i === segs.length - 1;
    if (s === '.' || s === '..') {
      if (s === '..') out.pop();
      if (last) out.push('');
    } else out.push(s);
  });
  return '/' + out.join('/');
}

const UNRESERVED_ESCAPE = /%(2d|2e|3[0-9]|4[1-9a-f]|5[0-9a]|5f|6[1-9a-f]|7[0-9a]|7e)/gi;

/** The path (query kept) that the policy and the service see, or null when the proxy answers 400. */
export function normalizeIstioPath(raw: string, mode: IstioNormalization): string | null {
  const q = raw.indexOf('?');
  let path = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q);
  // Istio always refuses %00; Envoy refuses a fragment in the request-target
  if (/%00/.test(path) || path.includes('#')) return null;
  if (mode === 'NONE') return raw;
  if (mode === 'DECODE_AND_MERGE_SLASHES') path = path.replace(/%2f/gi, '/').replace(/%5c/gi, '\\');
  path = path.replace(UNRESERVED_ESCAPE, (m) => String.fromCharCode(parseInt(m.slice(1), 16)));
  path = removeDotSegments(path.replace(/\\/g, '/'));
  if (mode !== 'BASE') path = path.replace(/\/{2,}/g, '/');
  return path + query;
}

export function istioStringMatch(pattern: string, v: string | null | undefined): boolean {
  if (v === null || v === undefined) return false;
  if (pattern === '*') return v.length > 0;
  if (pattern.startsWith('*')) return v.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return v.startsWith(pattern.slice(0, -1));
  return v === pattern;
}

const SEGMENT = "[a-zA-Z0-9\\-._~%!$&'()+,;:@]";
const templates = new Map<string, RegExp>();
function pathMatch(pattern: string, path: string): boolean {
  if (!pattern.includes('{*}') && !pattern.includes('{**}')) return istioStringMatch(pattern, path);
  let re = templates.get(pattern);
  if (!re) {
    const body = pattern.split('/').map((s) => (s === '{*}' ? `${SEGMENT}+` : s === '{**}' ? `(?:${SEGMENT}|/)*` : escapeRegex(s))).join('/');
    templates.set(pattern, (re = new RegExp(`^${body}$`)));
  }
  return re.test(path);
}

const anyOf = (patterns: string[] | undefined, v: string | null) => (patterns ?? []).some((p) => istioStringMatch(p, v));
const inBlocks = (blocks: string[], ip: string | null) => ip !== null && blocks.some((b) => inCidr(ip, parseCidr(b)!));

function field(value: J, key: string, r: IstioRequest, path: string): boolean {
  const v = value[key] as string[];
  switch (key) {
    case 'principals': return anyOf(v, r.principal);
    case 'notPrincipals': return !anyOf(v, r.principal);
    case 'remoteIpBlocks': return inBlocks(v, r.remoteIp);
    case 'notRemoteIpBlocks': return !inBlocks(v, r.remoteIp);
    case 'ipBlocks': return inBlocks(v, r.directIp);
    case 'notIpBlocks': return !inBlocks(v, r.directIp);
    case 'methods': return anyOf(v, r.method);
    case 'notMethods': return !anyOf(v, r.method);
    case 'paths': return v.some((p) => pathMatch(p, path));
    case 'notPaths': return !v.some((p) => pathMatch(p, path));
    default: throw new Error(`unknown field ${key}`);
  }
}

function condition(c: J, r: IstioRequest): boolean {
  const h = /^request\.headers\[(.+)\]$/.exec(c.key);
  const value = h ? (r.headers[h[1].toLowerCase()] ?? null) : c.key === 'request.auth.claims[sub]' ? r.jwtSub : undefined;
  if (value === undefined) throw new Error(`unknown condition key ${c.key}`);
  return (!c.values || anyOf(c.values, value)) && (!c.notValues || !anyOf(c.notValues, value));
}

function ruleMatch(rule: J, r: IstioRequest, path: string): boolean {
  const all = (x: J) => Object.keys(x).every((k) => field(x, k, r, path));
  return (
    (!rule.from || rule.from.some((f: J) => all(f.source))) &&
    (!rule.to || rule.to.some((t: J) => all(t.operation))) &&
    (!rule.when || rule.when.every((c: J) => condition(c, r)))
  );
}

export interface IstioVerdict {
  decision: Decision;
  /** the path the service receives, when the request gets that far */
  path: string | null;
}

export function istioEvaluator(yamlText: string, normalization: IstioNormalization = 'DECODE_AND_MERGE_SLASHES'): (r: IstioRequest) => IstioVerdict {
  const policies = YAML.parseAllDocuments(yamlText).map((d) => d.toJS() as J).filter((p) => p?.kind === 'AuthorizationPolicy');
  const byAction = (a: string) => policies.filter((p) => (p.spec.action ?? 'ALLOW') === a);
  const denies = byAction('DENY');
  const allows = byAction('ALLOW');
  return (r) => {
    // Istio refuses a method not in capitals with 400
    if (!/^[A-Z]+$/.test(r.method)) return { decision: 'deny', path: null };
    const full = normalizeIstioPath(r.path, normalization);
    if (full === null) return { decision: 'deny', path: null };
    const path = full.split('?')[0];
    const hit = (p: J) => (p.spec.rules ?? []).some((rule: J) => ruleMatch(rule, r, path));
    if (denies.some(hit)) return { decision: 'deny', path: full };
    if (allows.length && !allows.some(hit)) return { decision: 'deny', path: full };
    return { decision: 'allow', path: full };
  };
}
