// Issue 9 item 1, as reported: a `dst_service` holding a newline reached the nginx and Istio
// compilers unescaped. The signed nginx bundle carried `access_log off;` (and passed nginx -t);
// the Istio bundle carried an extra mesh-wide `ALLOW rules: [{}]` AuthorizationPolicy.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvoyNdjson } from '@/server/ingest/envoy';
import type { PolicyDocument } from '../model';
import { compilePolicy } from './index';
import { compileIstio } from './istio';
import { istioEvaluator, toIstioRequest } from './istio-eval';
import { compileNginx } from './nginx';
import { parseNginx } from './nginx-eval';
import { freePort, hasNginx, NginxPrefix, NGINX, rawRequest } from './nginx-process';
import { NOW } from './test-corpus';

export const NGINX_ATTACK = 'shop/x\naccess_log off;\n#';
export const ISTIO_ATTACK = [
  'shop/x', '---', 'apiVersion: security.istio.io/v1', 'kind: AuthorizationPolicy', 'metadata:', '  name: pwn', '  namespace: shop',
  'spec:', '  action: ALLOW', '  rules: [{}]', '---', '#',
].join('\n');
/** The same, for a YAML 1.1 reader (go-yaml, what Kubernetes uses), which also breaks lines at U+2028. */
const ISTIO_ATTACK_LS = ISTIO_ATTACK.replaceAll('\n', '\u2028');

const doc = (service: string): PolicyDocument => ({
  service, defaultAction: 'deny', allow: [{ caller: 'external', method: 'GET', template: '/ok', endpointId: null }], deny: [],
});

describe('the reported attack, at ingest', () => {
  it('a record naming such a service is refused, naming the field, and nothing is stored', () => {
    const line = (dst: string) => JSON.stringify({ start_time: NOW.toISOString(), method: 'GET', path: '/ok', response_code: 200, dst_service: dst });
    const r = parseEnvoyNdjson([line(NGINX_ATTACK), line(ISTIO_ATTACK), line(ISTIO_ATTACK_LS), line('shop/x')].join('\n'), { proxyId: 'p1', now: NOW.getTime(), retentionDays: 30 });
    expect(r.events.map((e) => e.dstService)).toEqual(['shop/x']);
    expect(r.errors).toEqual([1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^line ${n}: \`dst_service\` must be a service name`))));
  });
});

describe('the reported attack, at the compilers (a name stored before the grammar existed)', () => {
  it('nginx: the name stays inside its comment; the parts hold only the policy’s maps and checks', () => {
    const { httpConf, serverConf } = compileNginx(doc(NGINX_ATTACK), {}, NOW);
    expect(parseNginx(httpConf).map((d) => d.name)).toEqual(['map', 'map', 'map']);
    expect(parseNginx(serverConf).map((d) => d.name)).toEqual(['if', 'if']);
    expect(httpConf).not.toMatch(/^access_log/m);
    const body = JSON.parse(compilePolicy(doc(NGINX_ATTACK), 'nginx', {}, NOW).body);
    expect(body.service).toBe(NGINX_ATTACK);
  });

  it.each([['a newline', ISTIO_ATTACK], ['U+2028', ISTIO_ATTACK_LS]])('Istio (%s): exactly the compiled objects, no extra ALLOW, nothing else allowed', (_what, service) => {
    const { objects, yaml } = compileIstio(doc(service), {}, NOW);
    expect(yaml).toMatch(/^[\x20-\x7e\n]*$/);
    for (const version of ['1.1', '1.2'] as const) {
      const docs = YAML.parseAllDocuments(yaml, { version }).map((d) => d.toJS());
      expect(docs).toEqual(objects);
    }
    expect(objects.map((o) => o.metadata.name)).not.toContain('pwn');
    const ev = istioEvaluator(yaml);
    expect(ev(toIstioRequest({ caller: 'external', method: 'GET', path: '/ok' }, {})).decision).toBe('allow');
    expect(ev(toIstioRequest({ caller: 'external', method: 'GET', path: '/admin' }, {})).decision).toBe('deny');
    expect(ev(toIstioRequest({ caller: 'shop/web', method: 'DELETE', path: '/ok' }, {})).decision).toBe('deny');
    // and the bundle itself is refused: the name is no Kubernetes name to select a workload by
    expect(() => compilePolicy(doc(service), 'istio', {}, NOW)).toThrow(/refusing to produce the istio bundle .*not a valid Kubernetes label/);
  });
});

describe.skipIf(!hasNginx)(hasNginx ? 'the reported attack, in a real nginx' : `the reported attack, in a real nginx (skipped: ${NGINX} is not installed)`, () => {
  let prefix: NginxPrefix;
  let port: number;
  let conf: string;

  beforeAll(async () => {
    prefix = new NginxPrefix();
    port = await freePort();
    const { httpConf, serverConf } = compileNginx(doc(NGINX_ATTACK), {}, NOW);
    prefix.file('http.conf', httpConf);
    prefix.file('server.conf', serverConf);
    conf = prefix.file('nginx.conf', `${prefix.preamble()}http {
  ${prefix.tempPaths()}
  log_format plain '$request_method $request_uri $status';
  access_log ${prefix.dir}/logs/access.log plain;
  include ${prefix.dir}/http.conf;
  server {
    listen 127.0.0.1:${port};
    include ${prefix.dir}/server.conf;
    location / { return 200 "ok\\n"; }
  }
}
`);
  });
  afterAll(() => prefix.close());

  it('passes nginx -t and still writes the access log', async () => {
    const t = prefix.test(conf);
    expect(t.output).toContain('syntax is ok');
    expect(t.status).toBe(0);
    await prefix.start(conf, [port]);
    expect(await rawRequest(port, 'GET', '/ok', {})).toBe(200);
    expect(await rawRequest(port, 'GET', '/admin', {})).toBe(403);
    // nginx writes the log line once the response is done: wait for it, bounded
    const log = path.join(prefix.dir, 'logs/access.log');
    const deadline = Date.now() + 10_000;
    let lines: string[] = [];
    while (Date.now() < deadline) {
      lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      if (lines.length >= 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(lines).toEqual(['GET /ok 200', 'GET /admin 403']);
  });
});
