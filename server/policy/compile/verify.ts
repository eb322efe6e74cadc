// The last check before a compiled policy is signed: the text is read back the way the proxy
// will read it (nginx's tokenizer rules, a YAML parser, JSON.parse) and must hold exactly the
// objects and directives the compiler meant, in the shape the format allows: only `map`/`geo`
// and `if (…) { return 403; }` with this policy's variables for nginx; only this service's
// AuthorizationPolicy objects, none with an empty rule, for Istio; the two RBAC filters for
// Envoy. Data that escaped its quoting (an extra directive, a document, a rule) shows up here
// as a difference, and no bundle is produced.
import YAML from 'yaml';
import { isDnsSubdomain, isNamespace } from '@/server/identity/names';
import type { PolicyDocument } from '../model';
import { printableAscii } from './ascii';
import { parseCidr } from './cidr';
import { isLabelKey, isLabelValue } from './mesh-names';
import type { EnvoyRbacResult } from './envoy-rbac';
import { RBAC_TYPE } from './envoy-rbac';
import type { IstioResult } from './istio';
import type { MeshwardBundle } from './meshward';
import { MESHWARD_FORMAT } from './meshward';
import type { NginxResult } from './nginx';
import { VARIABLE_SUFFIXES } from './nginx';
import { tokenizeNginx, type NginxDirective } from './nginx-text';

/** Data in a message: quoted, printable ASCII on one line, cut short (a name may be 10 KB of anything). */
function show(v: unknown): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return `"${printableAscii(s.length > 120 ? `${s.slice(0, 120)}…` : s)}"`;
}

/** The compiled text is not what was meant: nothing may be signed. */
export class CompiledOutputError extends Error {
  readonly code = 'compiled_output_rejected';
  constructor(format: string, service: string, detail: string) {
    super(`refusing to produce the ${format} bundle of ${show(service)}: ${detail}`);
  }
}

type J = Record<string, any>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);


// ---- the document ----------------------------------------------------------------------------

const encodable = (s: string) => !s.includes('\u0000') && s.isWellFormed();

/**
 * A NUL (no HTTP request holds one; nginx's PCRE1 builds cut patterns at it) or a lone
 * surrogate (no UTF-8 for it: Envoy and Kubernetes refuse such text) in any string of the
 * document: no format can carry it faithfully, so none is produced.
 */
export function verifyEncodable(doc: PolicyDocument, format: string): void {
  const bad = (what: string): never => {
    throw new CompiledOutputError(format, doc.service, `${what} holds a NUL or a lone surrogate, which no proxy format can carry`);
  };
  if (!encodable(doc.service)) bad('the service name');
  for (const r of doc.allow) if (!encodable(r.caller) || !encodable(r.template) || !encodable(r.method)) bad('an allow rule');
  for (const d of doc.deny) if (!encodable(d.value) || !encodable(d.reason)) bad('a deny entry');
}

// ---- nginx ------------------------------------------------------------------------------------

