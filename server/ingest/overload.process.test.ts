import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createProxyToken, startConsole, type ConsoleProcess } from '@/scripts/lib/console-process';
import { signInOverHttp, trpcQueryOverHttp } from '@/scripts/lib/console-session';
import { keepAliveAgent, post, type PostResult } from '@/simulator/http-post';
import { MeshTraffic, envoyLine } from '@/scripts/lib/mesh-traffic';
import { Prng } from '@/simulator/prng';
import { rssBytes, sampleRss } from '@/scripts/lib/proc-rss';
import { createTempStore, type TempStore } from '@/scripts/lib/temp-store';

const MiB = 1024 * 1024;
/** the largest body the console takes (compressed); gzip may inflate 8× */
const MAX_BYTES = 1 * MiB;
/** the in-flight budget under test */
const INFLIGHT_BYTES = 32 * MiB;
const MAX_BODIES = 8;
const SENDERS = 32;
const OVERLOAD_MS = 15_000;
/**
 * The stated bound: the console's RSS while overloaded stays below its RSS at rest plus
 * 4 × the in-flight budget plus 192 MiB. The budget counts live buffers and parsed events; the
 * rest is what V8 and the allocator keep around between collections, and varies from run to
 * run (growth of 232–295 MiB over five CI runs, one of them 7 MiB past the 160 MiB this slack
 * used to be). Without the budget (every body read, inflated and parsed at once) 24 senders of
 * 8 MiB bodies take the console well past 1 GiB, so the bound still tells the two apart.
 */
const RSS_ALLOWANCE = 4 * INFLIGHT_BYTES + 192 * MiB;
const ADMIN = { email: 'overload-admin@meshward.test', password: 'overload-admin-password-1' };

/**
 * A maximum-size gzip batch: Envoy NDJSON of distinct events, padded with incompressible
 * bytes so that it is close to MAX_BYTES compressed and close to the 8× that it may inflate to.
 */
function maxSizeBody(traffic: MeshTraffic, prng: Prng, tag: string): { gz: Buffer; inflated: number } {
  const proxy = traffic.proxy(0);
  const lines: string[] = [];
  let inflated = 0;
  for (let i = 0; inflated < MAX_BYTES * 7.9; i++) {
    const line = envoyLine(proxy, traffic.record(`${tag}-${i}`));
    const padded = `${line.slice(0, -1)},"x_padding":"${Buffer.from(prng.bytes(28)).toString('hex')}"}`;
    lines.push(padded);
    inflated += padded.length + 1;
  }
  let gz = gzipSync(lines.join('\n'));
  while (gz.length > MAX_BYTES) {
    lines.splice(Math.floor(lines.length * 0.98));
    gz = gzipSync(lines.join('\n'));
  }
  return { gz, inflated: Buffer.byteLength(lines.join('\n')) };
}

const engine = process.env.TEST_DATABASE_URL ? ('postgres' as const) : ('pglite' as const);

/**
 * Issue 9 item 11: the ingest queue bound counts events, not bytes, so concurrent large gzip
 * batches could take the console's memory without limit. Many senders post maximum-size gzip
 * bodies at once: the console's RSS (from /proc) stays under a stated bound, what it cannot
 * hold is answered 429 + Retry-After, and an analyst's query is still answered meanwhile.
 */
