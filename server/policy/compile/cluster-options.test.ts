// A mesh that is not a stock Kubernetes mesh: another trust domain, bookinfo-style service
// accounts (`bookinfo-<name>`), its own selector labels. The compilers must allow the real
// callers' identities and nothing made with the stock defaults.
import { describe, expect, it } from 'vitest';
import { compileOptionsOf, DEFAULT_CLUSTER_SETTINGS, type ClusterCompileSettings } from '../cluster-settings';
import type { PolicyDocument, PolicyRequest } from '../model';
import { compileEnvoyRbac } from './envoy-rbac';
import { envoyEvaluator, toEnvoyRequest } from './envoy-rbac-eval';
import { compilePolicy, CompiledOutputError } from './index';
import { compileIstio } from './istio';
import { istioEvaluator, toIstioRequest } from './istio-eval';
import { fillTemplate, isLabelKey, isLabelValue, isTrustDomain, serviceAccountOf } from './mesh-names';
import { compileNginx } from './nginx';
import { nginxEvaluator, toNginxRequest } from './nginx-eval';
import { NOW } from './test-corpus';
import { Prng } from '@/simulator/prng';
import { callerIdentity } from './identity';

const rule = (caller: string, method: string, template: string) => ({ caller, method, template, endpointId: null });

const doc: PolicyDocument = {
  service: 'bookinfo/reviews',
  defaultAction: 'deny',
  allow: [rule('bookinfo/productpage', 'GET', '/reviews/{id}'), rule('shop/web', 'GET', '/reviews/{id}'), rule('external', 'GET', '/health')],
  deny: [],
};

const bookinfo: ClusterCompileSettings = {
  trustDomain: 'prod.example',
  serviceAccountTemplate: '{namespace}-{name}',
  serviceAccounts: { 'shop/web': 'storefront' },
  selectorLabels: { app: '{name}', 'istio.io/rev': 'canary' },
  istioDryRun: false,
  istioAttach: 'workload',
};
const custom = compileOptionsOf(bookinfo);
const stock = compileOptionsOf(DEFAULT_CLUSTER_SETTINGS);

const productpage: PolicyRequest = { caller: 'bookinfo/productpage', method: 'GET', path: '/reviews/7' };
const web: PolicyRequest = { caller: 'shop/web', method: 'GET', path: '/reviews/7' };

