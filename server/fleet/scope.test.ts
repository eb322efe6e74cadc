import { describe, expect, it } from 'vitest';
import { inScope, serviceScopeSchema, splitScope } from './scope';

describe('proxy token service scope', () => {
  it('matches one service, a namespace, or everything', () => {
    expect(inScope(['shop/orders'], 'shop/orders')).toBe(true);
    expect(inScope(['shop/orders'], 'shop/orders-v2')).toBe(false);
    expect(inScope(['shop/orders'], 'shop')).toBe(false);
    expect(inScope(['shop/*'], 'shop/cart')).toBe(true);
    expect(inScope(['shop/*'], 'shop/')).toBe(false);
    expect(inScope(['shop/*'], 'shopping/cart')).toBe(false);
    expect(inScope(['shop/*'], 'shop/cart/extra')).toBe(false);
    expect(inScope(['shop/*'], 'payments/cards')).toBe(false);
    expect(inScope(['shop/*', 'payments/cards'], 'payments/cards')).toBe(true);
    expect(inScope(['*'], 'anything/at-all')).toBe(true);
    expect(inScope(['*'], 'unknown')).toBe(true);
    // events that name no destination are attributed to nobody: only a gateway token may send them
    expect(inScope(['shop/*'], 'unknown')).toBe(false);
  });

  it('accepts namespace/name, namespace/* and *, sorted without duplicates', () => {
    expect(serviceScopeSchema.parse(['shop/*', 'payments/cards', 'shop/*'])).toEqual(['payments/cards', 'shop/*']);
    expect(serviceScopeSchema.parse(['*'])).toEqual(['*']);
    expect(serviceScopeSchema.parse(['gateway'])).toEqual(['gateway']);
    expect(serviceScopeSchema.parse(['web/front.end-1'])).toEqual(['web/front.end-1']);
  });

  it('refuses an empty scope and anything that is not a pattern', () => {
    for (const bad of [[], [''], ['shop/'], ['*/orders'], ['sh*p/orders'], ['shop/*/x'], ['Shop/Orders'], ['shop/orders\n'.repeat(2)], ['a b'], ['shop/**'], ['-shop/x'], [`${'a'.repeat(64)}/x`]]) {
      expect(serviceScopeSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(serviceScopeSchema.safeParse([]).error?.issues[0].message).toContain('Name the services');
  });

  it('splits what a person types', () => {
    expect(splitScope(' shop/orders, shop/cart\npayments/* ')).toEqual(['shop/orders', 'shop/cart', 'payments/*']);
    expect(splitScope('  ')).toEqual([]);
  });
});
