// Test support: the policies and requests every format is checked against, and each format
// compiled and evaluated the way a proxy would, from its output text.
import { parseTemplate, templateKey } from '@/server/discovery/template';
import { evaluatePolicy } from '../evaluate';
import type { AllowRule, Decision, DenyEntry, PolicyDocument, PolicyRequest } from '../model';
import { compileEnvoyRbac } from './envoy-rbac';
import { envoyEvaluator, toEnvoyRequest } from './envoy-rbac-eval';
import { compileIstio } from './istio';
import { istioEvaluator, toIstioRequest } from './istio-eval';
import { compileMeshward } from './meshward';
import { meshwardEvaluator } from './meshward-eval';
import { compileNginx } from './nginx';
import { nginxEvaluator, toNginxRequest } from './nginx-eval';
import type { CompileOptions, OmittedRule } from './options';
import { cidrText, denyBlocks } from './cidr';

export const NOW = new Date('2026-06-01T00:00:00Z');
const PAST = '2026-01-01T00:00:00Z';
const FUTURE = '2027-01-01T00:00:00Z';

const rule = (caller: string, method: string, template: string): AllowRule => ({ caller, method, template, endpointId: null });
const deny = (kind: DenyEntry['kind'], value: string, expiresAt: string | null = null): DenyEntry => ({ kind, value, reason: 'test entry', expiresAt });

export const PARTNER = 'spiffe://partner.example/ns/acme/sa/sync';
export const LONG_LITERAL = 'a-segment-name-long-enough-that-the-whole-template-passes-an-rre2-budget-of-one-hundred';

export const DOCS: PolicyDocument[] = [
  {
    service: 'shop/users',
    defaultAction: 'deny',
    allow: [
      rule('shop/web', 'GET', '/api/users/{user_id}'),
      rule('shop/web', 'GET', '/api/users/me'),
      rule('external', 'GET', '/api/users/me'),
      rule('shop/web', 'GET', '/'),
      rule('shop/web', 'GET', '/api/users/{user_id}/orders/{order_id}'),
      rule('shop/web', 'GET', '/api/users/{user_id}/orders'),
      rule('shop/admin', 'GET', '/api/users/{user_id}/orders'),
      rule('shop/admin', 'DELETE', '/api/users/{user_id}'),
      rule('shop/web', 'PUT', '/api/users/{user_id}/avatar'),
      rule('external', 'GET', '/files/{file_id}.json'),
      rule('external', 'GET', '/v{version}/status'),
      rule(PARTNER, 'POST', '/api/users/{user_id}/sync'),
    ],
    deny: [
      deny('token', 'tok-stolen'),
      deny('user', 'mallory'),
      deny('ip', '203.0.113.0/24'),
      deny('ip', '2001:db8::1'),
      deny('user', 'bob', PAST),
      deny('ip', '198.51.100.7', PAST),
      deny('token', 'tok-old', PAST),
      deny('token', 'tok-later', FUTURE),
    ],
  },
  {
    service: 'shop/cart',
    defaultAction: 'deny',
    allow: [
      rule('shop/web', 'POST', '/cart/{cart_id}/items'),
      rule('external', 'POST', '/cart/{cart_id}/items'),
      rule('shop/web', 'DELETE', '/cart/{cart_id}/items/{item_id}'),
      rule('shop/web', 'POST', '/cart/{cart_id}:checkout'),
      rule('shop/web', 'GET', '/cart/{cart_id}'),
      rule('shop/mobile-bff', 'GET', '/cart/{cart_id}'),
      rule('shop/web', 'GET', '/cart/count'),
      rule('shop/mobile-bff', 'GET', '/search/q={term}'),
      rule('shop/web', 'GET', '/api/v1/organizations/{org}/projects/{project}/environments/{env}/deployments/{deployment}/logs/archive/download'),
      rule('shop/web', 'GET', `/static/${LONG_LITERAL}/index.html`),
      rule('shop/web', 'GET', `/reports/${LONG_LITERAL}/{id}/download`),
      rule('shop/web', 'GET', `/x/{a}/${LONG_LITERAL}-${LONG_LITERAL}/{b}`),
    ],
    deny: [deny('ip', '10.0.0.0/8'), deny('ip', '::ffff:192.0.2.0/120'), deny('user', 'eve')],
  },
  { service: 'billing/invoices', defaultAction: 'deny', allow: [], deny: [] },
  {
    service: 'ops/health',
    defaultAction: 'deny',
    allow: [
      rule('external', 'GET', '/'),
      rule('external', 'GET', '/healthz'),
      rule('ops/probe', 'GET', '/export/format=csv'),
      rule('ops/probe', 'GET', '/export/format=csv/{id}'),
      rule('ops/probe', 'GET', '/Admin/{section}'),
      rule('ops/probe', 'GET', '/static/%2Fetc'),
      rule('ops/probe', 'HEAD', '/healthz'),
    ],
    deny: [deny('token', 'tok-stolen')],
  },
];

