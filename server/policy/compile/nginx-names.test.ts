// Issue 9 item 6: variables were named after the service (`mw_payments_card_authorization_se_…
// _token_denied`), which broke `nginx -t` on the default variables_hash_bucket_size (64), and
// the agent then enforced nothing. They are named by a short hash now, and the shipped
// nginx.conf sets the hash sizes a gateway with several services needs.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNginxConf, VARIABLES_HASH } from '@/integrations/nginx/nginx-conf.mjs';
import { isServiceName } from '@/server/identity/names';
import type { PolicyDocument } from '../model';
import { compilePolicy } from './index';
import { compileNginx, variablePrefix } from './nginx';
import { hasNginx, NGINX, NginxPrefix } from './nginx-process';
import { parseNginx } from './nginx-eval';
import { NOW } from './test-corpus';

const label = (c: string, n: number) => c.repeat(n);
/** The longest names the grammar allows: a 63-character namespace and a name filling 253 characters, a 253-character SPIFFE id. */
const LONGEST = [
  `${label('n', 63)}/${label('a', 63)}.${label('b', 63)}.${label('c', 61)}`,
  `spiffe://${label('t', 63)}.example/ns/${label('n', 63)}/sa/${label('s', 102)}`,
  `${label('x', 63)}.${label('y', 63)}.${label('z', 63)}.${label('w', 61)}`,
  'payments/card-authorization-service',
];

function docFor(service: string, i: number): PolicyDocument {
  return {
    service,
    defaultAction: 'deny',
    allow: [
      { caller: LONGEST[0], method: 'GET', template: '/api/v1/cards/{card_id}', endpointId: null },
      { caller: LONGEST[1], method: 'POST', template: '/api/v1/cards/{card_id}/authorize', endpointId: null },
      { caller: 'external', method: 'GET', template: '/healthz', endpointId: null },
    ],
    deny: [
      { kind: 'token', value: `tok-${i}`, reason: 'test', expiresAt: null },
      { kind: 'user', value: `user-${i}`, reason: 'test', expiresAt: null },
      { kind: 'ip', value: '203.0.113.0/24', reason: 'test', expiresAt: null },
    ],
  };
}

const definedVariables = (httpConf: string) => parseNginx(httpConf).map((d) => d.args[1]);

describe('nginx variable names', () => {
  it('are mw_ and 12 hex digits of the service’s SHA-256, at most 28 characters, whatever the name', () => {
    expect(LONGEST.every(isServiceName)).toBe(true);
    expect(LONGEST[0]).toHaveLength(253);
    expect(LONGEST[1]).toHaveLength(253);
    for (const [i, s] of LONGEST.entries()) {
      const vars = definedVariables(compileNginx(docFor(s, i), {}, NOW).httpConf);
      expect(vars).toEqual(['caller', 'ip_denied', 'token_denied', 'user_denied', 'path_ok', 'allow'].map((x) => `$${variablePrefix(s)}_${x}`));
      for (const v of vars) expect(v).toMatch(/^\$mw_[0-9a-f]{12}_[a-z_]+$/);
      expect(Math.max(...vars.map((v) => v.length - 1))).toBeLessThanOrEqual(28);
    }
    expect(new Set(LONGEST.map(variablePrefix)).size).toBe(LONGEST.length);
  });
});

describe.skipIf(!hasNginx)(hasNginx ? 'the longest names in a real nginx' : `the longest names in a real nginx (skipped: ${NGINX} is not installed)`, () => {
  let prefix: NginxPrefix;
  beforeAll(() => {
    prefix = new NginxPrefix();
  });
  afterAll(() => prefix.close());

  it('the shipped nginx.conf with the bundle of each longest service passes nginx -t, without warnings', () => {
    for (const [i, s] of LONGEST.entries()) {
      const bundle = JSON.parse(compilePolicy(docFor(s, i), 'nginx', {}, NOW).body);
      const rules = path.join(prefix.dir, `rules-${i}`);
      prefix.file(`rules-${i}-http.conf`, bundle.http);
      prefix.file(`rules-${i}-server.conf`, bundle.server);
      const conf = renderNginxConf({
        listen: `127.0.0.1:${20_000 + i}`, upstream: 'http://127.0.0.1:9', rulesDir: rules, accessLog: `${prefix.dir}/logs/access.log`,
        errorLog: `${prefix.dir}/logs/error.log`, pidFile: `${prefix.dir}/nginx.pid`, tempDir: prefix.dir,
        // the policy's names are what is tested here; the content filter's layout has its own tests with nginx (integrations/nginx)
        inspect: false,
      }).replace(`${rules}/meshward-http.conf`, `${rules}-http.conf`).replace(`${rules}/meshward-server.conf`, `${rules}-server.conf`);
      const t = prefix.test(prefix.file(`nginx-${i}.conf`, conf));
      expect(`${s}: ${t.output}`).toContain('syntax is ok');
      expect(t.status).toBe(0);
      expect(t.output).not.toMatch(/\[(warn|emerg)\]/);
    }
  });

  it('a hand-written nginx.conf with the documented settings takes every service at once (a gateway)', () => {
    const servers = LONGEST.map((s, i) => {
      const { httpConf, serverConf } = compileNginx(docFor(s, i), {}, NOW);
      prefix.file(`gw-http-${i}.conf`, httpConf);
      prefix.file(`gw-server-${i}.conf`, serverConf);
      return `  include ${prefix.dir}/gw-http-${i}.conf;\n  server { listen 127.0.0.1:${21_000 + i}; include ${prefix.dir}/gw-server-${i}.conf; location / { return 200; } }`;
    });
    const conf = prefix.file('gateway.conf', `${prefix.preamble()}http {\n  ${VARIABLES_HASH}\n  ${prefix.tempPaths()}\n${servers.join('\n')}\n}\n`);
    const t = prefix.test(conf);
    expect(t.status).toBe(0);
    expect(t.output).not.toMatch(/\[(warn|emerg)\]/);
  });
});
