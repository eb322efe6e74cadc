import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeExportLogsResponse, decodeRpcStatus } from '@/server/ingest/otlp-proto';
import { createProxyToken, startConsole, type ConsoleProcess } from '@/scripts/lib/console-process';
import { keepAliveAgent, post, type PostResult } from '@/simulator/http-post';
import { FUZZ_MAX_BYTES, FuzzCases, type FuzzCase } from '@/scripts/lib/ingest-fuzz-cases';
import { Prng } from '@/simulator/prng';
import { storedEventCounts } from '@/scripts/lib/stored-events';
import { createTempStore, type TempStore } from '@/scripts/lib/temp-store';

const SEED = Number(process.env.FUZZ_SEED ?? 1_337);
const CASES = 2500;
const CONCURRENCY = 4;
const ALLOWED = [200, 400, 401, 413, 415, 429, 503];
const PATHS = { otlp: '/v1/logs', envoy: '/api/ingest/envoy' };

/** What the console answers on OTLP in protobuf (the content type named protobuf) or JSON (anything else). */
function protobufWire(c: FuzzCase): boolean {
  const type = (c.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return c.route === 'otlp' && (type === 'application/x-protobuf' || type === 'application/protobuf');
}

/** google.rpc.Status { int32 code = 1; string message = 2; } */

/** The answer has an allowed status and the documented body for its route and wire. */
function checkAnswer(c: FuzzCase, res: PostResult) {
  const what = `${c.route} ${c.kind}: ${res.status} ${res.body.toString('utf8').slice(0, 200)}`;
  expect(ALLOWED, what).toContain(res.status);
  if (res.status === 429 || res.status === 503) expect(res.headers['retry-after'], what).toMatch(/^\d+$/);
  if (res.status === 401) expect(res.headers['www-authenticate'], what).toMatch(/^Bearer /);
  if (protobufWire(c)) {
    expect(res.headers['content-type'], what).toBe('application/x-protobuf');
    if (res.status === 200) return { rejected: decodeExportLogsResponse(res.body).rejected };
    const status = decodeRpcStatus(res.body);
    expect(status.code, what).toBeGreaterThan(0);
    expect(status.message, what).not.toBe('');
    return null;
  }
  expect(res.headers['content-type'], what).toMatch(/^application\/json/);
  const body = JSON.parse(res.body.toString('utf8'));
  if (res.status !== 200) {
    if (c.route === 'otlp') expect(body, what).toEqual({ code: expect.any(Number), message: expect.stringMatching(/./) });
    else expect(body, what).toEqual({ error: expect.stringMatching(/./) });
    return null;
  }
  // OTLP/JSON's ExportLogsServiceResponse on both routes: {} or {partialSuccess}, nothing else
  const partial = body.partialSuccess;
  if (partial) expect(partial, what).toEqual({ rejectedLogRecords: expect.any(Number), errorMessage: expect.stringMatching(/./) });
  expect(Object.keys(body).filter((k) => k !== 'partialSuccess'), what).toEqual([]);
  return { rejected: (partial?.rejectedLogRecords as number | undefined) ?? 0 };
}

describe('ingest routes under seeded random input [pglite]', () => {
  let temp: TempStore;
  let server: ConsoleProcess | undefined;
  let token: string;

  beforeAll(async () => {
    temp = await createTempStore('pglite', 'meshward-fuzz');
    token = await createProxyToken(temp.store, 'fuzz');
    server = await startConsole({ store: temp.store, env: { MESHWARD_INGEST_MAX_BYTES: String(FUZZ_MAX_BYTES) } });
  });

  afterAll(async () => {
    await server?.kill();
    await temp?.remove();
  });

  it(`answers ${CASES} malformed, oversized and mixed batches as documented, and stores each valid event once`, async () => {
    const cases = new FuzzCases(new Prng(SEED), token);
    const agent = keepAliveAgent(CONCURRENCY);
    const stored = new Set<string>();
    const byKind = new Map<string, Map<number, number>>();
    let n = 0;

    const send = async (c: FuzzCase) => {
      for (;;) {
        const started = performance.now();
        const res = await post(`${server!.url}${PATHS[c.route]}`, c.body, c.headers, agent, c.chunked);
        const outcome = checkAnswer(c, res);
        const counts = byKind.get(`${c.route} ${c.kind}`) ?? new Map<number, number>();
        byKind.set(`${c.route} ${c.kind}`, counts.set(res.status, (counts.get(res.status) ?? 0) + 1));
        counts.set(-1, (counts.get(-1) ?? 0) + performance.now() - started);
        if (!c.mixed) return;
        if (res.status === 429 || res.status === 503) continue; // a sender retries these
        expect(res.status, `${c.kind}: ${res.body.toString('utf8').slice(0, 300)}`).toBe(200);
        expect(outcome?.rejected, c.kind).toBe(c.mixed.invalid);
        c.mixed.valid.forEach((id) => stored.add(id));
        return;
      }
    };
    const worker = async () => {
      while (n < CASES) {
        const i = n++;
        await send(cases.next(i));
        if (i % 100 === 0) {
          const health = await fetch(`${server!.url}/api/health?ready`);
          expect(health.status, `health after case ${i}`).toBe(200);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    if (process.env.FUZZ_VERBOSE) {
      for (const [kind, statuses] of [...byKind].sort()) console.log(kind.padEnd(34), Object.fromEntries(statuses));
    }

    // every generator ran, and the mixed ones stored something
    expect([...byKind.keys()].length).toBeGreaterThanOrEqual(30);
    expect(stored.size).toBeGreaterThan(1000);

    expect((await server!.stop()).code).toBe(0);
    server = undefined;
    const counts = await storedEventCounts(temp.store);
    for (const id of stored) expect(counts.get(id), id).toBe(1);
    // Every id the generator made is unique; mutated ones ("true", "0", …) may repeat legitimately.
    for (const [id, times] of counts) if (id.startsWith('fz-')) expect(times, id).toBe(1);
  });
});
