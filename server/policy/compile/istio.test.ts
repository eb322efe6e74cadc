import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../model';
import { compileIstio, objectStem } from './istio';
import { istioEvaluator, normalizeIstioPath, toIstioRequest } from './istio-eval';
import { DOCS, NOW } from './test-corpus';

// CI lays shared/ beside the repository, as on a developer's machine.
const CRD = path.resolve(import.meta.dirname, '../../../../shared/schemas/istio-authorizationpolicy.crd.yaml');

function crdValidator() {
  if (!existsSync(CRD)) throw new Error(`the Istio CRD is missing: expected ${CRD} (shared/ beside the repository)`);
  const crd = YAML.parse(readFileSync(CRD, 'utf8'));
  const v1 = crd.spec.versions.find((v: { name: string }) => v.name === 'v1');
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(v1.schema.openAPIV3Schema);
}

const rule = (caller: string, method: string, template: string) => ({ caller, method, template, endpointId: null });

describe('Istio AuthorizationPolicy', () => {
  const validate = crdValidator();

  it('every generated object is valid against the v1 CRD schema', () => {
    const many: PolicyDocument = {
      service: 'big/api',
      defaultAction: 'deny',
      // distinct caller sets per endpoint: more than 512 rules, so the ALLOW policy is split
      allow: Array.from({ length: 600 }, (_, i) => [rule(`ns/c${i}`, 'GET', `/items/${i}/{id}`), rule(`ns/c${i + 1}`, 'GET', `/items/${i}/{id}`)]).flat(),
      deny: [],
    };
    const objects = [...DOCS, many].flatMap((d) => compileIstio(d, {}, NOW).objects);
    expect(objects.length).toBeGreaterThan(5);
    for (const o of objects) {
      const name = o.metadata.name;
      expect(validate(o) ? 'valid' : `${name}: ${JSON.stringify(validate.errors)}`).toBe('valid');
    }
    const split = compileIstio(many, {}, NOW).objects.filter((o) => o.spec.action === 'ALLOW');
    expect(split.map((o) => o.metadata.name)).toEqual(['meshward-api-allow-1', 'meshward-api-allow-2']);
    expect(split.every((o) => o.spec.rules.length <= 512)).toBe(true);
  });

  it('the validator refuses what the CRD forbids, so the check above can fail', () => {
    const [o] = compileIstio(DOCS[0], {}, NOW).objects;
    expect(validate({ ...o, spec: { ...o.spec, action: 'PERMIT' } })).toBe(false);
    expect(validate({ ...o, spec: { ...o.spec, rules: Array(513).fill({}) } })).toBe(false);
  });

  it('writes principals, notPrincipals for external, {*} paths, and a DENY policy for the deny list in force', () => {
    const { objects, yaml } = compileIstio(DOCS[0], {}, NOW);
    expect(YAML.parseAllDocuments(yaml).map((d) => d.toJS())).toEqual(objects);
    const [deny, allow] = objects;
    expect(deny.spec.action).toBe('DENY');
    expect(deny.metadata).toMatchObject({ name: 'meshward-users-deny', namespace: 'shop' });
    expect(deny.spec.selector).toEqual({ matchLabels: { app: 'users' } });
    expect(deny.spec.rules).toEqual([
      { from: [{ source: { remoteIpBlocks: ['2001:db8::1', '203.0.113.0/24', '::ffff:203.0.113.0/120'] } }] },
      { when: [{ key: 'request.headers[x-meshward-token-id]', values: ['tok-later', 'tok-stolen'] }] },
      { when: [{ key: 'request.headers[x-meshward-user]', values: ['mallory'] }] },
    ]);
    const froms = allow.spec.rules.flatMap((r: { from: unknown[] }) => r.from);
    expect(froms).toContainEqual({ source: { notPrincipals: ['*'] } });
    expect(froms).toContainEqual({ source: { principals: ['cluster.local/ns/shop/sa/web'] } });
    expect(froms).toContainEqual({ source: { principals: ['partner.example/ns/acme/sa/sync'] } });
    const paths = allow.spec.rules.flatMap((r: { to: { operation: { paths: string[] } }[] }) => r.to.flatMap((t) => t.operation.paths));
    expect(paths).toEqual(expect.arrayContaining(['/', '/api/users/me', '/api/users/{*}', '/api/users/{*}/orders/{*}']));
    expect(paths.some((p: string) => p.includes('.json') || p.includes('{version}'))).toBe(false);
  });

  it('an empty whitelist is an ALLOW policy without rules, which allows nothing', () => {
    const { objects, yaml } = compileIstio(DOCS[2], {}, NOW);
    expect(objects).toHaveLength(1);
    expect(objects[0].spec).toEqual({ selector: { matchLabels: { app: 'invoices' } }, action: 'ALLOW' });
    const ev = istioEvaluator(yaml);
    expect(ev(toIstioRequest({ caller: 'external', method: 'GET', path: '/' }, {})).decision).toBe('deny');
  });

  it('options: namespace, labels, trust domain, service accounts, direct IPs, the user from the JWT', () => {
    const doc: PolicyDocument = {
      service: 'shop/users',
      defaultAction: 'deny',
      allow: [rule('shop/web', 'GET', '/a/{id}')],
      deny: [{ kind: 'user', value: 'mallory', reason: 'abuse', expiresAt: null }, { kind: 'ip', value: '192.0.2.1', reason: 'scan', expiresAt: null }],
    };
    const o = { trustDomain: 'prod.example', serviceAccounts: { 'shop/web': 'web-sa' }, ipSource: 'direct' as const, istio: { namespace: 'mesh', labelKey: 'app.kubernetes.io/name', userSource: 'jwt-sub' as const } };
    const { objects, yaml } = compileIstio(doc, o, NOW);
    expect(objects.map((x) => x.metadata.namespace)).toEqual(['mesh', 'mesh']);
    expect(objects[1].spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'users' } });
    expect(objects[1].spec.rules[0].from).toEqual([{ source: { principals: ['prod.example/ns/shop/sa/web-sa'] } }]);
    expect(objects[0].spec.rules).toEqual([
      { from: [{ source: { ipBlocks: ['192.0.2.1', '::ffff:192.0.2.1'] } }] },
      { when: [{ key: 'request.auth.claims[sub]', values: ['mallory'] }] },
    ]);
    const ev = istioEvaluator(yaml);
    const req = (r: object) => ev(toIstioRequest({ caller: 'shop/web', method: 'GET', path: '/a/1', ...r }, o)).decision;
    expect(req({})).toBe('allow');
    expect(req({ userId: 'mallory' })).toBe('deny');
    expect(req({ clientIp: '192.0.2.1' })).toBe('deny');
    expect(ev(toIstioRequest({ caller: 'shop/web', method: 'GET', path: '/a/1' }, {})).decision).toBe('deny');
  });

  it('warns when a denied value would be read as a wildcard, and leaves out principals that would be', () => {
    const doc: PolicyDocument = {
      service: 'shop/users',
      defaultAction: 'deny',
      allow: [rule('spiffe://td/ns/x/sa/*', 'GET', '/a')],
      deny: [{ kind: 'token', value: 'abc*', reason: 'test', expiresAt: null }],
    };
    const { warnings, omitted } = compileIstio(doc, {}, NOW);
    expect(warnings.join('\n')).toMatch(/denied token "abc\*" .* wildcard/);
    expect(omitted).toEqual([expect.objectContaining({ caller: 'spiffe://td/ns/x/sa/*', template: '/a' })]);
  });
});