const VALUES = ['42', 'me', 'abc-DEF_1.2~', 'a=b', 'x*y', '%20', '..x', '...', '%41', 'a:b@c'];

/** A path for a template with every parameter set to `value`. */
export function instantiate(template: string, value: string): string {
  const segs = parseTemplate(template);
  if (!segs.length) return '/';
  return segs.map((s) => '/' + (s.kind === 'literal' ? s.text : s.kind === 'param' ? value : s.prefix + value + s.suffix)).join('');
}

/** Requests around a document: each rule's paths, their tricks, other callers and methods, denied actors. */
export function requestsFor(doc: PolicyDocument): PolicyRequest[] {
  const out: PolicyRequest[] = [];
  const callers = [...new Set([...doc.allow.map((r) => r.caller), 'external', 'shop/other', 'ops/probe'])];
  for (const r of doc.allow) {
    const base = { caller: r.caller, method: r.method };
    for (const v of VALUES) out.push({ ...base, path: instantiate(r.template, v) });
    const p = instantiate(r.template, '42');
    const variants = [
      `${p}?q=1&next=../x`, `${p}?a#b`, `${p}?`, `${p}/`, `/${p}`, p.replace('/', '//'), `${p}/.`, `${p}/..`, `/.${p}`, `/x/..${p}`,
      `${p}#frag`, `${p}\\`, p.toUpperCase(), p.toLowerCase(), p.slice(1), `${p}/extra`, p.split('/').slice(0, -1).join('/') || '/',
    ];
    for (const bad of ['..', '.', '%2F', 'a%2Fb', '%2e%2e', '%2E', 'a%5cb', 'a\\b', '%00', 'a%00', '', 'caf\u00e9', 'a b', 'a?b', 'a#b']) variants.push(instantiate(r.template, bad));
    for (const path of variants) out.push({ ...base, path });
    for (const method of ['get', 'HEAD', 'POST', 'PATCH']) out.push({ ...base, method, path: p });
    for (const caller of callers) out.push({ ...base, caller, path: p });
    for (const tokenId of ['tok-stolen', 'tok-old', 'tok-later', 'tok-good', 'TOK-STOLEN']) out.push({ ...base, path: p, tokenId });
    for (const userId of ['mallory', 'bob', 'eve', 'Mallory', 'alice']) out.push({ ...base, path: p, userId });
    for (const clientIp of ['203.0.113.77', '::ffff:203.0.113.77', '203.0.114.1', '2001:db8::1', '2001:db8::2', '198.51.100.7', '10.1.2.3', '192.0.2.9', '::ffff:10.1.2.3', '192.0.3.1']) {
      out.push({ ...base, path: p, clientIp });
    }
  }
  for (const path of ['/api', '/api/users', '/api/users/42/cars', '', 'api/users/42', '*', '/files/.json', '/files/a.xml', '/v/status', '/vx/status', '/V1/status', '/cart', '/cart/1:checkout/x']) {
    for (const caller of callers) out.push({ caller, method: 'GET', path });
  }
  return out;
}

/** The document without the rules a format left out. */
export function withoutOmitted(doc: PolicyDocument, omitted: OmittedRule[]): PolicyDocument {
  const gone = omitted.map((o) => ({ ...o, key: templateKey(o.template) }));
  const allow = doc.allow.filter((r) => !gone.some((g) => (g.caller === null || g.caller === r.caller) && g.method === r.method && g.key === templateKey(r.template)));
  return { ...doc, allow };
}

export const FORMATS = ['meshward', 'envoy-rbac', 'istio', 'nginx'] as const;
export type Format = (typeof FORMATS)[number];

