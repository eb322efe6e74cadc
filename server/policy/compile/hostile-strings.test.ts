// Issue 9 item 1, as a property: hostile strings in every identity field (service, caller,
// namespace, template literal segments, denied tokens and users) go through every compiler,
// and the output, read back the way each proxy reads it, holds exactly the intended rules:
// the text parses to exactly what was compiled, and each format's evaluator (which reads the
// text) agrees with the reference evaluator. The same strings are refused by the ingest and
// policy-edit grammar. A failure names its seed and document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { VARIABLES_HASH } from '@/integrations/nginx/nginx-conf.mjs';
import { Prng } from '@/simulator/prng';
import { heartbeatSchema } from '@/server/fleet/heartbeat';
import type { ParseDefaults } from '@/server/ingest/event';
import { normalizeRecord, type FieldNames, type RawRecord } from '@/server/ingest/normalize';
import { allowRule, policyDocument, type AllowRule, type DenyEntry, type PolicyDocument, type PolicyRequest } from '../model';
import { compileEnvoyRbac } from './envoy-rbac';
import { compilePolicy, CompiledOutputError } from './index';
import { compileIstio } from './istio';
import { compileMeshward } from './meshward';
import { compileNginx, nginxSources } from './nginx';
import { nginxEvaluator, toNginxRequest } from './nginx-eval';
import { freePort, hasNginx, NGINX, NginxPrefix, rawRequest } from './nginx-process';
import { NginxTextError, tokenizeNginx } from './nginx-text';
import { check, FORMATS, instantiate, NOW, underTest, type Mismatch } from './test-corpus';
import { verifyEnvoy, verifyMeshward, verifyNginx } from './verify';

// Pieces an attacker would try, per reader: nginx (quotes, `;`, braces, `#`, `$`, `\`), YAML
// (document markers, `: `, flow collections, anchors, tags), regexes, line breaks of every
// kind, and plain unicode.
const ATOMS = [
  '"', "'", '\n', '\r', '\r\n', ';', '{', '}', '{}', '#', ' #', '$var', '${x}', '$', '\\', '\\"', '\\n', '---', '...', ': ', '- ',
  '[{}]', '&a', '*a', '!!str', '|', '>', '^', '.', '?', '*', '+', '(', ')', '[', ']', '(?<zz>a)', '\t', ' ', '\u2028', '\u2029',
  '\u0085', '\u000b', '\u007f', 'é', '😀', '\u00a0', '\ufeff', '\u202e', 'Ω', '%', '%00', '%2F', '`', '=', ',', '@', '~', '/',
  'access_log off;', 'include /etc/passwd;', '"; return 200; #', '}\nserver { listen 1; }\n#', '\n---\nkind: AuthorizationPolicy\nspec:\n  rules: [{}]\n',
  '\n  action: ALLOW', '") or true', 'x', 'a-b', 'web',
];
/** At least one of these in every hostile identity: no identity grammar allows any of them. */
const STRONG = ['"', "'", '\n', '\r', ';', '{', '}', '#', '$var', '\\', '\u2028', '\u2029', '\u0085', 'é', '😀', ' ', '[{}]', '*a', '(?<zz>a)', 'access_log off;', '\n---\nkind: AuthorizationPolicy\nspec:\n  rules: [{}]\n'];
const OUTSIDE_EVERY_GRAMMAR = /[^A-Za-z0-9_.:@/~-]/;

function hostile(r: Prng, opts: { slash?: boolean } = {}): string {
  let s = '';
  const n = 1 + r.int(4);
  const strongAt = r.int(n);
  for (let i = 0; i < n; i++) s += (i === strongAt ? r.pick(STRONG) : r.pick(ATOMS)) + (r.chance(0.3) ? r.pick(['a', 'web', '1', '']) : '');
  if (r.chance(0.04)) s += 'a'.repeat(10_000);
  return opts.slash === false ? s.replaceAll('/', '') : s;
}

/** A caller or service with hostile text in one of its parts, or entirely hostile. */
function hostileName(r: Prng): string {
  const h = hostile(r);
  switch (r.int(5)) {
    case 0: return h;
    case 1: return `${h.replaceAll('/', '')}/web`;
    case 2: return `shop/${h.replaceAll('/', '')}`;
    case 3: return `spiffe://cluster.local/ns/${h.replaceAll('/', '')}/sa/web`;
    default: return `spiffe://partner.example/${h}`;
  }
}

