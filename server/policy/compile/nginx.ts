// nginx: an http-level part (maps and a geo that compute, per request, whether the caller,
// method and raw request URI are whitelisted and whether the actor is denied) and a
// server-level part (`if … { return 403; }` checks, which run in the server rewrite phase,
// before any location). Include the http part inside `http {}` and the server part inside the
// `server {}` in front of the service, whose `proxy_pass` must carry no URI so the service
// receives the request URI exactly as these checks read it.
//
// Paths are matched on `$request_uri`, the raw URI with its query, not `$uri`, which nginx has
// already decoded, merged and dot-resolved: a parameter is `[^/?]+`, the query is skipped with
// `(?:\?.*)?`, and a first map refuses what the reference calls ambiguous. Map string keys
// match ignoring case, so every key here is a case-sensitive regex (`~`); regexes are tried in
// order, and each line covers a group of callers and endpoints.
//
// Every string that comes from data (caller ids, denied tokens and users, template literals)
// is a regex-escaped literal inside one double-quoted token (nginx-text.ts `nginxQuote`); the
// text is then read back with nginx's own tokenizer rules and compared with the directives meant
// (verify.ts) before a bundle is signed. Variables are named `mw_` + 12 hex digits of the
// service's SHA-256, never after the service itself: short enough for nginx's default
// `variables_hash_bucket_size` whatever the name, and nothing from data in a variable name.
//
// Trust boundary: the caller is read from a variable, by default `$http_x_meshward_caller`,
// which Meshward's sidecar sets from the verified peer identity (stock nginx does not expose a
// client certificate's SPIFFE URI SAN; an mTLS module's variable can be named instead, with
// `callerIdentity: 'spiffe'`). Empty means `external`. Tokens and users are the
// `x-meshward-token-id` / `x-meshward-user` headers the same sidecar sets. Whatever sets them
// must also drop copies a client sent.
import { createHash } from 'node:crypto';
import type { PolicyDocument } from '../model';
import { cidrText, denyBlocks } from './cidr';
import { groupPairs } from './grouping';
import { callerIdentity } from './identity';
import { nginxComment, nginxVariable, renderNginx, type NginxDirective } from './nginx-text';
import { tokenHeader, userHeader, type CompileOptions, type OmittedRule } from './options';
import { escapeRegex, templatePattern } from './path-regex';
import { buildWhitelist } from './whitelist';

export { nginxQuote } from './nginx-text';

export const NGINX_PARAM = '[^/?]+';
const EXTERNAL_ID = '';
/** Paths per regex line: long alternations stay well inside PCRE's pattern limits. */
const CHUNK = 64;

const HEADER_NAME = /^[a-z0-9-]+$/;

export function headerVariable(name: string): string {
  const lower = name.toLowerCase();
  if (!HEADER_NAME.test(lower)) throw new Error(`"${lower}" is not a header name nginx can read as a variable (letters, digits and -)`);
  return `$http_${lower.replace(/-/g, '_')}`;
}

/** `mw_` + 12 hex digits of SHA-256(service): the prefix of every variable the policy defines. */
export function variablePrefix(service: string): string {
  return `mw_${createHash('sha256').update(service).digest('hex').slice(0, 12)}`;
}

/** The variables a service's policy may define, suffix → name. */
export const VARIABLE_SUFFIXES = ['caller', 'ip_denied', 'token_denied', 'user_denied', 'path_ok', 'allow'] as const;

export interface NginxResult {
  httpConf: string;
  serverConf: string;
  /** what the two parts are meant to hold, directive by directive (the text is checked against it) */
  http: NginxDirective[];
  server: NginxDirective[];
  /** the variable prefix (`mw_…`) */
  prefix: string;
  warnings: string[];
  omitted: OmittedRule[];
}

/** The variables the policy reads: the caller, the denied-actor headers and the client address. */
export function nginxSources(o: CompileOptions) {
  return {
    caller: nginxVariable(o.nginx?.callerVariable ?? '$http_x_meshward_caller'),
    token: headerVariable(tokenHeader(o)),
    user: headerVariable(userHeader(o)),
    clientAddress: nginxVariable(o.nginx?.clientAddressVariable ?? '$remote_addr'),
  };
}

const alternation = (xs: string[]) => (xs.length === 1 ? xs[0] : `(?:${xs.join('|')})`);
const entry = (key: string, value: string): NginxDirective => ({ name: key, args: [value] });
/** `if ($v) { return 403; }` or `if ($v = x) { return 403; }`, as the tokens nginx reads. */
const deny403 = (variable: string, equals?: string): NginxDirective => ({
  name: 'if',
  args: equals === undefined ? [`(${variable})`] : [`(${variable}`, '=', `${equals})`],
  block: [{ name: 'return', args: ['403'] }],
});

