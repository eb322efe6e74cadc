// Istio AuthorizationPolicy (security.istio.io/v1): one ALLOW policy for the workload (split
// when it would pass the CRD's 512 rules or ~200 KB, below what `kubectl apply` and the API
// server take) and, when something is denied, one DENY policy. Istio
// evaluates DENY policies first, and once an ALLOW policy selects a workload it refuses
// whatever no ALLOW rule matches; an ALLOW policy is therefore always emitted, even with no
// rules (it then allows nothing), since without one Istio would allow everything.
//
// Paths: a template without parameters is an exact path; one with whole-segment parameters
// uses Istio's `{*}` (Istio ≥ 1.23, matched by Envoy's uri_template: one segment of
// `[a-zA-Z0-9-._~%!$&'()+,;:@]`). Istio cannot say a parameter inside a segment (`{id}.json`,
// `v{n}`): `{*}` there would be wider, so such rules are left out with a warning, as are
// literals outside the uri_template character set (Istio takes `=` there, Envoy refuses it)
// and exact paths holding `*`, `{` or `}` (read as wildcards or templates). A `{*}` matches
// `.`, `..` and `%2F` like any segment: the mesh must normalize paths with
// `DECODE_AND_MERGE_SLASHES` (meshConfig.pathNormalization) so the policy and the service both
// see the resolved path; a warning says so whenever `{*}` is used.
//
// Denied actors: IP blocks as `source.remoteIpBlocks` (or `ipBlocks` for the connection's
// peer); tokens and users as `when` conditions on `request.headers[x-meshward-token-id]` and
// `request.headers[x-meshward-user]`, the headers Meshward's filter sets after checking the
// credential (and strips from clients): a trust boundary, as for Envoy. With `userSource:
// 'jwt-sub'` the user is the `sub` claim of a JWT Istio validated (`request.auth.claims[sub]`,
// needs a RequestAuthentication).
//
// Every string from data goes through the YAML emitter (yaml-emit.ts: plain only when nothing
// else can be read, otherwise double-quoted in printable ASCII); the comment line carries the
// service escaped to printable ASCII. Before a bundle is signed the text is parsed back and must
// be exactly these objects (verify.ts).
import { createHash } from 'node:crypto';
import type { Segment } from '@/server/discovery/template';
import { printableAscii } from './ascii';
import type { PolicyDocument } from '../model';
import { cidrText, denyBlocks } from './cidr';
import { groupPairs } from './grouping';
import { callerIdentity, istioPrincipal, serviceParts } from './identity';
import { tokenHeader, userHeader, type CompileOptions, type OmittedRule } from './options';
import { fillTemplate } from './mesh-names';
import { literalPath } from './path-regex';
import { buildWhitelist } from './whitelist';
import { toYaml } from './yaml-emit';

/** Envoy's uri_template literal characters (RFC 3986 pchar without `*` and `=`). */
export const URI_TEMPLATE_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@]+$/;
const MAX_RULES = 512;
/**
 * Rules per ALLOW object are kept under this many bytes of JSON: `kubectl apply` copies the
 * object into its last-applied annotation, and all annotations together may hold 256 KiB.
 * A 2,000-endpoint × 200-caller whitelist is megabytes in one object, which the API server
 * refuses: the workload would be left with no ALLOW policy, which Istio reads as allow-all.
 */
export const MAX_OBJECT_BYTES = 200_000;
const EXTERNAL_ID = 'external';

type J = Record<string, any>;

