import { describe, expect, it } from 'vitest';
import { fillTemplate, serviceAccountOf, isServiceAccountName } from '@/server/policy/compile/mesh-names';
import { Prng } from '@/simulator/prng';
import { serviceOfAccount, type AccountMap } from './account-map';
import { canonicalService } from './service-identity';

const map = (template: string, exceptions: Record<string, string> = {}): AccountMap => ({ trustDomain: 'prod.example', template, exceptions });

describe('service accounts read back to their services', () => {
  it('reads the template backwards, exceptions first, only in the cluster trust domain', () => {
    const bookinfo = map('bookinfo-{name}', { 'shop/web': 'storefront' });
    expect(serviceOfAccount('prod.example', 'bookinfo', 'bookinfo-reviews', bookinfo)).toBe('bookinfo/reviews');
    expect(serviceOfAccount('prod.example', 'shop', 'storefront', bookinfo)).toBe('shop/web');
    // the exception is per namespace
    expect(serviceOfAccount('prod.example', 'other', 'storefront', bookinfo)).toBe('other/storefront');
    // an account the template did not make stays itself
    expect(serviceOfAccount('prod.example', 'bookinfo', 'default', bookinfo)).toBe('bookinfo/default');
    // a federated partner's ids are not this cluster's accounts
    expect(serviceOfAccount('partner.example', 'bookinfo', 'bookinfo-reviews', bookinfo)).toBe('bookinfo/bookinfo-reviews');
    expect(serviceOfAccount('prod.example', 'bookinfo', 'bookinfo-reviews', null)).toBe('bookinfo/bookinfo-reviews');
    expect(serviceOfAccount('prod.example', 'shop', 'shop-cart-sa', map('{namespace}-{name}-sa'))).toBe('shop/cart');
    expect(serviceOfAccount('prod.example', 'shop', 'cart-sa', map('{namespace}-{name}-sa'))).toBe('shop/cart-sa');
    expect(serviceOfAccount('prod.example', 'shop', 'cart.cart', map('{name}.{name}'))).toBe('shop/cart');
    expect(serviceOfAccount('prod.example', 'shop', 'cart.cat', map('{name}.{name}'))).toBe('shop/cart.cat');
    // `.` in a template is a dot, not any character
    expect(serviceOfAccount('prod.example', 'shop', 'sa-xcart', map('sa.{name}'))).toBe('shop/sa-xcart');
  });

  it('round-trips: the account the compilers make for a service is read back to that service', () => {
    const r = new Prng(99);
    const templates = ['{name}', 'bookinfo-{name}', '{namespace}-{name}', '{name}-sa', 'sa.{name}.{namespace}'];
    const word = () => Array.from({ length: 1 + r.int(12) }, () => r.pick([...'abcxyz019-.'])).join('');
    let checked = 0;
    for (let i = 0; i < 5000; i++) {
      const ns = `ns${r.int(5)}`;
      const name = word();
      if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(name) || name.includes('..')) continue;
      const template = r.pick(templates);
      const account = serviceAccountOf(`${ns}/${name}`, { namespace: ns, name }, { serviceAccountTemplate: template });
      if (!isServiceAccountName(account)) continue;
      expect(account).toBe(fillTemplate(template, { namespace: ns, name }));
      const back = serviceOfAccount('prod.example', ns, account, map(template));
      // `{namespace}-{name}` can be read two ways only when a name holds its own separators;
      // the reading is then still a service of that namespace that maps to the same account
      const [bns, bname] = back.split('/');
      expect(bns).toBe(ns);
      expect(fillTemplate(template, { namespace: ns, name: bname })).toBe(account);
      checked++;
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('applies to SPIFFE ids and certificate SAN lists on ingest', () => {
    const bookinfo = map('bookinfo-{name}');
    expect(canonicalService('spiffe://prod.example/ns/bookinfo/sa/bookinfo-productpage', bookinfo)).toEqual({ service: 'bookinfo/productpage' });
    expect(canonicalService('URI:spiffe://prod.example/ns/bookinfo/sa/bookinfo-productpage, DNS:pp.bookinfo.svc', bookinfo)).toEqual({ service: 'bookinfo/productpage' });
    expect(canonicalService('spiffe://cluster.local/ns/bookinfo/sa/bookinfo-productpage', bookinfo)).toEqual({ service: 'bookinfo/bookinfo-productpage' });
    // a plain service name is not an account: never rewritten
    expect(canonicalService('bookinfo/bookinfo-productpage', bookinfo)).toEqual({ service: 'bookinfo/bookinfo-productpage' });
  });
});
