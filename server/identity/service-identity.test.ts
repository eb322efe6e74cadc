import { describe, expect, it } from 'vitest';
import { canonicalService, MAX_SAN_LIST, serviceOfSpiffeId } from './service-identity';

const service = (v: string) => canonicalService(v).service;
const refusal = (v: string) => canonicalService(v).error;

describe('canonicalService: one spelling for an identity', () => {
  it('names an Istio SPIFFE id namespace/service-account, in any trust domain', () => {
    expect(service('spiffe://cluster.local/ns/shop/sa/cart')).toBe('shop/cart');
    expect(service('spiffe://prod.example.com/ns/bookinfo/sa/bookinfo-reviews')).toBe('bookinfo/bookinfo-reviews');
    expect(service('spiffe://td/ns/shop/sa/web.v2')).toBe('shop/web.v2');
    expect(serviceOfSpiffeId('spiffe://td/ns/a/sa/b')).toBe('a/b');
  });

  it('keeps other SPIFFE paths (and Istio-like paths outside the Kubernetes grammar) as full SPIFFE ids', () => {
    for (const id of ['spiffe://td/workload/42', 'spiffe://td/ns/shop', 'spiffe://td/ns/shop/sa/web/x', 'spiffe://td/ns/Shop/sa/web',
      'spiffe://td/ns/shop/sa/Web', 'spiffe://td/ns/shop/sa/-web', 'spiffe://td/sa/web/ns/shop', `spiffe://td/ns/${'n'.repeat(64)}/sa/web`]) {
      expect(service(id), id).toBe(id);
    }
  });

  it('keeps service names as they are', () => {
    for (const name of ['shop/web', 'cart', 'api.stripe.com', 'external', 'unknown']) expect(service(name), name).toBe(name);
  });

  it('reads SAN lists as Envoy and OpenSSL print them', () => {
    expect(service('spiffe://cluster.local/ns/shop/sa/web,spiffe://cluster.local/ns/shop/sa/web')).toBe('shop/web');
    expect(service('URI:spiffe://cluster.local/ns/shop/sa/web')).toBe('shop/web');
    expect(service('URI:spiffe://cluster.local/ns/shop/sa/web,DNS:web.shop.svc.cluster.local')).toBe('shop/web');
    expect(service('DNS:web.shop.svc, URI:spiffe://cluster.local/ns/shop/sa/web')).toBe('shop/web');
    expect(service('dns:x.example, spiffe://td/ns/a/sa/b')).toBe('a/b');
    expect(service('https://partner.example/client,spiffe://td/workload/7')).toBe('spiffe://td/workload/7');
    // a certificate without a SPIFFE id names no workload
    expect(canonicalService('https://partner.example/client')).toEqual({ service: null });
    expect(canonicalService('DNS:web.example.com')).toEqual({ service: null });
    expect(canonicalService('DNS:*.example.com,IP Address:10.0.0.1,email:ops@example.com')).toEqual({ service: null });
  });

  it('refuses a list with two different SPIFFE ids rather than choosing one', () => {
    expect(refusal('spiffe://td/ns/a/sa/b,spiffe://td/ns/c/sa/d')).toMatch(/must name one SPIFFE id/);
  });

  it('refuses hostile spellings, never trimming them into valid names', () => {
    const hostile = [
      // line breaks and separators, in a name, a SPIFFE id and a list
      'shop/web\n', 'spiffe://cluster.local/ns/shop/sa/web\n', 'spiffe://cluster.local/ns/shop/sa/web\u2028x', 'spiffe://td/ns/a/sa/b\u2029',
      'URI:spiffe://td/ns/a/sa/b\r\nDNS:x', 'DNS:x\n,spiffe://td/ns/a/sa/b', 'spiffe://td/ns/a/sa/b,DNS:x\u2028', 'spiffe://td/ns/a/sa/b\u0000',
      'spiffe://td/ns/a/sa/b\u0085', 'spiffe://td/ns/a/sa/b\t',
      // dot segments and other path tricks
      'spiffe://td/ns/../sa/b', 'spiffe://td/ns/a/sa/..', 'spiffe://td/ns/a/sa/.', 'spiffe://td/ns/a/sa/b/..', 'spiffe://td//ns/a/sa/b',
      'spiffe://td/ns/a/sa/b/', 'spiffe://td/ns/a/sa/b%2F..', 'spiffe://td/ns/a/sa/b?x', 'spiffe://td/ns/a/sa/b#x', 'URI:spiffe://td/ns/a/sa/../x',
      // spaces and casing: not trimmed
      ' spiffe://td/ns/a/sa/b', 'spiffe://td/ns/a/sa/b ', 'spiffe://td/ns/a/sa/b,  DNS:x', ' shop/web', 'SPIFFE://td/ns/a/sa/b', 'spiffe://TD/ns/a/sa/b',
      'spiffe://td/ns/a/sa/b, ', ',spiffe://td/ns/a/sa/b', 'spiffe://td/ns/a/sa/b,,DNS:x', 'URI:', 'spiffe:', 'spiffe://', 'spiffe://td',
      // not identities at all
      'a: b', 'shop/{web}', 'shop/web;', 'spiffe://td/ns/a/sa/wéb', '\ud800',
      // very long: a 254-character SPIFFE id, a list past the cap, 10 KB
      `spiffe://td/ns/shop/sa/${'a'.repeat(231)}`, `DNS:x,${'spiffe://td/ns/a/sa/b,'.repeat(120)}spiffe://td/ns/a/sa/b`, 'x'.repeat(10_000),
      `spiffe://td/ns/a/sa/${'b'.repeat(MAX_SAN_LIST)}`,
    ];
    for (const v of hostile) {
      const r = canonicalService(v);
      expect(r.service, JSON.stringify(v).slice(0, 80)).toBeUndefined();
      expect(r.error, JSON.stringify(v).slice(0, 80)).toMatch(/^must be a service name/);
    }
  });

  it('accepts the longest forms', () => {
    const sa = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(38)}`;
    const id = `spiffe://td/ns/shop/sa/${sa}`;
    expect(id).toHaveLength(253);
    expect(service(id)).toBe(`shop/${sa}`);
    const list = `${'DNS:x.example,'.repeat(100)}${id}`;
    expect(list.length).toBeLessThanOrEqual(MAX_SAN_LIST);
    expect(service(list)).toBe(`shop/${sa}`);
  });
});