export function compileNginx(doc: PolicyDocument, o: CompileOptions, now: Date): NginxResult {
  const spiffe = o.nginx?.callerIdentity === 'spiffe';
  const wl = buildWhitelist(doc, now, (caller) => {
    const id = callerIdentity(caller, o);
    if (id.kind === 'external') return { id: EXTERNAL_ID };
    if (!spiffe) return { id: caller };
    return id.kind === 'spiffe' ? { id: id.uri } : { reason: id.reason };
  });
  const sources = nginxSources(o);
  const prefix = variablePrefix(wl.service);
  const v = (suffix: (typeof VARIABLE_SUFFIXES)[number]) => `$${prefix}_${suffix}`;
  const http: NginxDirective[] = [];
  const server: NginxDirective[] = [];
  const map = (source: string, target: string, entries: NginxDirective[]) => http.push({ name: 'map', args: [source, target], block: entries });

  const groups = groupPairs(wl.byIdentity);
  const ids = [...wl.byIdentity.keys()].sort();
  const callerId = new Map(ids.map((id, i) => [id, id === EXTERNAL_ID ? 'x' : `c${i}`]));
  map(sources.caller, v('caller'), [
    entry('default', '-'),
    // nginx tries regexes only on a non-empty value: the empty string needs a string key
    ...ids.map((id) => entry(id === EXTERNAL_ID ? '' : `~^${escapeRegex(id)}$`, callerId.get(id)!)),
  ]);

  const values = (kind: string) => wl.deny.filter((d) => d.kind === kind).map((d) => d.value);
  const blocks = denyBlocks(values('ip'));
  if (blocks.length) {
    http.push({
      name: 'geo',
      args: [sources.clientAddress, v('ip_denied')],
      block: [entry('default', '0'), ...blocks.map((c) => entry(cidrText(c), '1'))],
    });
    server.push(deny403(v('ip_denied')));
  }
  for (const [kind, source] of [['token', sources.token], ['user', sources.user]] as const) {
    const vs = values(kind);
    if (!vs.length) continue;
    const lines = [entry('default', '0')];
    for (let i = 0; i < vs.length; i += CHUNK) lines.push(entry(`~^${alternation(vs.slice(i, i + CHUNK).map(escapeRegex))}$`, '1'));
    const target = kind === 'token' ? v('token_denied') : v('user_denied');
    map(source, target, lines);
    server.push(deny403(target));
  }

  // the reference's ambiguous paths (evaluate.ts strictSegments), on the raw request URI
  map('$request_uri', v('path_ok'), [
    entry('default', '1'),
    entry(String.raw`~^[^?]*(?:[\\#]|%(?:2[eEfF]|5[cC]|00)|//|/\.\.?(?:[/?]|$))`, '0'),
    entry(String.raw`~^[^?]+/(?:\?|$)`, '0'),
    entry('~^(?:[^/]|$)', '0'),
  ]);
  server.push(deny403(v('path_ok'), '0'));

  const allowLines = [entry('default', '0')];
  const patterns = new Map([...wl.endpoints].map(([k, e]) => [k, templatePattern(e.segments, NGINX_PARAM)]));
  for (const g of groups) {
    const who = alternation(g.identities.map((id) => callerId.get(id)!));
    const byMethod = new Map<string, string[]>();
    for (const k of g.endpoints) {
      const m = wl.endpoints.get(k)!.method;
      let l = byMethod.get(m);
      if (!l) byMethod.set(m, (l = []));
      l.push(patterns.get(k)!);
    }
    for (const [m, ps] of byMethod) {
      for (let i = 0; i < ps.length; i += CHUNK) {
        allowLines.push(entry(`~^${who} ${escapeRegex(m)} ${alternation(ps.slice(i, i + CHUNK))}(?:\\?.*)?$`, '1'));
      }
    }
  }
  map(`${v('caller')} $request_method $request_uri`, v('allow'), allowLines);
  server.push(deny403(v('allow'), '0'));

  // The comments carry the service only as printable ASCII on one line.
  const httpConf = `${nginxComment(`Meshward policy for ${wl.service} (nginx, http level).`)}\n${renderNginx(http)}`;
  const serverConf = `${nginxComment(`Meshward policy for ${wl.service} (nginx, server level): inside the server {} in front of the service; proxy_pass without a URI.`)}\n${renderNginx(server)}`;
  return { httpConf, serverConf, http, server, prefix, warnings: wl.warnings, omitted: wl.omitted };
}
