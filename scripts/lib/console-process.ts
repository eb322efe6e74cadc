// A real console (server/main.ts) as a child process, for benchmarks and process-level tests.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const execFileAsync = promisify(execFile);

/** Where the console keeps its data: a PGlite folder, or a PostgreSQL database. */
export type DataStore = { dataDir: string; databaseUrl?: undefined } | { databaseUrl: string; dataDir?: undefined };

export interface StartOptions {
  store: DataStore;
  /** defaults to a free port in 3200–3299 */
  port?: number;
  /** extra environment (MESHWARD_INGEST_MAX_BYTES, MESHWARD_DB_POOL, …) */
  env?: Record<string, string>;
  /** extra arguments for node itself (`--cpu-prof`, …) */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * The master key of throw-away consoles on PostgreSQL, which generates no secret without one
 * (README "Keys and secrets"). Never use it for a real console.
 */
const THROWAWAY_SECRET_KEY = Buffer.alloc(32, 0x5a).toString('base64');

/** The environment of a child: ours without database settings, plus the store and `extra`. */
function childEnv(store: DataStore, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.MESHWARD_DATA_DIR;
  return {
    ...env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    MESHWARD_SIMULATOR: 'off',
    MESHWARD_LOG_LEVEL: env.MESHWARD_LOG_LEVEL && env.MESHWARD_LOG_LEVEL !== 'silent' ? env.MESHWARD_LOG_LEVEL : 'warn',
    ...(store.databaseUrl ? { DATABASE_URL: store.databaseUrl } : { MESHWARD_DATA_DIR: store.dataDir }),
    ...(store.databaseUrl && !env.MESHWARD_SECRET_KEY && !env.MESHWARD_SECRET_KEY_FILE ? { MESHWARD_SECRET_KEY: THROWAWAY_SECRET_KEY } : {}),
    ...extra,
  };
}

/** A port in 3200–3299 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const start = 3200 + (process.pid % 100);
  for (let i = 0; i < 100; i++) {
    const port = 3200 + ((start - 3200 + i) % 100);
    const ok = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port in 3200–3299');
}

/** Runs the admin CLI (`proxy-token create`) and returns the token it prints; `services` as the CLI takes them. */
export async function createProxyToken(store: DataStore, name: string, services = '*'): Promise<string> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', 'scripts/meshward.ts', 'proxy-token', 'create', '--name', name, '--services', services],
    { cwd: ROOT, env: childEnv(store) },
  );
  const token = stdout.trim().split('\n').pop() ?? '';
  if (!token.startsWith('mwp_')) throw new Error(`the CLI printed no token: ${stdout}`);
  return token;
}

export class ConsoleProcess {
  /** the last lines the console wrote, for failure messages */
  private tail: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.tail.splice(0, Math.max(0, this.tail.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => live.delete(child));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.tail.join('\n');
  }

  /** Polls `GET /api/health?ready` until it answers 200; fails if the process exits first. */
  async waitReady(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`the console exited before it was ready:\n${this.output()}`);
      try {
        const res = await fetch(`${this.url}/api/health?ready`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the console was not ready within ${timeoutMs} ms:\n${this.output()}`);
  }

  /** SIGTERM (drains the ingest queue and closes the database); SIGKILL if it takes too long. */
  async stop(graceMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL: the crash. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Starts `node --import tsx server/main.ts` and waits until it is ready. */
export async function startConsole(opts: StartOptions): Promise<ConsoleProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: childEnv(opts.store, { PORT: String(port), HOSTNAME_BIND: '127.0.0.1', ...opts.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const console_ = new ConsoleProcess(child, `http://127.0.0.1:${port}`);
  try {
    await console_.waitReady(opts.readyTimeoutMs);
  } catch (e) {
    await console_.kill();
    throw e;
  }
  return console_;
}
