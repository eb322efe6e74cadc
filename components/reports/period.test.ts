import { describe, expect, it } from 'vitest';
import { listOf, periodOf } from './period';

const now = new Date('2026-12-06T15:30:00Z');

describe('report periods', () => {
  it('covers the previous calendar month in UTC, across a year end', () => {
    expect(periodOf('prev_month', now)).toEqual({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
    expect(periodOf('prev_month', new Date('2027-01-03T00:00:00Z'))).toEqual({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
  });

  it('counts back from now for the rolling choices', () => {
    expect(periodOf('last_7d', now)).toEqual({ from: new Date('2026-11-29T15:30:00Z'), to: now });
  });

  it('takes custom dates inclusively, never past now, and refuses incomplete or backwards ones', () => {
    expect(periodOf('custom', now, { from: '2026-11-01', to: '2026-11-30' })).toEqual({ from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') });
    expect(periodOf('custom', now, { from: '2026-12-01', to: '2026-12-06' })!.to).toEqual(now);
    expect(periodOf('custom', now, { from: '2026-12-02', to: '2026-12-01' })).toBeNull();
    expect(periodOf('custom', now, { from: '', to: '2026-12-01' })).toBeNull();
  });

  it('splits scope lists on commas and spaces', () => {
    expect(listOf(' shop/cart, payments/api ,,shop/cart\npayments/ledger')).toEqual(['shop/cart', 'payments/api', 'payments/ledger']);
  });
});
