import { describe, expect, it } from 'vitest';
import { EndpointRouter } from './endpoint-router';

function router(templates: string[], service = 'shop/users', method = 'GET') {
  return new EndpointRouter(templates.map((template, i) => ({ id: `ep${i}`, service, method, template })));
}

describe('EndpointRouter', () => {
  const r = router(['/users/{user_id}', '/users/me', '/users/{user_id}/cars/{car_id}', '/files/{file_id}.json', '/files/{file_id}', '/']);
  const hit = (path: string, method = 'GET', service = 'shop/users') => r.match(service, method, path)?.template ?? null;

  it('prefers literals, then parameters inside a segment, then whole-segment parameters', () => {
    expect(hit('/users/me')).toBe('/users/me');
    expect(hit('/users/8812')).toBe('/users/{user_id}');
    expect(hit('/files/a1.json')).toBe('/files/{file_id}.json');
    expect(hit('/files/a1.xml')).toBe('/files/{file_id}');
  });

  it('backtracks when the literal branch dead-ends', () => {
    expect(hit('/users/me/cars/3')).toBe('/users/{user_id}/cars/{car_id}');
  });

  it('ignores the query, a trailing slash and percent-encoding; method and service must match', () => {
    expect(hit('/users/42/?x=1')).toBe('/users/{user_id}');
    expect(hit('/users/%6De')).toBe('/users/me');
    expect(hit('/')).toBe('/');
    expect(hit('/users/42', 'post')).toBeNull();
    expect(hit('/users/42', 'get')).toBe('/users/{user_id}');
    expect(hit('/users/42', 'GET', 'shop/other')).toBeNull();
  });

  it('answers null for paths no template takes', () => {
    expect(hit('/users')).toBeNull();
    expect(hit('/users/1/cars')).toBeNull();
    expect(hit('/admin/users/1')).toBeNull();
    expect(router([]).match('s', 'GET', '/x')).toBeNull();
  });
});
