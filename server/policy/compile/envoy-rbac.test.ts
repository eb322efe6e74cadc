import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '@/server/discovery/template';
import type { PolicyDocument } from '../model';
import { compileEnvoyRbac, pathPermission, RBAC_TYPE, re2SizeEstimate } from './envoy-rbac';
import { envoyEvaluator, toEnvoyRequest } from './envoy-rbac-eval';
import { DOCS, NOW } from './test-corpus';

const rule = (caller: string, method: string, template: string) => ({ caller, method, template, endpointId: null });

describe('Envoy RBAC', () => {
  it('is a DENY filter then an ALLOW filter, as JSON and as YAML of the same object', () => {
    const r = compileEnvoyRbac(DOCS[0], {}, NOW);
    expect(r.filters.map((f: any) => [f.name, f.typed_config['@type'], f.typed_config.rules.action])).toEqual([
      ['meshward.rbac.deny', RBAC_TYPE, 'DENY'],
      ['meshward.rbac.allow', RBAC_TYPE, 'ALLOW'],
    ]);
    expect(JSON.parse(r.json)).toEqual({ http_filters: r.filters });
    expect(YAML.parse(r.yaml)).toEqual({ http_filters: r.filters });
    expect(r.yaml).not.toMatch(/[&*]a\d/); // no YAML anchors: each matcher written out
  });

  it('denied actors: token and user headers, client blocks (both spellings), expired entries left out', () => {
    const deny = (compileEnvoyRbac(DOCS[0], {}, NOW).filters[0] as any).typed_config.rules.policies;
    expect(Object.keys(deny).sort()).toEqual(['denied-ips', 'denied-tokens', 'denied-users']);
    expect(deny['denied-tokens'].principals).toEqual([
      { header: { name: 'x-meshward-token-id', string_match: { exact: 'tok-later' } } },
      { header: { name: 'x-meshward-token-id', string_match: { exact: 'tok-stolen' } } },
    ]);
    expect(deny['denied-users'].principals).toEqual([{ header: { name: 'x-meshward-user', string_match: { exact: 'mallory' } } }]);
    expect(deny['denied-ips'].principals).toEqual([
      { remote_ip: { address_prefix: '2001:db8::1', prefix_len: 128 } },
      { remote_ip: { address_prefix: '203.0.113.0', prefix_len: 24 } },
      { remote_ip: { address_prefix: '::ffff:203.0.113.0', prefix_len: 120 } },
    ]);
    const direct = (compileEnvoyRbac(DOCS[0], { ipSource: 'direct', tokenHeader: 'X-Token' }, NOW).filters[0] as any).typed_config.rules.policies;
    expect(direct['denied-ips'].principals[0]).toEqual({ direct_remote_ip: { address_prefix: '2001:db8::1', prefix_len: 128 } });
    expect(direct['denied-tokens'].principals[0].header.name).toBe('x-token');
  });

  it('principals: the SPIFFE id exactly, and for external no authenticated principal', () => {
    const allow = (compileEnvoyRbac(DOCS[0], {}, NOW).filters[1] as any).typed_config.rules.policies;
    const principals = Object.values(allow).flatMap((p: any) => p.principals);
    expect(principals).toContainEqual({ authenticated: { principal_name: { exact: 'spiffe://cluster.local/ns/shop/sa/web' } } });
    expect(principals).toContainEqual({ authenticated: { principal_name: { exact: 'spiffe://partner.example/ns/acme/sa/sync' } } });
    expect(principals).toContainEqual({ not_id: { authenticated: { principal_name: { safe_regex: { regex: '[\\s\\S]+' } } } } });
  });

  it('paths: exact without parameters, a regex with them, prefix/suffix split for long ones', () => {
    const p = (t: string) => pathPermission(parseTemplate(t), 100);
    expect(p('/api/users/me')).toEqual({ url_path: { path: { exact: '/api/users/me' } } });
    expect(p('/')).toEqual({ url_path: { path: { exact: '/' } } });
    expect(p('/files/{id}.json')).toEqual({ url_path: { path: { safe_regex: { regex: '/files/[!-.0-~]+\\.json' } } } });
    const long = `/static/${'x'.repeat(80)}/{id}/tail`;
    expect(p(long)).toEqual({
      and_rules: {
        rules: [
          { url_path: { path: { prefix: `/static/${'x'.repeat(80)}/` } } },
          { url_path: { path: { suffix: '/tail' } } },
          { url_path: { path: { safe_regex: { regex: '/[!-.0-~]+/[!-.0-~]+/[!-.0-~]+/[!-.0-~]+' } } } },
        ],
      },
    });
    expect(p(`/a/{x}/${'y'.repeat(100)}/{z}`)).toMatch(/RE2 program size/);
    expect(re2SizeEstimate(parseTemplate('/api/users/{id}'))).toBeLessThan(30);
  });

  it('a higher RE2 limit takes what the default leaves out', () => {
    const doc: PolicyDocument = { service: 's/x', defaultAction: 'deny', allow: [rule('s/y', 'GET', `/a/{x}/${'y'.repeat(100)}/{z}`)], deny: [] };
    expect(compileEnvoyRbac(doc, {}, NOW).omitted).toHaveLength(1);
    const wide = compileEnvoyRbac(doc, { envoy: { regexProgramSizeLimit: 300 } }, NOW);
    expect(wide.omitted).toEqual([]);
    const ev = envoyEvaluator(wide.json);
    expect(ev(toEnvoyRequest({ caller: 's/y', method: 'GET', path: `/a/1/${'y'.repeat(100)}/2` }, {}))).toBe('allow');
  });

  it('an empty whitelist allows nothing; a request without a TLS peer is external', () => {
    const ev = envoyEvaluator(compileEnvoyRbac(DOCS[2], {}, NOW).json);
    expect(ev(toEnvoyRequest({ caller: 'external', method: 'GET', path: '/' }, {}))).toBe('deny');
    const users = envoyEvaluator(compileEnvoyRbac(DOCS[0], {}, NOW).json);
    const base = { method: 'GET', path: '/api/users/me', headers: {}, remoteIp: null, directRemoteIp: null };
    expect(users({ ...base, peerUriSans: null })).toBe('allow');
    // a TLS peer whose certificate names nobody is still no authenticated principal
    expect(users({ ...base, peerUriSans: [] })).toBe('allow');
    expect(users({ ...base, path: '/api/users/42', peerUriSans: [] })).toBe('deny');
  });
});

