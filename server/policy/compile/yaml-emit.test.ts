import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from './yaml-emit';

describe('toYaml', () => {
  it('reads back as the same data, whatever the strings hold', () => {
    const tricky = ['true', 'No', 'null', '~', '123', '1e3', '0x1f', '.inf', '-', '- a', 'a: b', 'a #b', '#x', '*', '{*}', '/a/{*}', "it's", '"q"', 'a\\b', '', ' lead', 'trail ', 'é', 'tab\there', 'line\nbreak', '@x', '%x', '!x', '&x', '[x]', 'a,b', '?', ':x', 'x:'];
    const data = {
      apiVersion: 'security.istio.io/v1',
      metadata: { name: 'meshward-users-allow', labels: { 'app.kubernetes.io/managed-by': 'meshward' } },
      spec: {
        empty: [],
        none: {},
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }], to: [{ operation: { methods: ['GET'], paths: tricky } }] }, {}, { when: [{ key: 'request.headers[x-y]', values: tricky }] }],
        nested: [[1, 2], [], [{ a: [true, false, null] }]],
        n: 24,
      },
      [tricky[5]]: tricky,
    };
    expect(YAML.parse(toYaml(data))).toEqual(data);
  });

  it('writes plain what is plainly a name or a path', () => {
    expect(toYaml({ kind: 'AuthorizationPolicy', paths: ['/api/users/me', '/api/users/{*}'] })).toBe('kind: AuthorizationPolicy\npaths:\n  - /api/users/me\n  - "/api/users/{*}"\n');
  });
});
