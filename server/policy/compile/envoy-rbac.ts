// Envoy RBAC: two `envoy.filters.http.rbac` HTTP filters, to be placed in this order before the
// router. The DENY filter refuses denied tokens, users and client blocks; the ALLOW filter lets
// through only whitelisted (caller, method, path), everything else getting 403.
//
// Paths are matched with `url_path` (the path without query and fragment) and RE2 regexes, not
// `uri_template`: a regex can say `{id}.json` and `v{n}` anywhere in a path and take `=` or `*`
// in a parameter, which a uri_template cannot, and it works on every v3 Envoy. Envoy refuses a
// regex whose RE2 program is larger than `re2.max_program_size.error_level` (100 by default), so
// parameters take the printable-ASCII class `[!-.0-~]` (three instructions, where `[^/]` costs
// twenty in UTF-8; raw bytes outside it are not valid in a request-target anyway), templates
// without parameters use `exact`, and long templates move their leading and trailing literals
// into `prefix`/`suffix` matchers. Every ALLOW policy also requires the path not to be
// ambiguous (plain string matchers for `//`, dot segments, encoded slashes and dots, a trailing
// slash...), so a parameter's class need not exclude `.`, `..` or `%2F` itself.
//
// Trust boundary: tokens and users are matched on the headers Meshward's filter sets (default
// `x-meshward-token-id`, `x-meshward-user`) after validating the credential and stripping
// client-sent copies; that filter must run before these two.
import type { Segment } from '@/server/discovery/template';
import type { PolicyDocument } from '../model';
import { denyBlocks } from './cidr';
import { groupPairs } from './grouping';
import { callerIdentity } from './identity';
import { tokenHeader, userHeader, type CompileOptions, type OmittedRule } from './options';
import { literalPath, templatePattern } from './path-regex';
import { buildWhitelist } from './whitelist';
import { toYaml } from './yaml-emit';

export const RBAC_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC';
export const ENVOY_PARAM = '[!-.0-~]+';
const EXTERNAL_ID = 'external';

type J = Record<string, unknown>;
const urlPath = (m: J): J => ({ url_path: { path: m } });
const header = (name: string, m: J): J => ({ header: { name, string_match: m } });
const or = (rules: J[]): J => (rules.length === 1 ? rules[0] : { or_rules: { rules } });
const and = (rules: J[]): J => (rules.length === 1 ? rules[0] : { and_rules: { rules } });

/** Paths the reference refuses as ambiguous (evaluate.ts `strictSegments`), in Envoy matchers. */
export const AMBIGUOUS_PATH: J = or([
  urlPath({ contains: '//' }),
  urlPath({ contains: '/./' }),
  urlPath({ contains: '/../' }),
  urlPath({ suffix: '/.' }),
  urlPath({ suffix: '/..' }),
  urlPath({ contains: '\\' }),
  ...['%2f', '%5c', '%2e', '%00'].map((e) => urlPath({ contains: e, ignore_case: true })),
  and([urlPath({ suffix: '/' }), { not_rule: urlPath({ exact: '/' }) }]),
  { not_rule: urlPath({ prefix: '/' }) },
  // url_path drops a fragment, so `#` before the query is looked for in the raw `:path`
  header(':path', { safe_regex: { regex: '[^?]*#.*' } }),
]);

const bytes = (s: string) => Buffer.byteLength(s);

/**
 * An estimate of RE2's program size, on the high side: one instruction a byte of literal or
 * `/`, five a parameter (two byte ranges, their alternation, the repetition, one spare), five
 * for the failure, match and unanchored-prefix instructions.
 */
export function re2SizeEstimate(segs: Segment[]): number {
  let n = 5;
  for (const s of segs) n += 1 + (s.kind === 'literal' ? bytes(s.text) : s.kind === 'param' ? 5 : bytes(s.prefix) + bytes(s.suffix) + 5);
  return n;
}

const text = (s: Segment) => (s as { text: string }).text;