describe('service accounts and trust domain from the cluster settings', () => {
  it('make the SPIFFE id callers present: template, then explicit exceptions', () => {
    expect(serviceAccountOf('bookinfo/productpage', { namespace: 'bookinfo', name: 'productpage' }, custom)).toBe('bookinfo-productpage');
    expect(serviceAccountOf('shop/web', { namespace: 'shop', name: 'web' }, custom)).toBe('storefront');
    // an exception only ever comes from the map itself, never from Object.prototype
    expect(serviceAccountOf('shop/constructor', { namespace: 'shop', name: 'constructor' }, custom)).toBe('shop-constructor');
  });

  it('Istio: principals in the cluster trust domain with the mapped accounts; stock identities are denied', () => {
    const { objects, yaml } = compileIstio(doc, custom, NOW);
    const allow = objects.find((o) => o.spec.action === 'ALLOW')!;
    expect(allow.spec.selector).toEqual({ matchLabels: { app: 'reviews', 'istio.io/rev': 'canary' } });
    expect(JSON.stringify(allow.spec.rules)).toContain('prod.example/ns/bookinfo/sa/bookinfo-productpage');
    expect(JSON.stringify(allow.spec.rules)).toContain('prod.example/ns/shop/sa/storefront');
    const ev = istioEvaluator(yaml);
    expect(ev(toIstioRequest(productpage, custom)).decision).toBe('allow');
    expect(ev(toIstioRequest(web, custom)).decision).toBe('allow');
    // what the stock defaults would have named (cluster.local, account = service name) is not let in
    expect(ev(toIstioRequest(productpage, stock)).decision).toBe('deny');
    expect(ev(toIstioRequest(web, stock)).decision).toBe('deny');
  });

  it('Istio: a stock-compiled policy denies the bookinfo mesh its own callers (why the settings exist)', () => {
    const ev = istioEvaluator(compileIstio(doc, stock, NOW).yaml);
    expect(ev(toIstioRequest(productpage, custom)).decision).toBe('deny');
  });

  it('Envoy RBAC: the same principals', () => {
    const ev = envoyEvaluator(compileEnvoyRbac(doc, custom, NOW).json);
    expect(ev(toEnvoyRequest(productpage, custom))).toBe('allow');
    expect(ev(toEnvoyRequest(web, custom))).toBe('allow');
    expect(ev(toEnvoyRequest(productpage, stock))).toBe('deny');
  });

  it('nginx reading SPIFFE URIs from an mTLS module: the same principals', () => {
    const o = { ...custom, nginx: { callerIdentity: 'spiffe' as const } };
    const r = compileNginx(doc, o, NOW);
    const ev = nginxEvaluator(r.httpConf, r.serverConf);
    expect(ev(toNginxRequest(productpage, o))).toBe('allow');
    expect(ev(toNginxRequest(productpage, { ...stock, nginx: o.nginx }))).toBe('deny');
  });

  it('dry-run marks every Istio object for staged rollout', () => {
    const o = compileOptionsOf({ ...bookinfo, istioDryRun: true });
    const dry = compileIstio({ ...doc, deny: [{ kind: 'ip', value: '192.0.2.1', reason: 'scan', expiresAt: null }] }, o, NOW);
    expect(dry.objects).toHaveLength(2);
    for (const obj of dry.objects) expect(obj.metadata.annotations['istio.io/dry-run']).toBe('true');
    expect(compileIstio(doc, custom, NOW).objects[0].metadata.annotations['istio.io/dry-run']).toBeUndefined();
    // and the bundle path reads it back as compiled
    expect(compilePolicy(doc, 'istio', o, NOW).body).toContain('istio.io/dry-run: "true"');
  });

  it('ambient mode: the policies name the Service for its waypoint instead of selecting pods, valid for the CRD', () => {
    const o = compileOptionsOf({ ...bookinfo, istioAttach: 'service' });
    const r = compileIstio({ ...doc, deny: [{ kind: 'ip', value: '192.0.2.1', reason: 'scan', expiresAt: null }] }, o, NOW);
    for (const obj of r.objects) {
      expect(obj.spec.targetRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews' }]);
      expect(obj.spec.selector).toBeUndefined();
    }
    const ev = istioEvaluator(r.yaml);
    expect(ev(toIstioRequest(productpage, o)).decision).toBe('allow');
    expect(ev(toIstioRequest(productpage, stock)).decision).toBe('deny');
    expect(compilePolicy(doc, 'istio', o, NOW).body).toContain('kind: Service');
    // a service name that is no Service name (dots) is refused, never written
    expect(() => compilePolicy({ ...doc, service: 'bookinfo/reviews.v2' }, 'istio', o, NOW)).toThrow(/targetRefs names Service "reviews.v2"/);
  });

  it('a selector label Kubernetes would refuse stops the bundle, never an object the API server drops', () => {
    const long = { ...doc, service: `bookinfo/${'r'.repeat(60)}` };
    const o = compileOptionsOf({ ...bookinfo, selectorLabels: { app: '{namespace}-{name}' } });
    expect(() => compilePolicy(long, 'istio', o, NOW)).toThrow(CompiledOutputError);
    expect(() => compilePolicy(long, 'istio', o, NOW)).toThrow(/selector label "app".*not a valid Kubernetes label/);
  });

  it('a template that makes no valid account leaves the caller out with a reason, never a wider principal', () => {
    const o = { ...custom, serviceAccountTemplate: '{name}-{name}-{name}-{name}-{name}' };
    const r = compileEnvoyRbac({ ...doc, allow: [rule(`shop/${'w'.repeat(60)}`, 'GET', '/a')] }, o, NOW);
    expect(r.omitted).toEqual([expect.objectContaining({ reason: expect.stringMatching(/service account made for .* is not a Kubernetes name/) })]);
  });
});

describe('mesh names', () => {
  it('fill only {namespace} and {name}', () => {
    expect(fillTemplate('{namespace}-{name}-sa', { namespace: 'shop', name: 'web' })).toBe('shop-web-sa');
    expect(fillTemplate('{other}', { namespace: 'shop', name: 'web' })).toBe('{other}');
  });

  it('check Kubernetes label keys and values and SPIFFE trust domains', () => {
    for (const k of ['app', 'app.kubernetes.io/name', 'istio.io/rev', 'A_b.c-d']) expect(isLabelKey(k), k).toBe(true);
    for (const k of ['', '-app', 'app-', 'a/b/c', 'UPPER.example/x', `${'a'.repeat(64)}`, 'a b', 'app\n']) expect(isLabelKey(k), k).toBe(false);
    for (const v of ['', 'web', 'v1.2_3', 'a'.repeat(63)]) expect(isLabelValue(v), v).toBe(true);
    for (const v of ['a'.repeat(64), '-web', 'web-', 'a/b', 'web\n', 'wéb']) expect(isLabelValue(v), v).toBe(false);
    for (const t of ['cluster.local', 'prod.example', 'td_1-x']) expect(isTrustDomain(t), t).toBe(true);
    for (const t of ['', 'Prod.example', 'a/b', 'td\n', '.', '..', 'td x']) expect(isTrustDomain(t), t).toBe(false);
  });

  it('hostile service names never pass through a template into a valid-looking label or principal', () => {
    const r = new Prng(4242);
    const alphabet = ['a', 'z', '0', '-', '.', '_', '/', '\n', '\u2028', '"', "'", ':', ' ', '*', '{', '}', '\u0000', 'é'];
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const name = Array.from({ length: 1 + r.int(70) }, () => r.pick(alphabet)).join('');
      const label = fillTemplate('{name}-x', { namespace: 'shop', name });
      if (isLabelValue(label)) expect(label).toMatch(/^[A-Za-z0-9._-]{1,63}$/);
      const id = callerIdentity(`shop/${name}`, custom);
      if (id.kind === 'spiffe') expect(id.uri).toMatch(/^spiffe:\/\/prod\.example\/ns\/shop\/sa\/shop-[a-z0-9.-]+$/);
      else refused++;
    }
    expect(refused).toBeGreaterThan(2500);
  });
});