function hostileTemplate(r: Prng): string {
  const seg = hostile(r, { slash: false });
  switch (r.int(4)) {
    case 0: return `/${seg}/{id}`;
    case 1: return `/api/${seg}`;
    case 2: return `/f/{id}${seg.replace(/[{}]/g, '')}`;
    default: return `/${seg}`;
  }
}

const rule = (caller: string, method: string, template: string): AllowRule => ({ caller, method, template, endpointId: null });
const deny = (kind: DenyEntry['kind'], value: string): DenyEntry => ({ kind, value, reason: 'property test', expiresAt: null });
const noNul = (s: string) => s.replaceAll('\u0000', '\u0001');

function hostileDoc(r: Prng): PolicyDocument {
  const callers = [noNul(hostileName(r)), noNul(hostileName(r)), 'shop/web', 'external'];
  const templates = [noNul(hostileTemplate(r)), noNul(hostileTemplate(r)), '/ok/{id}'];
  const allow: AllowRule[] = [];
  for (const t of templates) for (const c of callers) if (r.chance(0.6)) allow.push(rule(c, r.pick(['GET', 'POST']), t));
  allow.push(rule(callers[0], 'GET', templates[0]), rule('shop/web', 'GET', '/ok/{id}'));
  return {
    service: r.chance(0.6) ? noNul(hostileName(r)) : 'shop/api',
    defaultAction: 'deny',
    allow,
    deny: [deny('token', noNul(hostile(r))), deny('user', noNul(hostile(r))), deny('token', 'tok-stolen'), deny('ip', '203.0.113.0/24'), deny('ip', noNul(hostile(r)))],
  };
}

/** The requests around a document: each rule from each caller, and the denied actors on it. */
function requestsOf(doc: PolicyDocument): PolicyRequest[] {
  const callers = [...new Set([...doc.allow.map((a) => a.caller), 'external', 'shop/other'])];
  const tokens = [...doc.deny.filter((d) => d.kind === 'token').map((d) => d.value), 'tok-ok'];
  const users = [...doc.deny.filter((d) => d.kind === 'user').map((d) => d.value), 'alice'];
  const out: PolicyRequest[] = [];
  for (const a of doc.allow) {
    for (const v of ['42', 'me', '%41', 'a b']) out.push({ caller: a.caller, method: a.method, path: instantiate(a.template, v) });
    const path = instantiate(a.template, '42');
    for (const caller of callers) out.push({ caller, method: a.method, path });
    for (const tokenId of tokens) out.push({ caller: a.caller, method: a.method, path, tokenId });
    for (const userId of users) out.push({ caller: a.caller, method: a.method, path, userId });
    for (const clientIp of ['203.0.113.5', '198.51.100.1']) out.push({ caller: a.caller, method: a.method, path, clientIp });
    out.push({ caller: a.caller, method: a.method === 'GET' ? 'POST' : 'GET', path });
  }
  return out;
}

