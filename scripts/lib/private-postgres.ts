// A PostgreSQL cluster of one test's own, in a temp folder on its own port, that the test may
// stop and start. The shared server (5432) is never touched: this is initdb, pg_ctl and a data
// folder nobody else knows. PostgreSQL refuses to run as root, so under root every command
// runs as the `postgres` OS user.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** `pg_ctl stop -m fast`: connections are closed, the server is down until start() */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** stops it (if running) and deletes its folder */
  remove(): Promise<void>;
}

/** The newest installed PostgreSQL's binaries (Debian: /usr/lib/postgresql/<major>/bin). */
export function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const m of majors) if (existsSync(path.join(root, m, 'bin', 'pg_ctl'))) return path.join(root, m, 'bin');
  throw new Error('no PostgreSQL binaries under /usr/lib/postgresql/<major>/bin: install the postgresql package');
}

function osUser(): { asPostgres: (cmd: string, args: string[]) => [string, string[]]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { asPostgres: (cmd, args) => [cmd, args] };
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { asPostgres: (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]], uid, gid };
}

async function freePort(from: number, to: number): Promise<number> {
  const span = to - from;
  const start = from + (process.pid % span);
  for (let i = 0; i < span; i++) {
    const port = from + ((start - from + i) % span);
    const ok = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port in ${from}–${to}`);
}

const live = new Set<() => void>();
process.once('exit', () => {
  for (const kill of live) kill();
});

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const user = osUser();
  const root = mkdtempSync(path.join(tmpdir(), 'meshward-pg-'));
  if (user.uid !== undefined) chownSync(root, user.uid, user.gid!);
  const data = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  const port = await freePort(55_400, 55_500);
  const pg = (tool: string, args: string[]) => {
    const [cmd, argv] = user.asPostgres(path.join(bin, tool), args);
    return run(cmd, argv, { timeout: 120_000 });
  };

  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  // Its own port and socket folder; durable commits as in production (synchronous_commit on),
  // but no fsync: the test stops PostgreSQL, it does not crash the machine.
  writeFileSync(
    path.join(data, 'postgresql.auto.conf'),
    [`port = ${port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${root}'`, 'fsync = off', 'full_page_writes = off', 'max_connections = 40', 'shared_buffers = 32MB'].join('\n') + '\n',
  );
  if (user.uid !== undefined) chownSync(path.join(data, 'postgresql.auto.conf'), user.uid, user.gid!);

  let running = false;
  const start = async () => {
    await pg('pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '60']);
    running = true;
  };
  const stop = async () => {
    await pg('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '60']);
    running = false;
  };
  // Should the test process die, the cluster must not outlive it.
  const killOnExit = () => {
    if (!running) return;
    const [cmd, argv] = user.asPostgres(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate']);
    try {
      execFileSync(cmd, argv, { stdio: 'ignore', timeout: 10_000 });
    } catch {
      // already gone
    }
  };
  live.add(killOnExit);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    start,
    async remove() {
      if (running) await stop().catch(() => killOnExit());
      live.delete(killOnExit);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
