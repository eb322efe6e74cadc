import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { compilePolicy, POLICY_FORMATS } from './index';
import { AMBIGUOUS_PATH, MESHWARD_FORMAT } from './meshward';
import { DOCS, NOW } from './test-corpus';

describe('compilePolicy', () => {
  it('gives each format its content type and a body that parses', () => {
    const got = POLICY_FORMATS.map((f) => compilePolicy(DOCS[0], f, {}, NOW));
    expect(got.map((c) => [c.format, c.contentType])).toEqual([
      ['meshward', 'application/json'],
      ['envoy-rbac', 'application/json'],
      ['istio', 'application/yaml'],
      ['nginx', 'application/json'],
    ]);
    const [meshward, envoy, istio, nginx] = got;
    expect(JSON.parse(meshward.body).format).toBe(MESHWARD_FORMAT);
    expect(JSON.parse(envoy.body).http_filters).toHaveLength(2);
    expect(YAML.parseAllDocuments(istio.body).map((d) => d.toJS().kind)).toEqual(['AuthorizationPolicy', 'AuthorizationPolicy']);
    expect(Object.keys(JSON.parse(nginx.body))).toEqual(['service', 'http', 'server']);
    expect(compilePolicy(DOCS[0], 'envoy-rbac', { envoy: { encoding: 'yaml' } }, NOW)).toMatchObject({ contentType: 'application/yaml' });
  });

  it('is deterministic, and depends on the time only through the deny entries in force', () => {
    for (const f of POLICY_FORMATS) {
      const a = compilePolicy(DOCS[0], f, {}, NOW).body;
      expect(compilePolicy({ ...DOCS[0], allow: [...DOCS[0].allow].reverse(), deny: [...DOCS[0].deny].reverse() }, f, {}, NOW).body).toBe(a);
      expect(compilePolicy(DOCS[0], f, {}, new Date(NOW.getTime() + 1000)).body).toBe(a);
      // tok-later expires in 2027
      expect(compilePolicy(DOCS[0], f, {}, new Date('2027-06-01T00:00:00Z')).body).not.toBe(a);
    }
  });

  it('warns about the rule no format can match', () => {
    for (const f of POLICY_FORMATS) expect(compilePolicy(DOCS[3], f, {}, NOW).warnings.join('\n')).toMatch(/\/static\/%2Fetc left out/);
  });
});

describe('Meshward JSON', () => {
  it('is the canonical document with the deny entries in force and each rule’s anchored regex', () => {
    const b = JSON.parse(compilePolicy(DOCS[0], 'meshward', {}, NOW).body);
    expect(b.ambiguousPath).toBe(AMBIGUOUS_PATH);
    expect(b.deny.map((d: { value: string }) => d.value)).toEqual(['2001:db8::1', '203.0.113.0/24', 'tok-later', 'tok-stolen', 'mallory']);
    expect(b.allow.find((r: { template: string }) => r.template === '/files/{file_id}.json')).toEqual({
      caller: 'external', method: 'GET', template: '/files/{file_id}.json', endpointId: null, regex: '^/files/[^/]+\\.json$',
    });
    expect(b.allow.find((r: { template: string }) => r.template === '/').regex).toBe('^/$');
    const amb = new RegExp(b.ambiguousPath);
    for (const p of ['', 'a', '/a//b', '/a/./b', '/a/..', '/a/', '/a%2fb', '/a\\b', '/a#b', '/a%00']) expect(`${p}: ${amb.test(p)}`).toBe(`${p}: true`);
    for (const p of ['/', '/a', '/a/b.c', '/..a', '/a/...', '/%41']) expect(`${p}: ${amb.test(p)}`).toBe(`${p}: false`);
  });
});
