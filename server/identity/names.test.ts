import { describe, expect, it } from 'vitest';
import { isDnsSubdomain, isHostLike, isNamespace, isPrintableText, isProxyId, isServiceName, isSpiffeId } from './names';

describe('identity grammar', () => {
  it('namespaces are DNS-1123 labels', () => {
    for (const ok of ['shop', 'a', '0', 'kube-system', 'n'.repeat(63)]) expect(isNamespace(ok), ok).toBe(true);
    for (const bad of ['', 'Shop', '-a', 'a-', 'a.b', 'a_b', 'n'.repeat(64), 'a b', 'é', 'a\n']) expect(isNamespace(bad), bad).toBe(false);
  });

  it('services: namespace/name, a bare DNS-1123 name, a SPIFFE id, external, unknown; at most 253 characters', () => {
    const ok = ['shop/web', 'shop/web.v2', 'cart', 'api.stripe.com', 'external', 'unknown', 'spiffe://cluster.local/ns/shop/sa/web', 'spiffe://td/workload/42', 'spiffe://t_d/A.b-c_D'];
    for (const s of ok) expect(isServiceName(s), s).toBe(true);
    const bad = [
      '', 'shop/', '/web', 'shop//web', 'shop/web/x', 'Shop/web', 'shop/Web', 'shop/we b', 'shop/web;', 'shop/web\n', 'shop/-web', 'shop/web.',
      'spiffe://', 'spiffe://td', 'spiffe://td/', 'spiffe://TD/x', 'spiffe://td//x', 'spiffe://td/x/', 'spiffe://td/./x', 'spiffe://td/x/..', 'spiffe://td/a b',
      'spiffe://td/a%2Fb', 'SPIFFE://td/x', `shop/${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}`, 'x'.repeat(10_000),
    ];
    for (const s of bad) expect(isServiceName(s), JSON.stringify(s).slice(0, 60)).toBe(false);
    expect(isSpiffeId(`spiffe://td/${'a'.repeat(241)}`)).toBe(true);
    expect(isSpiffeId(`spiffe://td/${'a'.repeat(242)}`)).toBe(false);
    expect(isDnsSubdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`)).toBe(true);
    expect(isDnsSubdomain(`${'a'.repeat(64)}.b`)).toBe(false);
  });

  it('clusters and nodes are host-like; proxy ids are tokens', () => {
    for (const ok of ['prod-eu-1', 'EKS_Prod', 'ip-10-0-0-1.eu-west-1.compute.internal', 'a']) expect(isHostLike(ok), ok).toBe(true);
    for (const bad of ['', '-a', 'a-', 'a b', 'a/b', 'a:b', 'x'.repeat(254)]) expect(isHostLike(bad), bad).toBe(false);
    for (const ok of ['gw-1', 'p', '_x', 'sidecar~10.1.0.9~web-1.shop~shop.svc.cluster.local', 'ns/pod:8080@node', 'p'.repeat(128)]) expect(isProxyId(ok), ok).toBe(true);
    for (const bad of ['', '-p', '.p', '/p', 'p 1', 'p;', 'p\n', 'p'.repeat(129), 'é']) expect(isProxyId(bad), bad).toBe(false);
  });

  it('printable text has no control characters, line separators or lone surrogates', () => {
    expect(isPrintableText('mallory@example.com é 😀')).toBe(true);
    for (const bad of ['a\nb', 'a\rb', 'a\tb', '\u0000', '\u007f', '\u0085', '\u2028', '\u2029', '\ud800']) expect(isPrintableText(bad), JSON.stringify(bad)).toBe(false);
  });
});
