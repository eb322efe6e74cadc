// Test support: a real nginx (when installed) run on a throw-away prefix, for `nginx -t` and
// for requests written byte for byte. CI installs nginx; elsewhere the tests that need it skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const NGINX = '/usr/sbin/nginx';
export const hasNginx = existsSync(NGINX);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** One HTTP/1.1 request written byte for byte (no client-side path cleaning); the status code, or 0 if the connection closed without one. */
export function rawRequest(port: number, method: string, target: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'));
      resolve(m ? Number(m[1]) : 0);
    });
    const lines = [`${method} ${target} HTTP/1.1`, 'Host: test', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''];
    sock.end(Buffer.from(lines.join('\r\n'), 'utf8'));
  });
}

export async function waitForPort(port: number, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A throw-away nginx prefix: files written into it, `nginx -t`, a foreground nginx, cleanup. */
export class NginxPrefix {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'meshward-nginx-'));
  private child: ChildProcess | null = null;

  constructor() {
    mkdirSync(path.join(this.dir, 'logs'), { recursive: true });
  }

  file(name: string, text: string): string {
    const p = path.join(this.dir, name);
    writeFileSync(p, text);
    return p;
  }

  /** The top-level lines every test configuration starts with: foreground, no master, files in the prefix. */
  preamble(): string {
    return ['daemon off;', 'master_process off;', `pid ${this.dir}/nginx.pid;`, `error_log ${this.dir}/logs/error.log warn;`, 'events { worker_connections 64; }', ''].join('\n');
  }

  /** Temp paths inside the prefix, for the http block. */
  tempPaths(): string {
    return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((n) => `${n}_temp_path ${this.dir}/${n};`).join(' ');
  }

  test(conf: string): { status: number | null; output: string } {
    const t = spawnSync(NGINX, ['-t', '-p', this.dir, '-c', conf], { encoding: 'utf8' });
    return { status: t.status, output: t.stderr };
  }

  async start(conf: string, ports: number[]): Promise<void> {
    this.child = spawn(NGINX, ['-p', this.dir, '-c', conf], { stdio: 'ignore' });
    await Promise.all(ports.map((p) => waitForPort(p, this.child!, path.join(this.dir, 'logs/error.log'))));
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