/** The `url_path` permission of a template, or why Envoy cannot take it. */
export function pathPermission(segs: Segment[], limit: number): J | string {
  const lit = literalPath(segs);
  if (lit !== null) return urlPath({ exact: lit });
  if (re2SizeEstimate(segs) <= limit) return urlPath({ safe_regex: { regex: templatePattern(segs, ENVOY_PARAM) } });
  let i = 0;
  while (segs[i].kind === 'literal') i++;
  let j = segs.length;
  while (segs[j - 1].kind === 'literal') j--;
  // With the leading and trailing literal segments checked by prefix/suffix, the regex only needs their count.
  const shape: Segment[] = segs.map((s, k) => (k < i || k >= j ? { kind: 'param', name: '' } : s));
  if (re2SizeEstimate(shape) > limit) {
    return `its regex exceeds the RE2 program size Envoy accepts (${limit}); raise re2.max_program_size.error_level and the envoy.regexProgramSizeLimit option together`;
  }
  const rules: J[] = [];
  if (i > 0) rules.push(urlPath({ prefix: '/' + segs.slice(0, i).map(text).join('/') + '/' }));
  if (j < segs.length) rules.push(urlPath({ suffix: '/' + segs.slice(j).map(text).join('/') }));
  rules.push(urlPath({ safe_regex: { regex: templatePattern(shape, ENVOY_PARAM) } }));
  return and(rules);
}

function principal(id: string): J {
  // "no authenticated principal": no TLS peer, or one whose certificate names nobody. `[\s\S]`,
  // not `.`: RE2's `.` skips a newline, and a peer whose name held one would pass as external.
  if (id === EXTERNAL_ID) return { not_id: { authenticated: { principal_name: { safe_regex: { regex: '[\\s\\S]+' } } } } };
  return { authenticated: { principal_name: { exact: id } } };
}

export interface EnvoyRbacResult {
  /** the two HTTP filters, DENY first */
  filters: J[];
  json: string;
  readonly yaml: string;
  warnings: string[];
  omitted: OmittedRule[];
}

export function compileEnvoyRbac(doc: PolicyDocument, o: CompileOptions, now: Date): EnvoyRbacResult {
  const limit = o.envoy?.regexProgramSizeLimit ?? 100;
  const paths = new Map<string, J>();
  const wl = buildWhitelist(
    doc,
    now,
    (caller) => {
      const id = callerIdentity(caller, o);
      return id.kind === 'external' ? { id: EXTERNAL_ID } : id.kind === 'spiffe' ? { id: id.uri } : { reason: id.reason };
    },
    (e) => {
      const p = pathPermission(e.segments, limit);
      if (typeof p === 'string') return p;
      paths.set(e.key, p);
      return null;
    },
  );

  const allow: Record<string, J> = {};
  groupPairs(wl.byIdentity).forEach((g, i) => {
    const byMethod = new Map<string, J[]>();
    for (const k of g.endpoints) {
      const m = wl.endpoints.get(k)!.method;
      let l = byMethod.get(m);
      if (!l) byMethod.set(m, (l = []));
      l.push(paths.get(k)!);
    }
    const perMethod = [...byMethod].map(([m, ps]) => and([header(':method', { exact: m }), or(ps)]));
    allow[`allow-${String(i).padStart(4, '0')}`] = {
      // Envoy tries a policy's permissions before its principals, and and_rules stop at the
      // first miss: method and path first, so the ambiguity check only runs on a path match.
      permissions: [and([or(perMethod), { not_rule: AMBIGUOUS_PATH }])],
      principals: g.identities.map(principal),
    };
  });

  const deny: Record<string, J> = {};
  const any = [{ any: true }];
  const values = (kind: string) => wl.deny.filter((d) => d.kind === kind).map((d) => d.value);
  const tokens = values('token');
  const users = values('user');
  const blocks = denyBlocks(values('ip'));
  if (tokens.length) deny['denied-tokens'] = { permissions: any, principals: tokens.map((t) => header(tokenHeader(o), { exact: t })) };
  if (users.length) deny['denied-users'] = { permissions: any, principals: users.map((u) => header(userHeader(o), { exact: u })) };
  const ipKey = o.ipSource === 'direct' ? 'direct_remote_ip' : 'remote_ip';
  if (blocks.length) deny['denied-ips'] = { permissions: any, principals: blocks.map((c) => ({ [ipKey]: { address_prefix: c.address, prefix_len: c.bits } })) };

  const filter = (name: string, action: string, policies: Record<string, J>): J => ({
    name,
    typed_config: { '@type': RBAC_TYPE, rules: { action, policies } },
  });
  const filters = [filter('meshward.rbac.deny', 'DENY', deny), filter('meshward.rbac.allow', 'ALLOW', allow)];
  const wrapped = { http_filters: filters };
  let yaml: string | null = null;
  return {
    filters,
    json: JSON.stringify(wrapped),
    get yaml() {
      return (yaml ??= toYaml(wrapped));
    },
    warnings: wl.warnings,
    omitted: wl.omitted,
  };
}
