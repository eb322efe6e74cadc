import { describe, expect, it } from 'vitest';
import { coarseRoute } from './route';

describe('coarse routes', () => {
  it.each([
    ['/api/user/8812/vehicle', '/api/user/{id}/vehicle'],
    ['/api/orders/3f2c1a9e-1b2c-4d5e-8f90-123456789abc', '/api/orders/{id}'],
    ['/v2/items/5f1d7a2b9c8e4d3f2a1b0c9d', '/v2/items/{id}'],
    ['/reports/2026-11-23/daily', '/reports/{id}/daily'],
    ['/users/me', '/users/me'],
    ['/api/v1/products/42.json', '/api/v1/products/{id}.json'],
    ['/oauth2/token', '/oauth2/token'],
    ['/users/alice@example.com', '/users/{id}'],
    ['/cart/', '/cart'],
    ['/', '/'],
    ['/static/app.js', '/static/app.js'],
    ['/orders/ORD20261123A77/lines', '/orders/{id}/lines'],
  ])('%s → %s', (path, route) => {
    expect(coarseRoute(path)).toBe(route);
  });
  it('bounds depth and length', () => {
    expect(coarseRoute(`/${'a/'.repeat(40)}`).split('/').length).toBeLessThanOrEqual(14);
    expect(coarseRoute(`/${'x'.repeat(500)}`).length).toBeLessThanOrEqual(201);
  });
});
