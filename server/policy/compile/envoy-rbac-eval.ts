// The compiled RBAC filters read the way Envoy reads them (source/extensions/filters/common/rbac):
// a policy matches when any of its permissions and any of its principals match; a DENY filter
// refuses a request one of its policies matches, an ALLOW filter refuses one none matches.
// `url_path` is `:path` without query and fragment; `safe_regex` must match the whole value;
// `ignore_case` applies to exact/prefix/suffix/contains; a header absent never matches; an
// address only matches a block of its own family. Matchers this module does not know throw,
// so a compiler change that emits one cannot pass the tests unnoticed.
import type { Decision, PolicyRequest } from '../model';
import { inCidr, parseCidr } from './cidr';
import { callerIdentity } from './identity';
import { actorHeaders, type CompileOptions } from './options';

export interface EnvoyRequest {
  method: string;
  /** `:path` as received */
  path: string;
  /** lower-case names */
  headers: Record<string, string>;
  /** URI SANs of the peer certificate; null without a TLS peer */
  peerUriSans: string[] | null;
  remoteIp: string | null;
  directRemoteIp: string | null;
}

type J = Record<string, any>;

export function toEnvoyRequest(req: PolicyRequest, o: CompileOptions): EnvoyRequest {
  const id = callerIdentity(req.caller, o);
  const headers = actorHeaders(req, o);
  return {
    method: req.method,
    path: req.path,
    headers,
    peerUriSans: id.kind === 'spiffe' ? [id.uri] : id.kind === 'unmapped' ? [`spiffe://unmapped/${req.caller}`] : null,
    remoteIp: req.clientIp ?? null,
    directRemoteIp: req.clientIp ?? null,
  };
}

const regexes = new Map<string, RegExp>();
function fullMatch(re: string, v: string): boolean {
  let r = regexes.get(re);
  if (!r) regexes.set(re, (r = new RegExp(`^(?:${re})$`)));
  return r.test(v);
}

export function stringMatch(m: J, value: string): boolean {
  const ic = m.ignore_case === true;
  const v = ic ? value.toLowerCase() : value;
  const t = (s: string) => (ic ? s.toLowerCase() : s);
  if ('exact' in m) return v === t(m.exact);
  if ('prefix' in m) return v.startsWith(t(m.prefix));
  if ('suffix' in m) return v.endsWith(t(m.suffix));
  if ('contains' in m) return v.includes(t(m.contains));
  if ('safe_regex' in m) return fullMatch(m.safe_regex.regex, value);
  throw new Error(`unknown string matcher ${JSON.stringify(m)}`);
}

function urlPathOf(path: string): string {
  const i = path.search(/[?#]/);
  return i === -1 ? path : path.slice(0, i);
}

function headerValue(r: EnvoyRequest, name: string): string | undefined {
  if (name === ':method') return r.method;
  if (name === ':path') return r.path;
  return r.headers[name.toLowerCase()];
}

function headerMatch(h: J, r: EnvoyRequest): boolean {
  const v = headerValue(r, h.name);
  let hit: boolean;
  if ('present_match' in h) hit = (v !== undefined) === h.present_match;
  else if (v === undefined) hit = false;
  else if ('string_match' in h) hit = stringMatch(h.string_match, v);
  else throw new Error(`unknown header matcher ${JSON.stringify(h)}`);
  return h.invert_match ? !hit : hit;
}

function ipMatch(c: J, ip: string | null): boolean {
  const block = parseCidr(`${c.address_prefix}/${c.prefix_len}`);
  return ip !== null && block !== null && inCidr(ip, block);
}

function permission(p: J, r: EnvoyRequest): boolean {
  if ('and_rules' in p) return p.and_rules.rules.every((x: J) => permission(x, r));
  if ('or_rules' in p) return p.or_rules.rules.some((x: J) => permission(x, r));
  if ('not_rule' in p) return !permission(p.not_rule, r);
  if ('any' in p) return p.any === true;
  if ('header' in p) return headerMatch(p.header, r);
  if ('url_path' in p) return stringMatch(p.url_path.path, urlPathOf(r.path));
  throw new Error(`unknown permission ${JSON.stringify(p)}`);
}

function principal(p: J, r: EnvoyRequest): boolean {
  if ('and_ids' in p) return p.and_ids.ids.every((x: J) => principal(x, r));
  if ('or_ids' in p) return p.or_ids.ids.some((x: J) => principal(x, r));
  if ('not_id' in p) return !principal(p.not_id, r);
  if ('any' in p) return p.any === true;
  if ('header' in p) return headerMatch(p.header, r);
  if ('url_path' in p) return stringMatch(p.url_path.path, urlPathOf(r.path));
  if ('remote_ip' in p) return ipMatch(p.remote_ip, r.remoteIp);
  if ('direct_remote_ip' in p) return ipMatch(p.direct_remote_ip, r.directRemoteIp);
  if ('authenticated' in p) {
    if (r.peerUriSans === null) return false;
    const m = p.authenticated.principal_name;
    // without URI SANs Envoy falls back to the (here empty) subject
    return m === undefined || (r.peerUriSans.length ? r.peerUriSans : ['']).some((s) => stringMatch(m, s));
  }
  throw new Error(`unknown principal ${JSON.stringify(p)}`);
}

/** Evaluates the `{ http_filters: [...] }` JSON the compiler wrote, filter by filter. */
export function envoyEvaluator(json: string): (r: EnvoyRequest) => Decision {
  const filters: J[] = JSON.parse(json).http_filters;
  return (r) => {
    for (const f of filters) {
      const { action, policies } = f.typed_config.rules;
      const hit = Object.values(policies as Record<string, J>).some(
        (p) => p.permissions.some((x: J) => permission(x, r)) && p.principals.some((x: J) => principal(x, r)),
      );
      if (action === 'DENY' ? hit : !hit) return 'deny';
    }
    return 'allow';
  };
}