export function verifyNginx(r: NginxResult, service: string, sources: { caller: string; token: string; user: string; clientAddress: string }): void {
  const fail = (detail: string): never => {
    throw new CompiledOutputError('nginx', service, detail);
  };
  if (!/^mw_[0-9a-f]{12}$/.test(r.prefix)) fail(`variable prefix ${show(r.prefix)} is not mw_ and 12 hex digits`);
  for (const [part, text, meant] of [['http', r.httpConf, r.http], ['server', r.serverConf, r.server]] as const) {
    let read: NginxDirective[];
    try {
      read = tokenizeNginx(text);
    } catch (e) {
      return fail(`the ${part} part does not parse as nginx reads it (${(e as Error).message})`);
    }
    if (!same(read, meant)) fail(`the ${part} part reads back as other directives than the ones compiled`);
  }

  const variable = (suffix: string) => `$${r.prefix}_${suffix}`;
  const defined = new Set<string>();
  const expectedSource: Record<string, string> = {
    caller: sources.caller, token_denied: sources.token, user_denied: sources.user, ip_denied: sources.clientAddress,
    path_ok: '$request_uri', allow: `${variable('caller')} $request_method $request_uri`,
  };
  for (const d of r.http) {
    if ((d.name !== 'map' && d.name !== 'geo') || d.args.length !== 2 || !d.block) fail(`unexpected http-level directive ${show(d.name)}`);
    const suffix = VARIABLE_SUFFIXES.find((s) => variable(s) === d.args[1]);
    if (!suffix || defined.has(d.args[1])) fail(`${d.name} defines ${show(d.args[1])}, not one of this policy's variables (once each)`);
    if ((suffix === 'ip_denied') !== (d.name === 'geo')) fail(`${d.args[1]} is not defined by the directive meant for it`);
    if (d.args[0] !== expectedSource[suffix!]) fail(`${d.args[1]} is computed from ${show(d.args[0])}`);
    defined.add(d.args[1]);
    let defaults = 0;
    for (const e of d.block!) {
      if (e.block || e.args.length !== 1) fail(`an entry of ${d.args[1]} is not "key value;"`);
      if (e.name === 'default') defaults++;
      else if (d.name === 'geo' ? !parseCidr(e.name) : e.name !== '' && !e.name.startsWith('~')) fail(`an entry of ${d.args[1]} has an unexpected key`);
      const value = e.args[0];
      if (suffix === 'caller' ? !/^(?:-|x|c\d+)$/.test(value) : value !== '0' && value !== '1') fail(`an entry of ${d.args[1]} has an unexpected value`);
    }
    if (defaults !== 1) fail(`${d.args[1]} has ${defaults} defaults`);
  }
  for (const d of r.server) {
    const m = d.name === 'if' ? /^\((\$\w+)(?:\s=\s0)?\)$/.exec(d.args.join(' ')) : null;
    if (!m || !same(d.block, [{ name: 'return', args: ['403'] }])) fail(`unexpected server-level directive ${show(d.name)}`);
    if (!defined.has(m![1])) fail(`the server part tests ${m![1]}, which the http part does not define`);
  }
  if (!defined.has(variable('allow')) || !r.server.some((d) => d.args[0] === `(${variable('allow')}`)) fail('the whitelist check is missing');
}

// ---- Istio ------------------------------------------------------------------------------------

const PRINTABLE_ASCII_LINES = /^[\x20-\x7e\n]*$/;
/** Why Kubernetes would refuse this object's metadata or selector, or null. */
function kubernetesProblem(o: J): string | null {
  const md = o.metadata ?? {};
  if (typeof md.name !== 'string' || !isDnsSubdomain(md.name)) return `object name ${show(md.name)} is not a DNS-1123 subdomain`;
  if (typeof md.namespace !== 'string' || !isNamespace(md.namespace)) return `namespace ${show(md.namespace)} is not a Kubernetes namespace (set istio.namespace)`;
  for (const ref of o.spec?.targetRefs ?? []) {
    if (!isNamespace(ref.name)) return `targetRefs names Service ${show(ref.name)}, which is not a Kubernetes Service name (a DNS label of at most 63 characters)`;
  }
  for (const [k, v] of Object.entries<string>(o.spec?.selector?.matchLabels ?? {})) {
    if (!isLabelKey(k) || !isLabelValue(v)) return `selector label ${show(k)}: ${show(v)} is not a valid Kubernetes label (at most 63 characters; check the cluster's selector labels on /settings/clusters)`;
  }
  return null;
}