const q = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…(${s.length})` : s);
const show = (m: Mismatch) => `${m.format}: ${m.req.method} ${q(m.req.path)} from ${q(m.req.caller)}${m.req.tokenId ? ` token ${q(m.req.tokenId)}` : ''}${m.req.userId ? ` user ${q(m.req.userId)}` : ''}: ${m.got}, expected ${m.expected} (${m.why})`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The raw compiler's text, read back, is exactly what it compiled: nothing escaped its quoting. */
function structureHolds(doc: PolicyDocument): string[] {
  const problems: string[] = [];
  const n = compileNginx(doc, {}, NOW);
  if (!same(tokenizeNginx(n.httpConf), n.http) || !same(tokenizeNginx(n.serverConf), n.server)) problems.push('nginx text reads back as other directives');
  try {
    verifyNginx(n, doc.service, nginxSources({}));
  } catch (e) {
    problems.push(`nginx: ${(e as Error).message}`);
  }
  const i = compileIstio(doc, {}, NOW);
  if (!/^[\x20-\x7e\n]*$/.test(i.yaml)) problems.push('Istio YAML holds characters outside printable ASCII');
  for (const version of ['1.1', '1.2'] as const) {
    const docs = YAML.parseAllDocuments(i.yaml, { version });
    if (docs.some((d) => d.errors.length) || !same(docs.map((d) => d.toJS()), i.objects)) problems.push(`Istio YAML ${version} reads back as other objects`);
  }
  const e = compileEnvoyRbac(doc, {}, NOW);
  try {
    verifyEnvoy(e, doc.service, e.yaml);
  } catch (err) {
    problems.push(`envoy: ${(err as Error).message}`);
  }
  try {
    verifyMeshward(compileMeshward(doc, {}, NOW), doc.service);
  } catch (err) {
    problems.push(`meshward: ${(err as Error).message}`);
  }
  return problems;
}

describe('hostile strings through every compiler', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i: output parses back to exactly what was compiled, and every format agrees with the reference', (seed) => {
    const r = new Prng(seed * 7919);
    const mismatches: string[] = [];
    let allowed = 0;
    let total = 0;
    for (let d = 0; d < 25; d++) {
      const doc = hostileDoc(r);
      const where = `seed ${seed} doc ${d} (${q(doc.service)})`;
      expect(structureHolds(doc), where).toEqual([]);

      for (const format of FORMATS) {
        // the bundle entry point: nginx, Envoy and Meshward always produce; Istio may refuse a
        // name Kubernetes cannot take (never anything else)
        try {
          compilePolicy(doc, format, {}, NOW);
        } catch (e) {
          expect(e, `${where} ${format}`).toBeInstanceOf(CompiledOutputError);
          expect(format).toBe('istio');
          expect((e as Error).message).toMatch(/is not a (valid Kubernetes label|Kubernetes namespace|DNS-1123 subdomain)/);
        }
      }

      const requests = requestsOf(doc);
      for (const format of FORMATS) {
        const ut = underTest(format, doc);
        for (const req of requests) {
          const m = check(format, ut, doc, req);
          if (m) mismatches.push(`${where}: ${show(m)}`);
          if (format === 'meshward') {
            total++;
            if (ut.decide(req).decision === 'allow') allowed++;
          }
        }
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    // hostile rules are still allowed where the reference allows them: agreement is not "deny everything"
    expect(allowed / total).toBeGreaterThan(0.05);
  });

  it('a NUL or a lone surrogate, which no format can carry, is refused, never written', () => {
    const r = new Prng(99);
    for (const bad of ['a\u0000b', '\ud800', 'x\udfffy']) {
      const docs: PolicyDocument[] = [
        { ...hostileDoc(r), service: `shop/${bad}` },
        { ...hostileDoc(r), allow: [rule(`shop/${bad}`, 'GET', '/ok')] },
        { ...hostileDoc(r), allow: [rule('shop/web', 'GET', `/ok/${bad}`)] },
        { ...hostileDoc(r), deny: [deny('user', bad)] },
      ];
      for (const doc of docs) {
        for (const format of FORMATS) expect(() => compilePolicy(doc, format, {}, NOW)).toThrow(/holds a NUL or a lone surrogate/);
      }
      // the nginx quoting refuses it on its own too, wherever it would be written (the service
      // is only ever written escaped, in a comment, and hashed)
      for (const doc of docs.slice(1)) expect(() => compileNginx(doc, {}, NOW)).toThrow(NginxTextError);
      expect(compileNginx(docs[0], {}, NOW).httpConf).toMatch(/^# Meshward policy for shop\/.*\\u(0000|d800|dfff)/);
    }
  });
});

describe('hostile identities are refused where they enter', () => {
  const NAMES: FieldNames = {
    ts: 'ts', method: 'method', path: 'path', query: 'query', status: 'status', durationMs: 'duration', durationSeconds: 'duration',
    bytesIn: 'in', bytesOut: 'out', proxyId: 'proxy_id', cluster: 'cluster', namespace: 'namespace', srcService: 'src_service',
    dstService: 'dst_service', serviceName: 'service_name',
  };
  const defaults: ParseDefaults = { proxyId: 'p1', now: NOW.getTime(), retentionDays: 30 };
  const base: RawRecord = { ts: NOW.toISOString(), tsFormat: 'iso8601', method: 'GET', path: '/ok', status: 200 };
  const refused = (over: Partial<RawRecord>) => normalizeRecord({ ...base, ...over }, 'envoy', defaults, NAMES).error;

  it('by ingest, by heartbeats and by policy edits, for every identity field', () => {
    const r = new Prng(4242);
    expect(refused({})).toBeUndefined();
    for (let i = 0; i < 400; i++) {
      const name = i % 2 ? hostileName(r) : hostile(r);
      expect(name).toMatch(OUTSIDE_EVERY_GRAMMAR);
      const label = JSON.stringify(name).slice(0, 80);
      expect(refused({ dstService: name }), label).toMatch(/^`dst_service` must be/);
      expect(refused({ srcService: name }), label).toMatch(/^`src_service` must be/);
      expect(refused({ namespace: name }), label).toMatch(/^`namespace` must be/);
      expect(refused({ cluster: name }), label).toMatch(/^`cluster` must be/);
      expect(refused({ proxyId: name }), label).toMatch(/^`proxy_id` must be/);
      expect(refused({ serviceName: name, namespace: 'shop' }), label).toMatch(/^`service_name` must be/);
      for (const field of ['proxy_id', 'service', 'cluster', 'node']) {
        expect(heartbeatSchema.safeParse({ proxy_id: 'gw-1', [field]: name }).success, `${field} ${label}`).toBe(false);
      }
      expect(allowRule.safeParse(rule(name, 'GET', '/ok')).success, label).toBe(false);
      expect(policyDocument.safeParse({ service: name, defaultAction: 'deny', allow: [], deny: [] }).success, label).toBe(false);
    }
  });
});

// Real nginx: the generated text for hostile documents passes `nginx -t` (several services in
// one http block, as on a gateway) and answers as the evaluator that read the text decides.
describe.skipIf(!hasNginx)(hasNginx ? 'hostile strings in a real nginx' : `hostile strings in a real nginx (skipped: ${NGINX} is not installed)`, () => {
  const r = new Prng(31337);
  // one policy per service, as on a gateway (two policies for one service would define the same variables)
  const docs = Array.from({ length: 8 }, () => hostileDoc(r)).map((d, i) => (d.service === 'shop/api' ? { ...d, service: `shop/api-${i}` } : d));
  let prefix: NginxPrefix;
  let conf: string;
  let ports: number[];

  beforeAll(async () => {
    prefix = new NginxPrefix();
    ports = [];
    for (let i = 0; i < docs.length; i++) ports.push(await freePort());
    const servers = docs.map((doc, i) => {
      const { httpConf, serverConf } = compileNginx(doc, { nginx: { clientAddressVariable: '$http_x_test_client_ip' } }, NOW);
      prefix.file(`http-${i}.conf`, httpConf);
      prefix.file(`server-${i}.conf`, serverConf);
      return `  include ${prefix.dir}/http-${i}.conf;\n  server {\n    listen 127.0.0.1:${ports[i]};\n    include ${prefix.dir}/server-${i}.conf;\n    location / { return 200 "ok\\n"; }\n  }`;
    });
    // the variables-hash settings the shipped nginx.conf carries, as a gateway with several services needs them
    conf = prefix.file('nginx.conf', `${prefix.preamble()}http {\n  access_log off;\n  ${VARIABLES_HASH}\n  ${prefix.tempPaths()}\n${servers.join('\n')}\n}\n`);
  });
  afterAll(() => prefix.close());

  it('nginx -t accepts every generated part, without warnings', () => {
    const t = prefix.test(conf);
    expect(t.output).toContain('syntax is ok');
    expect(t.status).toBe(0);
    expect(t.output).not.toMatch(/\[warn\]/);
  });

  it('answers 200 or 403 as the evaluator decides', async () => {
    await prefix.start(conf, ports);
    // what an HTTP/1.1 request line and header values can carry
    const sendablePath = (p: string) => /^\/[\x21-\x7e]*$/.test(p);
    const sendableHeader = (v: string) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(v);
    const mismatches: string[] = [];
    let sent = 0;
    let allowed = 0;
    for (const [i, doc] of docs.entries()) {
      const o = { nginx: { clientAddressVariable: '$http_x_test_client_ip' } };
      const { httpConf, serverConf } = compileNginx(doc, o, NOW);
      const ev = nginxEvaluator(httpConf, serverConf);
      for (const req of requestsOf(doc)) {
        const nreq = toNginxRequest(req, o);
        if (req.clientIp) nreq.headers['x-test-client-ip'] = req.clientIp;
        if (!sendablePath(req.path) || !Object.values(nreq.headers).every(sendableHeader)) continue;
        const status = await rawRequest(ports[i], req.method, req.path, nreq.headers);
        const model = ev(nreq);
        sent++;
        if (status === 200) allowed++;
        if ((status === 200 ? 'allow' : 'deny') !== model) mismatches.push(`doc ${i} ${req.method} ${q(req.path)} ${q(JSON.stringify(nreq.headers))}: nginx ${status}, evaluator ${model}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(sent).toBeGreaterThan(200);
    expect(allowed).toBeGreaterThan(10);
  });
});