// The fields of envoy.extensions.filters.http.rbac.v3.RBAC and envoy.config.rbac.v3 this
// compiler may write, by message: Envoy refuses a static config with a field it does not know.
type Shape = Record<string, string | null>;
const SHAPES: Record<string, Shape> = {
  HttpFilter: { name: null, typed_config: 'RBAC' },
  RBAC: { '@type': null, rules: 'Rules' },
  Rules: { action: null, policies: 'PolicyMap' },
  Policy: { permissions: 'Permission[]', principals: 'Principal[]' },
  Permission: { and_rules: 'PermissionSet', or_rules: 'PermissionSet', not_rule: 'Permission', any: null, header: 'HeaderMatcher', url_path: 'PathMatcher' },
  PermissionSet: { rules: 'Permission[]' },
  Principal: { and_ids: 'PrincipalSet', or_ids: 'PrincipalSet', not_id: 'Principal', any: null, authenticated: 'Authenticated', header: 'HeaderMatcher', remote_ip: 'CidrRange', direct_remote_ip: 'CidrRange' },
  PrincipalSet: { ids: 'Principal[]' },
  Authenticated: { principal_name: 'StringMatcher' },
  HeaderMatcher: { name: null, string_match: 'StringMatcher' },
  PathMatcher: { path: 'StringMatcher' },
  StringMatcher: { exact: null, prefix: null, suffix: null, contains: null, safe_regex: 'RegexMatcher', ignore_case: null },
  RegexMatcher: { regex: null },
  CidrRange: { address_prefix: null, prefix_len: null },
};
function unknownFields(v: any, shape: string, at: string): string[] {
  if (shape.endsWith('[]')) return (v as any[]).flatMap((x, i) => unknownFields(x, shape.slice(0, -2), `${at}[${i}]`));
  if (shape === 'PolicyMap') return Object.entries(v).flatMap(([k, p]) => unknownFields(p, 'Policy', `${at}.${k}`));
  const fields = SHAPES[shape];
  return Object.entries(v).flatMap(([k, x]) => (!(k in fields) ? [`${at}.${k} (${shape})`] : fields[k] ? unknownFields(x, fields[k]!, `${at}.${k}`) : []));
}

describe('Envoy RBAC fields', () => {
  it('every field written exists in the RBAC protos', () => {
    for (const doc of DOCS) {
      const { filters } = compileEnvoyRbac(doc, { ipSource: 'direct' }, NOW);
      expect(filters.flatMap((f, i) => unknownFields(f, 'HttpFilter', `http_filters[${i}]`))).toEqual([]);
      expect(unknownFields({ ...filters[0], stat_prefix: 'x' }, 'HttpFilter', 'f')).toEqual(['f.stat_prefix (HttpFilter)']);
    }
  });
});

describe('callers the proxy cannot tell apart', () => {
  it('share only what all of them may do, with a warning', () => {
    const doc: PolicyDocument = {
      service: 'shop/users',
      defaultAction: 'deny',
      allow: [rule('shop/web', 'GET', '/a'), rule('shop/web', 'GET', '/b'), rule('shop/web-canary', 'GET', '/a')],
      deny: [],
    };
    const o = { serviceAccounts: { 'shop/web-canary': 'web' } };
    const r = compileEnvoyRbac(doc, o, NOW);
    expect(r.warnings.join('\n')).toMatch(/shop\/web, shop\/web-canary share the identity spiffe:\/\/cluster\.local\/ns\/shop\/sa\/web/);
    expect(r.omitted).toEqual([expect.objectContaining({ caller: 'shop/web', template: '/b' })]);
    const ev = envoyEvaluator(r.json);
    expect(ev(toEnvoyRequest({ caller: 'shop/web', method: 'GET', path: '/a' }, o))).toBe('allow');
    expect(ev(toEnvoyRequest({ caller: 'shop/web-canary', method: 'GET', path: '/b' }, o))).toBe('deny');
  });

  it('a caller with no identity to map is left out, with a warning', () => {
    const doc: PolicyDocument = { service: 'shop/users', defaultAction: 'deny', allow: [rule('web', 'GET', '/a')], deny: [] };
    const r = compileEnvoyRbac(doc, {}, NOW);
    expect(r.warnings.join('\n')).toMatch(/caller "web" is neither/);
    expect(r.omitted).toHaveLength(1);
  });
});
