import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyRequest } from '../model';
import { compileNginx, nginxQuote, variablePrefix } from './nginx';
import { nginxEvaluator, parseNginx, toNginxRequest } from './nginx-eval';
import type { CompileOptions } from './options';
import { freePort, hasNginx, NGINX, rawRequest, waitForPort } from './nginx-process';
import { DOCS, NOW, requestsFor } from './test-corpus';

// the live server reads the client address from a header, so denied IPs can be tried from loopback
const OPTIONS: CompileOptions = { nginx: { clientAddressVariable: '$http_x_test_client_ip' } };
const SERVED = [DOCS[0], DOCS[1]];

describe('nginx text', () => {
  it('quotes tokens the way nginx unquotes them', () => {
    const s = String.raw`~^a\.b\\c"d$`;
    expect(parseNginx(`x ${nginxQuote(s)};`)).toEqual([{ name: 'x', args: [s] }]);
  });

  it('the http part is maps and a geo, the server part only `if … return 403`', () => {
    const { httpConf, serverConf } = compileNginx(DOCS[0], {}, NOW);
    expect(new Set(parseNginx(httpConf).map((d) => d.name))).toEqual(new Set(['map', 'geo']));
    expect(parseNginx(serverConf).every((d) => d.name === 'if' && d.block?.[0].name === 'return' && d.block[0].args[0] === '403')).toBe(true);
    expect(httpConf).toContain(`map $request_uri $${variablePrefix('shop/users')}_path_ok {`);
    expect(variablePrefix('shop/users')).toMatch(/^mw_[0-9a-f]{12}$/);
    expect(httpConf).not.toMatch(/\$uri\b/);
  });

  it('reads the caller from the configured variable; with SPIFFE ids, matches those', () => {
    const o: CompileOptions = { nginx: { callerVariable: '$ssl_client_san_uri', callerIdentity: 'spiffe' } };
    const { httpConf, serverConf } = compileNginx(DOCS[0], o, NOW);
    expect(httpConf).toContain(`map $ssl_client_san_uri $${variablePrefix('shop/users')}_caller {`);
    expect(httpConf).toContain('"~^spiffe://cluster\\\\.local/ns/shop/sa/web$"');
    const ev = nginxEvaluator(httpConf.replace('$ssl_client_san_uri', '$http_x_meshward_caller'), serverConf);
    const req = { caller: 'shop/web', method: 'GET', path: '/api/users/42' };
    expect(ev(toNginxRequest(req, o))).toBe('allow');
    expect(ev(toNginxRequest(req, {}))).toBe('deny');
  });
});

function writePrefix(dir: string, ports: number[]): string {
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const servers = SERVED.map((doc, i) => {
    const { httpConf, serverConf } = compileNginx(doc, OPTIONS, NOW);
    writeFileSync(path.join(dir, `http-${i}.conf`), httpConf);
    writeFileSync(path.join(dir, `server-${i}.conf`), serverConf);
    return `  server {\n    listen 127.0.0.1:${ports[i]};\n    include ${dir}/server-${i}.conf;\n    location / { return 200 "ok\\n"; }\n  }`;
  });
  const conf = path.join(dir, 'nginx.conf');
  const temp = (n: string) => `${n}_temp_path ${dir}/${n};`;
  writeFileSync(
    conf,
    [
      'daemon off;',
      'master_process off;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/logs/error.log warn;`,
      'events { worker_connections 64; }',
      'http {',
      '  access_log off;',
      `  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join(' ')}`,
      ...SERVED.map((_, i) => `  include ${dir}/http-${i}.conf;`),
      ...servers,
      '}',
      '',
    ].join('\n'),
  );
  return conf;
}

const sendable = (r: PolicyRequest) => r.path !== '' && !/[\s]/.test(r.path);
function headersOf(r: PolicyRequest): Record<string, string> {
  const h = toNginxRequest(r, OPTIONS).headers;
  if (r.clientIp) h['x-test-client-ip'] = r.clientIp;
  return h;
}

describe.skipIf(!hasNginx)(hasNginx ? 'real nginx' : `real nginx (skipped: ${NGINX} is not installed)`, () => {
  let dir: string;
  let conf: string;
  let ports: number[];
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'meshward-nginx-'));
    ports = [await freePort(), await freePort()];
    conf = writePrefix(dir, ports);
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('nginx -t accepts the generated configuration', () => {
    const t = spawnSync(NGINX, ['-t', '-p', dir, '-c', conf], { encoding: 'utf8' });
    expect(t.stderr).toContain('syntax is ok');
    expect(t.status).toBe(0);
    expect(t.stderr).not.toMatch(/\[warn\]/);
  });

  it('nginx -t refuses a broken one (the check above can fail)', () => {
    const bad = path.join(dir, 'bad.conf');
    writeFileSync(bad, readFileSync(conf, 'utf8').replace(`include ${dir}/http-0.conf;`, 'map $request_uri $x { "~^(" 1; }'));
    expect(spawnSync(NGINX, ['-t', '-p', dir, '-c', bad], { encoding: 'utf8' }).status).not.toBe(0);
  });

  it('answers 200 or 403 as the evaluator decides, for the corpus of two services', async () => {
    child = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: 'ignore' });
    await Promise.all(ports.map((p) => waitForPort(p, child!, path.join(dir, 'logs/error.log'))));
    const spot = [
      { i: 0, req: { caller: 'shop/web', method: 'GET', path: '/api/users/42?x=1' }, status: 200 },
      { i: 0, req: { caller: 'shop/web', method: 'GET', path: '/api/users/42/' }, status: 403 },
      { i: 0, req: { caller: 'shop/web', method: 'GET', path: '/api/users/a%2Fb' }, status: 403 },
      { i: 0, req: { caller: 'external', method: 'GET', path: '/files/7.json' }, status: 200 },
      { i: 0, req: { caller: 'shop/web', method: 'GET', path: '/api/users/42', tokenId: 'tok-stolen' }, status: 403 },
      { i: 0, req: { caller: 'shop/web', method: 'GET', path: '/api/users/42', clientIp: '203.0.113.9' }, status: 403 },
      { i: 1, req: { caller: 'shop/web', method: 'GET', path: '/cart/9' }, status: 200 },
      { i: 1, req: { caller: 'shop/web', method: 'GET', path: '/api/users/42' }, status: 403 },
    ];
    for (const s of spot) expect(`${s.req.path}: ${await rawRequest(ports[s.i], s.req.method, s.req.path, headersOf(s.req))}`).toBe(`${s.req.path}: ${s.status}`);

    const mismatches: string[] = [];
    let allowed = 0;
    let sent = 0;
    for (const [i, doc] of SERVED.entries()) {
      const { httpConf, serverConf } = compileNginx(doc, OPTIONS, NOW);
      const ev = nginxEvaluator(httpConf, serverConf);
      for (const r of requestsFor(doc).filter(sendable)) {
        const status = await rawRequest(ports[i], r.method, r.path, headersOf(r));
        const real = status === 200 ? 'allow' : 'deny';
        const evReq = toNginxRequest(r, OPTIONS);
        if (r.clientIp) evReq.headers['x-test-client-ip'] = r.clientIp;
        const model = ev(evReq);
        sent++;
        if (real === 'allow') allowed++;
        if (real !== model) mismatches.push(`${doc.service} ${r.method} ${JSON.stringify(r.path)} from ${r.caller}: nginx ${status}, evaluator ${model}`);
      }
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(sent).toBeGreaterThan(500);
    expect(allowed).toBeGreaterThan(50);
  });
});
