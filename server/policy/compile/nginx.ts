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
import { tokenHeader, userHeader, type CompileOptions, type OmittedRule } from './options';
import { escapeRegex, templatePattern } from './path-regex';
import { buildWhitelist } from './whitelist';

export const NGINX_PARAM = '[^/?]+';
const EXTERNAL_ID = '';
/** Paths per regex line: long alternations stay well inside PCRE's pattern limits. */
const CHUNK = 64;

/** A string as an nginx config token: nginx unescapes `\\` and `\"` in every token. */
export function nginxQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export const headerVariable = (name: string) => `$http_${name.toLowerCase().replace(/-/g, '_')}`;

export function variablePrefix(service: string): string {
  const slug = service.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 32);
  return `mw_${slug}_${createHash('sha256').update(service).digest('hex').slice(0, 6)}`;
}

export interface NginxResult {
  httpConf: string;
  serverConf: string;
  warnings: string[];
  omitted: OmittedRule[];
}

const alternation = (xs: string[]) => (xs.length === 1 ? xs[0] : `(?:${xs.join('|')})`);

export function compileNginx(doc: PolicyDocument, o: CompileOptions, now: Date): NginxResult {
  const spiffe = o.nginx?.callerIdentity === 'spiffe';
  const wl = buildWhitelist(doc, now, (caller) => {
    const id = callerIdentity(caller, o);
    if (id.kind === 'external') return { id: EXTERNAL_ID };
    if (!spiffe) return { id: caller };
    return id.kind === 'spiffe' ? { id: id.uri } : { reason: id.reason };
  });
  const v = variablePrefix(wl.service);
  const http: string[] = [`# Meshward policy for ${wl.service} (nginx, http level).`];
  const server: string[] = [
    `# Meshward policy for ${wl.service} (nginx, server level): inside the server {} in front of the service; proxy_pass without a URI.`,
  ];
  const block = (head: string, lines: string[]) => http.push(`${head} {`, ...lines.map((l) => `    ${l}`), '}');
  const check = (cond: string) => server.push(`if (${cond}) { return 403; }`);

  const groups = groupPairs(wl.byIdentity);
  const ids = [...wl.byIdentity.keys()].sort();
  const callerId = new Map(ids.map((id, i) => [id, id === EXTERNAL_ID ? 'x' : `c${i}`]));
  block(`map ${o.nginx?.callerVariable ?? '$http_x_meshward_caller'} $${v}_caller`, [
    'default "-";',
    // nginx tries regexes only on a non-empty value: the empty string needs a string key
    ...ids.map((id) => `${id === EXTERNAL_ID ? '""' : nginxQuote(`~^${escapeRegex(id)}$`)} ${callerId.get(id)};`),
  ]);

  const values = (kind: string) => wl.deny.filter((d) => d.kind === kind).map((d) => d.value);
  const blocks = denyBlocks(values('ip'));
  if (blocks.length) {
    block(`geo ${o.nginx?.clientAddressVariable ?? '$remote_addr'} $${v}_ip_denied`, ['default 0;', ...blocks.map((c) => `${cidrText(c)} 1;`)]);
    check(`$${v}_ip_denied`);
  }
  for (const [kind, name] of [['token', tokenHeader(o)], ['user', userHeader(o)]] as const) {
    const vs = values(kind);
    if (!vs.length) continue;
    const lines = ['default 0;'];
    for (let i = 0; i < vs.length; i += CHUNK) lines.push(`${nginxQuote(`~^${alternation(vs.slice(i, i + CHUNK).map(escapeRegex))}$`)} 1;`);
    block(`map ${headerVariable(name)} $${v}_${kind}_denied`, lines);
    check(`$${v}_${kind}_denied`);
  }

  // the reference's ambiguous paths (evaluate.ts strictSegments), on the raw request URI
  block(`map $request_uri $${v}_path_ok`, [
    'default 1;',
    `${nginxQuote(String.raw`~^[^?]*(?:[\\#]|%(?:2[eEfF]|5[cC]|00)|//|/\.\.?(?:[/?]|$))`)} 0;`,
    `${nginxQuote(String.raw`~^[^?]+/(?:\?|$)`)} 0;`,
    `${nginxQuote('~^(?:[^/]|$)')} 0;`,
  ]);
  check(`$${v}_path_ok = 0`);

  const allowLines = ['default 0;'];
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
        allowLines.push(`${nginxQuote(`~^${who} ${m} ${alternation(ps.slice(i, i + CHUNK))}(?:\\?.*)?$`)} 1;`);
      }
    }
  }
  block(`map "$${v}_caller $request_method $request_uri" $${v}_allow`, allowLines);
  check(`$${v}_allow = 0`);

  return { httpConf: http.join('\n') + '\n', serverConf: server.join('\n') + '\n', warnings: wl.warnings, omitted: wl.omitted };
}