describe('Istio object names', () => {
  it('keep a short DNS-label name as it is, and never give two services of a namespace the same objects', () => {
    const names = (service: string) => compileIstio({ service, defaultAction: 'deny', allow: [], deny: [] }, {}, NOW).objects.map((o) => o.metadata.name);
    expect(names('shop/users')).toEqual(['meshward-users-allow']);
    const long = 'card-authorization-service-primary-region';
    const pairs = [['shop/web.v2', 'shop/web-v2'], [`shop/${long}-eu`, `shop/${long}-us`], ['shop/a.b', 'shop/a-b']];
    for (const [a, b] of pairs) {
      expect(names(a)).not.toEqual(names(b));
      for (const n of [...names(a), ...names(b)]) expect(n).toMatch(/^meshward-[a-z0-9-]{1,40}-allow$/);
    }
    expect(objectStem('web.v2')).toMatch(/^web-v2-[0-9a-f]{8}$/);
  });
});

describe('Istio path normalization, as documented', () => {
  it.each([
    ['/some%2fdata/%61%62%63', 'DECODE_AND_MERGE_SLASHES', '/some/data/abc'],
    ['/some%2fdata/%61%62%63', 'BASE', '/some%2fdata/abc'],
    ['/some\\data', 'BASE', '/some/data'],
    ['/some//data///abc', 'MERGE_SLASHES', '/some/data/abc'],
    ['/some//data', 'BASE', '/some//data'],
    ['/public/./data/abc/../xyz', 'BASE', '/public/data/xyz'],
    ['/a/%2e%2e/b?x=../y', 'BASE', '/b?x=../y'],
    ['/a/%252e', 'BASE', '/a/%252e'],
    ['/a/b/..', 'BASE', '/a/'],
    ['/a%00', 'BASE', null],
    ['/a%00', 'NONE', null],
    ['/a/../b', 'NONE', '/a/../b'],
  ] as const)('%s with %s → %s', (raw, mode, expected) => {
    expect(normalizeIstioPath(raw, mode)).toBe(expected);
  });

  it('the reason for DECODE_AND_MERGE_SLASHES: without it, {*} takes what the reference refuses', () => {
    const { yaml, warnings } = compileIstio(DOCS[0], {}, NOW);
    expect(warnings.join('\n')).toMatch(/DECODE_AND_MERGE_SLASHES/);
    const decide = (mode: 'NONE' | 'BASE' | 'DECODE_AND_MERGE_SLASHES', p: string) =>
      istioEvaluator(yaml, mode)(toIstioRequest({ caller: 'shop/web', method: 'GET', path: p }, {}));
    // an encoded slash inside a parameter reaches a service that may decode it
    expect(decide('NONE', '/api/users/a%2Fb')).toEqual({ decision: 'allow', path: '/api/users/a%2Fb' });
    expect(decide('BASE', '/api/users/a%2Fb')).toEqual({ decision: 'allow', path: '/api/users/a%2Fb' });
    expect(decide('NONE', '/api/users/..')).toEqual({ decision: 'allow', path: '/api/users/..' });
    // decoded first, the path has one more segment and no rule takes it
    expect(decide('DECODE_AND_MERGE_SLASHES', '/api/users/a%2Fb').decision).toBe('deny');
    // dot segments resolved: the service receives the resolved path, which is whitelisted
    expect(decide('DECODE_AND_MERGE_SLASHES', '/api/x/../users/42')).toEqual({ decision: 'allow', path: '/api/users/42' });
  });
});