describe(`a console overloaded with maximum-size gzip batches [${engine}]`, () => {
  let temp: TempStore | undefined;
  let server: ConsoleProcess | undefined;

  afterAll(async () => {
    await server?.kill();
    await temp?.remove();
  });

  it('keeps its memory under the bound, answers the excess 429 + Retry-After, and still serves an analyst', async () => {
    temp = await createTempStore(engine, 'meshward_overload', process.env.TEST_DATABASE_URL);
    const token = await createProxyToken(temp.store, 'overload');
    server = await startConsole({
      store: temp.store,
      env: {
        MESHWARD_INGEST_MAX_BYTES: String(MAX_BYTES),
        MESHWARD_INGEST_INFLIGHT_BYTES: String(INFLIGHT_BYTES),
        MESHWARD_INGEST_MAX_BODIES: String(MAX_BODIES),
        MESHWARD_ADMIN_EMAIL: ADMIN.email,
        MESHWARD_ADMIN_PASSWORD: ADMIN.password,
        MESHWARD_DISCOVERY: 'off',
      },
    });
    const pid = server.child.pid!;
    const url = server.url;
    const traffic = new MeshTraffic(7_700_001);
    const prng = new Prng(7_700_002);
    const bodies = Array.from({ length: 4 }, (_, i) => maxSizeBody(traffic, prng, `overload-${i}`));
    for (const b of bodies) {
      expect(b.gz.length).toBeGreaterThan(MAX_BYTES * 0.9);
      expect(b.gz.length).toBeLessThanOrEqual(MAX_BYTES);
      expect(b.inflated).toBeGreaterThan(MAX_BYTES * 6.5);
    }
    const headers = { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', authorization: `Bearer ${token}` };
    const agent = keepAliveAgent(SENDERS);

    // At rest: one maximum-size batch stored, the analyst's page and query served once.
    const first = await post(`${url}/api/ingest/envoy`, bodies[0].gz, headers, agent);
    expect(first.status, first.body.toString()).toBe(200);
    const cookie = await signInOverHttp(url, ADMIN.email, ADMIN.password);
    const warm = await trpcQueryOverHttp(url, cookie, 'fleet.tokens');
    expect(warm.status, warm.body).toBe(200);
    const idle = rssBytes(pid)!;
    const bound = idle + RSS_ALLOWANCE;

    const rss = sampleRss(pid);
    const statuses = new Map<number, number>();
    const missingRetryAfter: number[] = [];
    const errors: string[] = [];
    const deadline = Date.now() + OVERLOAD_MS;
    const sender = async (s: number) => {
      for (let n = 0; Date.now() < deadline; n++) {
        const res = await post(`${url}/api/ingest/envoy`, bodies[(s + n) % bodies.length].gz, headers, agent).catch((e: Error) => {
          errors.push(e.message);
          return { status: 0, headers: {}, body: Buffer.alloc(0) } as PostResult;
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 429) {
          if (!/^[1-9]\d*$/.test(String(res.headers['retry-after'] ?? ''))) missingRetryAfter.push(res.status);
          await new Promise((r) => setTimeout(r, 1000 * Number(res.headers['retry-after'])));
        }
      }
    };
    const analyst = async () => {
      const answers: Array<{ what: string; status: number; ms: number }> = [];
      // Wait until the console is refusing (or has been loaded for a while), so the analyst's requests land in the overload.
      const loadedAt = Date.now();
      while (!statuses.get(429) && Date.now() < loadedAt + 3_000) await new Promise((r) => setTimeout(r, 20));
      while (Date.now() < deadline - 2_000) {
        const q = await trpcQueryOverHttp(url, cookie, 'fleet.tokens');
        answers.push({ what: 'fleet.tokens', status: q.status, ms: q.ms });
        const started = performance.now();
        const health = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(30_000) });
        answers.push({ what: 'health', status: health.status, ms: performance.now() - started });
        await health.arrayBuffer();
      }
      return answers;
    };
    const [analystAnswers] = await Promise.all([analyst(), ...Array.from({ length: SENDERS }, (_, s) => sender(s))]);
    const peak = rss.stop();
    agent.destroy();

    const slowest = Math.max(...analystAnswers.map((a) => a.ms));
    const summary = `idle RSS ${(idle / MiB).toFixed(0)} MiB, peak ${(peak / MiB).toFixed(0)} MiB (bound ${(bound / MiB).toFixed(0)} MiB, ` +
      `${rss.samples} samples); answers ${JSON.stringify(Object.fromEntries(statuses))}${errors.length ? ` (errors: ${[...new Set(errors)].join(', ')})` : ''}; ` +
      `analyst: ${analystAnswers.length} requests, ${analystAnswers.filter((a) => a.status !== 200).length} not 200, slowest ${Math.round(slowest)} ms`;
    console.info(summary);
    expect(server.running, summary).toBe(true);
    expect(peak, summary).toBeLessThan(bound);
    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 429), summary).toEqual([]);
    expect(statuses.get(429) ?? 0, summary).toBeGreaterThan(SENDERS);
    expect(statuses.get(200) ?? 0, summary).toBeGreaterThan(0);
    expect(missingRetryAfter, summary).toEqual([]);
    // The analyst was answered throughout, each answer within a few seconds.
    expect(analystAnswers.filter((a) => a.what === 'fleet.tokens').length, summary).toBeGreaterThan(0);
    for (const a of analystAnswers) {
      expect(a.status, summary).toBe(200);
      expect(a.ms, summary).toBeLessThan(5_000);
    }
  });
});