export function verifyIstio(r: Pick<IstioResult, 'objects' | 'yaml'>, service: string): void {
  const fail = (detail: string): never => {
    throw new CompiledOutputError('istio', service, detail);
  };
  if (!PRINTABLE_ASCII_LINES.test(r.yaml)) fail('the YAML holds characters outside printable ASCII');
  const docs = YAML.parseAllDocuments(r.yaml, { version: '1.1' });
  if (!Array.isArray(docs)) fail('the YAML is not a stream of documents');
  const list = docs as YAML.Document.Parsed[];
  if (list.some((d) => d.errors.length > 0)) fail(`the YAML does not parse (${list.find((d) => d.errors.length)!.errors[0].message.split('\n')[0]})`);
  const read = list.map((d) => d.toJS());
  if (!same(read, r.objects)) fail(`the YAML reads back as ${read.length} document(s) other than the ${r.objects.length} AuthorizationPolicy objects compiled`);

  const names = new Set<string>();
  let allows = 0;
  let denies = 0;
  for (const o of r.objects) {
    if (o.apiVersion !== 'security.istio.io/v1' || o.kind !== 'AuthorizationPolicy') fail(`unexpected object ${show(o.kind)}`);
    const k8s = kubernetesProblem(o);
    if (k8s) fail(k8s);
    if (names.has(o.metadata.name) || !o.metadata.name.startsWith('meshward-')) fail(`object name ${o.metadata.name} is repeated or not Meshward's`);
    names.add(o.metadata.name);
    if (o.metadata.annotations?.['meshward.io/service'] !== service) fail(`${o.metadata.name} is annotated for another service`);
    const rules: J[] = o.spec.rules ?? [];
    if (o.spec.action === 'ALLOW') {
      allows++;
      // an ALLOW rule without a source or an operation allows every caller or every request
      if (rules.some((x) => !x.from?.length || !x.to?.length || x.when)) fail(`${o.metadata.name} has an ALLOW rule without both a source and an operation`);
    } else if (o.spec.action === 'DENY') {
      denies++;
      if (!rules.length || rules.some((x) => Object.keys(x).length === 0)) fail(`${o.metadata.name} has an empty DENY rule`);
    } else {
      fail(`${o.metadata.name} has action ${show(o.spec.action)}`);
    }
  }
  if (allows === 0 || denies > 1) fail(`${allows} ALLOW and ${denies} DENY objects (expected at least one ALLOW and at most one DENY)`);
}

// ---- Envoy RBAC -------------------------------------------------------------------------------

export function verifyEnvoy(r: Pick<EnvoyRbacResult, 'filters' | 'json'>, service: string, yaml?: string): void {
  const fail = (detail: string): never => {
    throw new CompiledOutputError('envoy-rbac', service, detail);
  };
  const wrapped = { http_filters: r.filters };
  let read: unknown;
  try {
    read = JSON.parse(r.json);
  } catch {
    fail('the JSON does not parse');
  }
  if (!same(read, wrapped)) fail('the JSON reads back as other filters than the ones compiled');
  if (yaml !== undefined) {
    if (!PRINTABLE_ASCII_LINES.test(yaml)) fail('the YAML holds characters outside printable ASCII');
    const doc = YAML.parseDocument(yaml, { version: '1.1' });
    if (doc.errors.length || !same(doc.toJS(), wrapped)) fail('the YAML reads back as other filters than the ones compiled');
  }
  const shape = r.filters.map((f: J) => [f.name, f.typed_config?.['@type'], f.typed_config?.rules?.action]);
  if (!same(shape, [['meshward.rbac.deny', RBAC_TYPE, 'DENY'], ['meshward.rbac.allow', RBAC_TYPE, 'ALLOW']])) fail('the filters are not the DENY then the ALLOW RBAC filter');
  const allow = (r.filters[1] as J).typed_config.rules.policies as Record<string, J>;
  for (const [name, p] of Object.entries(allow)) {
    if (!/^allow-\d{4,}$/.test(name) || !p.permissions?.length || !p.principals?.length) fail(`allow policy ${show(name)} is malformed`);
    if (p.principals.some((x: J) => x.any === true) || p.permissions.some((x: J) => x.any === true)) fail(`allow policy ${show(name)} allows any caller or any request`);
  }
}

// ---- Meshward JSON ----------------------------------------------------------------------------

export function verifyMeshward(r: { bundle: MeshwardBundle; json: string }, service: string): void {
  const fail = (detail: string): never => {
    throw new CompiledOutputError('meshward', service, detail);
  };
  let read: unknown;
  try {
    read = JSON.parse(r.json);
  } catch {
    fail('the JSON does not parse');
  }
  if (!same(read, r.bundle)) fail('the JSON reads back as another document than the one compiled');
  if (r.bundle.format !== MESHWARD_FORMAT || r.bundle.service !== service || r.bundle.defaultAction !== 'deny') fail('the document is not this service’s default-deny policy');
}