export interface UnderTest {
  /** the decision and, for Istio, the path the service would receive (null when refused before) */
  decide(req: PolicyRequest): { decision: Decision; path: string | null };
  omitted: OmittedRule[];
  warnings: string[];
}

export function underTest(format: Format, doc: PolicyDocument, o: CompileOptions = {}, now = NOW): UnderTest {
  switch (format) {
    case 'meshward': {
      const c = compileMeshward(doc, o, now);
      const ev = meshwardEvaluator(c.json);
      return { decide: (r) => ({ decision: ev(r, now), path: r.path }), omitted: [], warnings: c.warnings };
    }
    case 'envoy-rbac': {
      const c = compileEnvoyRbac(doc, o, now);
      const ev = envoyEvaluator(c.json);
      return { decide: (r) => ({ decision: ev(toEnvoyRequest(r, o)), path: r.path }), omitted: c.omitted, warnings: c.warnings };
    }
    case 'istio': {
      const c = compileIstio(doc, o, now);
      const ev = istioEvaluator(c.yaml);
      return { decide: (r) => ev(toIstioRequest(r, o)), omitted: c.omitted, warnings: c.warnings };
    }
    case 'nginx': {
      const c = compileNginx(doc, o, now);
      const ev = nginxEvaluator(c.httpConf, c.serverConf);
      return { decide: (r) => ({ decision: ev(toNginxRequest(r, o)), path: r.path }), omitted: c.omitted, warnings: c.warnings };
    }
  }
}

/**
 * The document with each denied IP block also written in its other spelling (IPv4 and
 * IPv4-mapped IPv6): every format denies both, since a dual-stack listener reports IPv4
 * clients as `::ffff:a.b.c.d`; the reference evaluator keeps the two families apart.
 */
export function withMappedTwins(doc: PolicyDocument): PolicyDocument {
  const extra = doc.deny.flatMap((d) => (d.kind === 'ip' ? denyBlocks([d.value]).map((c) => ({ ...d, value: cidrText(c) })) : []));
  return { ...doc, deny: [...doc.deny, ...extra] };
}

const pathPart = (p: string) => p.split('?')[0];
/** Envoy's parameter class: printable ASCII (a request-target holds nothing else unescaped). */
const envoyExact = (p: string) => /^[!-~]*$/.test(pathPart(p));
/** Characters of Envoy's uri_template segments, plus `/`. */
const istioExact = (p: string) => /^[a-zA-Z0-9\-._~%!$&'()+,;:@/]*$/.test(pathPart(p));

export interface Mismatch {
  format: Format;
  req: PolicyRequest;
  got: Decision;
  expected: Decision;
  why: string;
}

/**
 * How a format must relate to the reference on one request. Never allowing what it denies,
 * and otherwise, with denied IP blocks in both spellings: Meshward JSON and nginx, the same
 * decision. Envoy: the same as the reference without the rules Envoy left out, and for paths
 * with characters outside its parameter class, never allowing what that denies. Istio: judged
 * on the path it forwards (its normalization is what the service sees), the same way, with
 * `{*}`'s character set in place of Envoy's class.
 */
export function check(format: Format, ut: UnderTest, original: PolicyDocument, req: PolicyRequest, now = NOW): Mismatch | null {
  const { decision, path } = ut.decide(req);
  const doc = withMappedTwins(original);
  const narrowed = withoutOmitted(doc, ut.omitted);
  const ref = (d: PolicyDocument, p: string | null) => (p === null ? 'deny' : evaluatePolicy(d, { ...req, path: p }, now).decision);
  if (decision === 'allow' && ref(original, format === 'istio' ? path : req.path) === 'deny') return { format, req, got: decision, expected: 'deny', why: 'allows what the reference denies' };
  const full = ref(doc, format === 'istio' ? path : req.path);
  if (format === 'meshward' || format === 'nginx') return decision === full ? null : { format, req, got: decision, expected: full, why: 'differs from the reference' };
  const expected = ref(narrowed, format === 'istio' ? path : req.path);
  const exact = format === 'istio' ? path === null || istioExact(path) : envoyExact(req.path);
  if (decision === 'allow' && expected === 'deny') return { format, req, got: decision, expected, why: 'allows by a rule it left out' };
  if (exact && decision !== expected) return { format, req, got: decision, expected, why: 'differs from the reference without the left-out rules' };
  return null;
}