/** The Istio `paths` entry of a template, or why it cannot be written without widening it. */
export function istioPath(segs: Segment[]): { path: string; templated: boolean } | { reason: string } {
  const lit = literalPath(segs);
  if (lit !== null) {
    if (/[*{}]/.test(lit)) return { reason: 'Istio reads `*` in a path as a prefix/suffix wildcard and `{`/`}` as a template' };
    return { path: lit, templated: false };
  }
  const parts: string[] = [];
  for (const s of segs) {
    if (s.kind === 'mixed') return { reason: 'Istio path templates have no parameter inside a segment (`{id}.json`), and a whole-segment `{*}` would be wider' };
    if (s.kind === 'param') parts.push('{*}');
    else if (!URI_TEMPLATE_LITERAL.test(s.text)) return { reason: `the literal "${s.text}" has characters a path template cannot hold` };
    else parts.push(s.text);
  }
  return { path: '/' + parts.join('/'), templated: true };
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * The service's part of the objects' names: its name when that is already a DNS label of at
 * most 40 characters, else a cleaned-up prefix and a digest of the name, so that two services
 * of one namespace (`web.v2`, `web-v2`; two long names sharing 40 characters) never write the
 * same object and replace each other's policy.
 */
export function objectStem(name: string): string {
  if (LABEL.test(name)) return name;
  const clean = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30).replace(/-+$/, '') || 'service';
  return `${clean}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

const hasWildcardEnds = (v: string) => v.startsWith('*') || v.endsWith('*');

/**
 * The workload selector: the cluster's label templates filled in for the service (default
 * `app: <name>`). A label Kubernetes would refuse is caught by verifyIstio before anything is
 * signed: an object the API server rejects would leave the workload with no ALLOW policy, which
 * Istio reads as allow-all.
 */
function selectorLabels(parts: { namespace: string | null; name: string }, o: CompileOptions): Record<string, string> {
  const templates = o.istio?.selectorLabels ?? { [o.istio?.labelKey ?? 'app']: '{name}' };
  const labels: Record<string, string> = {};
  for (const [key, template] of Object.entries(templates)) labels[key] = fillTemplate(template, { namespace: parts.namespace ?? '', name: parts.name });
  return labels;
}

const sizeOf = (x: unknown) => JSON.stringify(x).length;

/**
 * One rule as several whose union allows the same requests: a rule matches when one of its
 * sources and one of its operations match, so its paths (or, for a single path, its principals)
 * can be shared out between copies. Only a rule over the byte budget is split.
 */
export function splitRule(rule: J, budget: number): J[] {
  if (sizeOf(rule) <= budget) return [rule];
  const ops: J[] = rule.to;
  const paths = ops.reduce((n, op) => n + op.operation.paths.length, 0);
  if (ops.length > 1) {
    const half = Math.ceil(ops.length / 2);
    return [...splitRule({ ...rule, to: ops.slice(0, half) }, budget), ...splitRule({ ...rule, to: ops.slice(half) }, budget)];
  }
  if (paths > 1) {
    const { methods, paths: ps } = ops[0].operation;
    const half = Math.ceil(ps.length / 2);
    return [ps.slice(0, half), ps.slice(half)].flatMap((part) => splitRule({ ...rule, to: [{ operation: { methods, paths: part } }] }, budget));
  }
  const from: J[] = rule.from;
  const withPrincipals = from.findIndex((f) => f.source.principals?.length > 1);
  if (withPrincipals === -1) return [rule];
  const principals: string[] = from[withPrincipals].source.principals;
  const half = Math.ceil(principals.length / 2);
  // the `notPrincipals: ['*']` source (callers with no identity) stays with the first half only
  const others = from.filter((_, i) => i !== withPrincipals);
  return [
    ...splitRule({ ...rule, from: [{ source: { principals: principals.slice(0, half) } }, ...others] }, budget),
    ...splitRule({ ...rule, from: [{ source: { principals: principals.slice(half) } }] }, budget),
  ];
}

/** Rules packed in order into objects of at most MAX_RULES rules and `budget` bytes. */
function chunkRules(rules: J[], budget: number): J[][] {
  const out: J[][] = [];
  let current: J[] = [];
  let bytes = 0;
  for (const r of rules) {
    const size = sizeOf(r) + 1;
    if (current.length && (current.length >= MAX_RULES || bytes + size > budget)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

export interface IstioResult {
  objects: J[];
  yaml: string;
  warnings: string[];
  omitted: OmittedRule[];
}

export function compileIstio(doc: PolicyDocument, o: CompileOptions, now: Date): IstioResult {
  const paths = new Map<string, string>();
  let templated = false;
  const wl = buildWhitelist(
    doc,
    now,
    (caller) => {
      const id = callerIdentity(caller, o);
      if (id.kind === 'external') return { id: EXTERNAL_ID };
      if (id.kind === 'unmapped') return { reason: id.reason };
      const p = istioPrincipal(id.uri);
      return hasWildcardEnds(p) ? { reason: `Istio would read the \`*\` of principal ${p} as a wildcard` } : { id: p };
    },
    (e) => {
      const p = istioPath(e.segments);
      if ('reason' in p) return p.reason;
      paths.set(e.key, p.path);
      templated ||= p.templated;
      return null;
    },
  );
  const warnings = [...wl.warnings];
  if (templated) {
    warnings.push('`{*}` takes `.`, `..` and `%2F` as a segment: set meshConfig.pathNormalization.normalization to DECODE_AND_MERGE_SLASHES so they are resolved before this policy and the service see the path');
  }

  const parts = serviceParts(wl.service);
  const namespace = o.istio?.namespace ?? parts.namespace;
  if (!namespace) warnings.push(`${wl.service} has no namespace: the policies go to "default" (set istio.namespace)`);
  const metadata = (suffix: string): J => ({
    name: `meshward-${objectStem(parts.name)}-${suffix}`,
    namespace: namespace ?? 'default',
    labels: { 'app.kubernetes.io/managed-by': 'meshward' },
    // dry-run: Istio evaluates the policy and logs what it would decide (shadow_effective_policy_id), enforcing nothing
    annotations: { 'meshward.io/service': wl.service, ...(o.istio?.dryRun ? { 'istio.io/dry-run': 'true' } : {}) },
  });
  // ambient mode: the policy is attached to the Service and enforced by its waypoint
  const target: J = o.istio?.attach === 'service'
    ? { targetRefs: [{ group: '', kind: 'Service', name: parts.name }] }
    : { selector: { matchLabels: o.istio?.matchLabels ?? selectorLabels(parts, o) } };
  const policy = (suffix: string, action: 'ALLOW' | 'DENY', rules: J[]): J => ({
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: metadata(suffix),
    spec: { ...target, action, ...(rules.length ? { rules } : {}) },
  });

  const rules: J[] = groupPairs(wl.byIdentity).map((g) => {
    const principals = g.identities.filter((i) => i !== EXTERNAL_ID);
    const from: J[] = [];
    if (principals.length) from.push({ source: { principals } });
    if (g.identities.includes(EXTERNAL_ID)) from.push({ source: { notPrincipals: ['*'] } });
    const byMethod = new Map<string, Set<string>>();
    for (const k of g.endpoints) {
      const m = wl.endpoints.get(k)!.method;
      if (!byMethod.has(m)) byMethod.set(m, new Set());
      byMethod.get(m)!.add(paths.get(k)!);
    }
    const to = [...byMethod].map(([m, ps]) => ({ operation: { methods: [m], paths: [...ps].sort() } }));
    return { from, to };
  });

  const objects: J[] = [];
  const deny: J[] = [];
  const values = (kind: string) => wl.deny.filter((d) => d.kind === kind).map((d) => d.value);
  const blocks = denyBlocks(values('ip')).map(cidrText);
  if (blocks.length) deny.push({ from: [{ source: { [o.ipSource === 'direct' ? 'ipBlocks' : 'remoteIpBlocks']: blocks } }] });
  const userKey = o.istio?.userSource === 'jwt-sub' ? 'request.auth.claims[sub]' : `request.headers[${userHeader(o)}]`;
  for (const [kind, key] of [['token', `request.headers[${tokenHeader(o)}]`], ['user', userKey]] as const) {
    const vs = values(kind);
    if (!vs.length) continue;
    for (const v of vs.filter(hasWildcardEnds)) warnings.push(`denied ${kind} "${v}" starts or ends with \`*\`, which Istio reads as a wildcard: it denies more than that ${kind}`);
    deny.push({ when: [{ key, values: vs }] });
  }
  if (deny.length) objects.push(policy('deny', 'DENY', deny));
  const chunks = chunkRules(rules.flatMap((r) => splitRule(r, o.istio?.maxObjectBytes ?? MAX_OBJECT_BYTES)), o.istio?.maxObjectBytes ?? MAX_OBJECT_BYTES);
  if (chunks.length <= 1) objects.push(policy('allow', 'ALLOW', chunks[0] ?? []));
  else chunks.forEach((c, i) => objects.push(policy(`allow-${i + 1}`, 'ALLOW', c)));

  const header = `# Meshward policy for ${printableAscii(wl.service)}: Istio AuthorizationPolicy objects (DENY before ALLOW; default deny).\n`;
  const yaml = header + objects.map((x) => toYaml(x)).join('---\n');
  return { objects, yaml, warnings, omitted: wl.omitted };
}
