// The generated nginx text read the way nginx reads it: tokens as ngx_conf_read_token reads them
// (nginx-text.ts: quotes, escapes, comments), `map` (string keys ignoring case, then `~`/`~*`
// regexes in order for a non-empty value, then `default`; the source may combine variables), `geo` (longest
// matching block; an IPv4-mapped IPv6 address looked up as IPv4; no address → 255.255.255.255)
// and server-level `if ($v)` (true unless empty or "0") / `if ($v = x)` with `return 403`.
// Directives it does not know throw.
import type { Decision, PolicyRequest } from '../model';
import { addressToBig, parseCidr, type Cidr } from './cidr';
import { callerIdentity } from './identity';
import { tokenizeNginx, type NginxDirective } from './nginx-text';
import { tokenHeader, userHeader, type CompileOptions } from './options';

type Directive = NginxDirective;

/** The text as nginx reads it (nginx-text.ts follows ngx_conf_read_token). */
export const parseNginx = tokenizeNginx;

export interface NginxRequest {
  method: string;
  /** `$request_uri`: the raw URI with its query */
  uri: string;
  /** lower-case names */
  headers: Record<string, string>;
  remoteAddr: string | null;
}

export function toNginxRequest(req: PolicyRequest, o: CompileOptions): NginxRequest {
  const headers: Record<string, string> = {};
  if (req.caller !== 'external') {
    const id = callerIdentity(req.caller, o);
    headers['x-meshward-caller'] = o.nginx?.callerIdentity === 'spiffe' && id.kind === 'spiffe' ? id.uri : req.caller;
  }
  if (req.tokenId) headers[tokenHeader(o)] = req.tokenId;
  if (req.userId) headers[userHeader(o)] = req.userId;
  return { method: req.method, uri: req.path, headers, remoteAddr: req.clientIp ?? null };
}

type Evaluate = (get: (name: string) => string) => string;

function compileMap(d: Directive): Evaluate {
  const [source] = d.args;
  let fallback = '';
  const strings = new Map<string, string>();
  const regexes: [RegExp, string][] = [];
  for (const e of d.block!) {
    if (e.args.length !== 1) throw new Error(`map entry ${e.name} ${e.args.join(' ')}`);
    if (e.name === 'default') fallback = e.args[0];
    else if (e.name.startsWith('~*')) regexes.push([new RegExp(e.name.slice(2), 'i'), e.args[0]]);
    else if (e.name.startsWith('~')) regexes.push([new RegExp(e.name.slice(1)), e.args[0]]);
    else if (['hostnames', 'include', 'volatile'].includes(e.name)) throw new Error(`map ${e.name} is not interpreted`);
    else strings.set(e.name.replace(/^\\/, '').toLowerCase(), e.args[0]);
  }
  return (get) => {
    const s = source.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => get(a ?? b));
    const hit = strings.get(s.toLowerCase());
    if (hit !== undefined) return hit;
    // ngx_http_map_find tries regexes only when the value is not empty
    if (s !== '') for (const [re, value] of regexes) if (re.test(s)) return value;
    return fallback;
  };
}

function compileGeo(d: Directive): Evaluate {
  const source = d.args.length === 2 ? d.args[0].slice(1) : 'remote_addr';
  let fallback = '';
  const entries: [Cidr, string][] = [];
  for (const e of d.block!) {
    if (e.name === 'default') fallback = e.args[0];
    else {
      const c = parseCidr(e.name);
      if (!c || e.args.length !== 1) throw new Error(`geo entry ${e.name} is not interpreted`);
      entries.push([c, e.args[0]]);
    }
  }
  return (get) => {
    let a = addressToBig(get(source)) ?? addressToBig('255.255.255.255')!;
    if (a.family === 6 && a.value >> 32n === 0xffffn) a = { family: 4, value: a.value & 0xffffffffn };
    let best: [number, string] = [-1, fallback];
    for (const [c, value] of entries) {
      const width = c.family === 4 ? 32 : 128;
      const shift = BigInt(width - c.bits);
      if (c.family === a.family && a.value >> shift === addressToBig(c.address)!.value >> shift && c.bits > best[0]) best = [c.bits, value];
    }
    return best[1];
  };
}

/** Evaluates the http and server parts, as nginx would for a request inside that server. */
export function nginxEvaluator(httpConf: string, serverConf: string): (r: NginxRequest) => Decision {
  const vars = new Map<string, Evaluate>();
  for (const d of parseNginx(httpConf)) {
    if (d.name === 'map') vars.set(d.args[1].slice(1), compileMap(d));
    else if (d.name === 'geo') vars.set(d.args[d.args.length - 1].slice(1), compileGeo(d));
    else throw new Error(`http-level ${d.name} is not interpreted`);
  }
  const checks = parseNginx(serverConf).map((d) => {
    if (d.name !== 'if' || d.block?.length !== 1 || d.block[0].name !== 'return' || d.block[0].args[0] !== '403') throw new Error(`server-level ${d.name} is not interpreted`);
    const m = /^\(\$(\w+)(?: = (\S*))?\)$/.exec(d.args.join(' '));
    if (!m) throw new Error(`if ${d.args.join(' ')} is not interpreted`);
    return { name: m[1], equals: m[2] };
  });
  return (r) => {
    const memo = new Map<string, string>();
    const get = (name: string): string => {
      if (memo.has(name)) return memo.get(name)!;
      let value: string;
      const fn = vars.get(name);
      if (fn) value = fn(get);
      else if (name === 'request_method') value = r.method;
      else if (name === 'request_uri') value = r.uri;
      else if (name === 'remote_addr') value = r.remoteAddr ?? '';
      else if (name.startsWith('http_')) value = r.headers[name.slice(5).replace(/_/g, '-')] ?? '';
      else throw new Error(`variable $${name} is not interpreted`);
      memo.set(name, value);
      return value;
    };
    for (const c of checks) {
      const value = get(c.name);
      if (c.equals === undefined ? value !== '' && value !== '0' : value === c.equals) return 'deny';
    }
    return 'allow';
  };
}
