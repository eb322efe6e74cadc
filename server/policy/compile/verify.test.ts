// The check before signing must catch what escaped quoting: each format's output tampered the
// way an injection would change it is refused, and the untouched output passes.
import { describe, expect, it, vi } from 'vitest';
import { log } from '@/server/log';
import { compileBundle } from '../compile-bundle';
import { compileEnvoyRbac } from './envoy-rbac';
import { compilePolicy, CompiledOutputError } from './index';
import { compileIstio } from './istio';
import { compileMeshward } from './meshward';
import { compileNginx, nginxSources } from './nginx';
import { tokenizeNginx } from './nginx-text';
import { DOCS, NOW } from './test-corpus';
import { verifyEnvoy, verifyIstio, verifyMeshward, verifyNginx } from './verify';

const doc = DOCS[0];

describe('nginx output check', () => {
  const r = compileNginx(doc, {}, NOW);
  const check = (over: Partial<typeof r>) => () => verifyNginx({ ...r, ...over }, doc.service, nginxSources({}));

  it('passes the compiled text', () => expect(check({})).not.toThrow());

  it.each([
    ['a directive appended to the http part', { httpConf: `${r.httpConf}access_log off;\n` }],
    ['a directive hidden after a comment that did not end', { httpConf: r.httpConf.replace('\n', '\naccess_log off;\n') }],
    ['a map entry more', { httpConf: r.httpConf.replace('default 0;', 'default 0;\n    "~." 1;') }],
    ['a server check less', { serverConf: r.serverConf.split('\n').slice(0, -2).join('\n') + '\n' }],
    ['a block closed early', { httpConf: `${r.httpConf}}\n` }],
    ['an unterminated quote', { httpConf: r.httpConf.replace('"~^', '"~^"\\"') }],
  ])('refuses %s', (_what, over) => {
    expect(check(over)).toThrow(CompiledOutputError);
  });

  it('refuses directives outside the allowed shape even when text and structure agree', () => {
    const extra = { name: 'access_log', args: ['off'] };
    const http = [...r.http, extra];
    expect(() => verifyNginx({ ...r, http, httpConf: `${r.httpConf}access_log off;\n` }, doc.service, nginxSources({}))).toThrow(/unexpected http-level directive "access_log"/);
    const server = [...r.server, { name: 'if', args: ['($mw_000000000000_allow', '=', '0)'], block: [{ name: 'return', args: ['403'] }] }];
    const serverConf = `${r.serverConf}if ($mw_000000000000_allow = 0) { return 403; }\n`;
    expect(tokenizeNginx(serverConf)).toEqual(server);
    expect(() => verifyNginx({ ...r, server, serverConf }, doc.service, nginxSources({}))).toThrow(/which the http part does not define/);
  });
});

describe('Istio output check', () => {
  const r = compileIstio(doc, {}, NOW);
  it('passes the compiled text', () => expect(() => verifyIstio(r, doc.service)).not.toThrow());

  it.each([
    ['an extra document', `${r.yaml}---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nspec:\n  action: ALLOW\n  rules: [{}]\n`],
    ['a rule more', r.yaml.replace('  rules:\n', '  rules:\n    - {}\n')],
    ['a line separator', r.yaml.replace('# Meshward', '# Meshward\u2028')],
    ['YAML that does not parse', `${r.yaml}  - : [\n`],
  ])('refuses %s', (_what, yaml) => {
    expect(() => verifyIstio({ ...r, yaml }, doc.service)).toThrow(CompiledOutputError);
  });

  it('refuses objects Kubernetes would refuse, or an ALLOW rule that allows everything', () => {
    const [deny, allow] = r.objects;
    const bad = (objects: typeof r.objects) => () => verifyIstio({ objects, yaml: objects.map((o) => `---\n${JSON.stringify(o)}\n`).join('') }, doc.service);
    expect(bad([deny, { ...allow, spec: { ...allow.spec, rules: [{}] } }])).toThrow(/ALLOW rule without both a source and an operation/);
    expect(bad([deny, { ...allow, metadata: { ...allow.metadata, namespace: 'Shop' } }])).toThrow(/not a Kubernetes namespace/);
    expect(bad([deny])).toThrow(/0 ALLOW/);
    expect(bad([deny, allow])).not.toThrow();
  });
});

describe('Envoy and Meshward JSON checks', () => {
  it('refuse JSON that reads back as something else, or an ALLOW policy for anyone', () => {
    const e = compileEnvoyRbac(doc, {}, NOW);
    expect(() => verifyEnvoy(e, doc.service)).not.toThrow();
    expect(() => verifyEnvoy(e, doc.service, e.yaml)).not.toThrow();
    expect(() => verifyEnvoy({ ...e, json: e.json.replace('"action":"ALLOW","policies":{', '"action":"ALLOW","policies":{"x":{"permissions":[{"any":true}],"principals":[{"any":true}]},') }, doc.service)).toThrow(CompiledOutputError);
    expect(() => verifyEnvoy(e, doc.service, `${e.yaml}x: 1\n`)).toThrow(CompiledOutputError);
    const anyone = structuredClone(e.filters);
    Object.values((anyone[1] as any).typed_config.rules.policies as Record<string, any>)[0].principals.push({ any: true });
    expect(() => verifyEnvoy({ filters: anyone, json: JSON.stringify({ http_filters: anyone }) }, doc.service)).toThrow(/allows any caller/);

    const m = compileMeshward(doc, {}, NOW);
    expect(() => verifyMeshward(m, doc.service)).not.toThrow();
    expect(() => verifyMeshward({ ...m, json: m.json.replace('"allow":[', '"allow":[{"caller":"external","method":"GET","template":"/{x}","regex":".*"},') }, doc.service)).toThrow(CompiledOutputError);
  });
});

describe('compilePolicy and the bundle compiler', () => {
  it('refuse a document no format can carry (a NUL, a lone surrogate), logged, nothing returned', () => {
    const spy = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    try {
      for (const bad of [{ ...doc, deny: [{ kind: 'user' as const, value: 'a\u0000b', reason: 'x', expiresAt: null }] }, { ...doc, service: 'shop/\ud800' }]) {
        for (const format of ['meshward', 'envoy-rbac', 'istio', 'nginx'] as const) {
          expect(() => compilePolicy(bad, format, {}, NOW)).toThrow(/holds a NUL or a lone surrogate/);
          expect(() => compileBundle(bad, format, NOW, {})).toThrow(CompiledOutputError);
        }
      }
      expect(spy).toHaveBeenCalledTimes(8);
      expect(spy.mock.calls[0][1]).toBe('compiled policy refused: nothing signed');
      expect(spy.mock.calls[0][0]).toMatchObject({ format: 'meshward', code: 'compiled_output_rejected' });
    } finally {
      spy.mockRestore();
    }
  });
});
