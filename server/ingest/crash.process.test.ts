import { afterAll, describe, expect, it } from 'vitest';
import { engines } from '@/server/testing/db';
import { createProxyToken, startConsole, type ConsoleProcess } from '@/scripts/lib/console-process';
import { post } from '@/simulator/http-post';
import { MeshTraffic, envoyNdjson } from '@/scripts/lib/mesh-traffic';
import { storedEventCounts } from '@/scripts/lib/stored-events';
import { createTempStore, type TempStore } from '@/scripts/lib/temp-store';

const SENDERS = 3;
const EVENTS_PER_BATCH = 100;
/** the console is killed when this many batches have been acknowledged */
const KILL_AFTER_ACKS = 40;

interface Batch {
  body: Buffer;
  requestIds: string[];
}

/**
 * "Killing the server in the middle of a stream of batches: every batch that got 200 is in the
 * database after restart; nothing acknowledged is lost."
 */
describe.each(engines())('a console killed with SIGKILL mid-stream [%s]', (engine) => {
  const traffic = new MeshTraffic(20_240_501);
  let temp: TempStore;
  let server: ConsoleProcess | undefined;
  let token: string;

  afterAll(async () => {
    await server?.kill();
    await temp?.remove();
  });

  const sendEnvoy = (body: Buffer) =>
    post(`${server!.url}/api/ingest/envoy`, body, { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` });

  /** SIGTERM first with PGlite: its data folder can then be opened here. */
  async function countsAfterStop(): Promise<Map<string, number>> {
    if (engine === 'pglite') {
      expect((await server!.stop()).code).toBe(0);
      server = undefined;
    }
    return storedEventCounts(temp.store);
  }

  it('keeps every acknowledged batch exactly once, and stays exactly-once when all are re-sent', async () => {
    temp = await createTempStore(engine, 'meshward_crash', process.env.TEST_DATABASE_URL);
    token = await createProxyToken(temp.store, 'crash-test');
    server = await startConsole({ store: temp.store });

    const sent: Batch[] = [];
    const acked: Batch[] = [];
    let killed: Promise<void> | undefined;
    const sender = async (s: number) => {
      const proxy = traffic.proxy(s);
      for (let n = 0; ; n++) {
        const records = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => traffic.record(`crash-${s}-${n}-${i}`));
        const batch = { body: Buffer.from(envoyNdjson(proxy, records)), requestIds: records.map((r) => r.requestId) };
        sent.push(batch);
        try {
          const res = await sendEnvoy(batch.body);
          if (res.status !== 200) continue; // refused: not acknowledged
          acked.push(batch);
        } catch {
          return; // the connection died with the console; this batch is in flight, not acknowledged
        }
        if (acked.length >= KILL_AFTER_ACKS) killed ??= server!.kill();
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
    await killed;
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(sent.length).toBeGreaterThan(acked.length); // some were in flight at the kill

    server = await startConsole({ store: temp.store });
    const health = await fetch(`${server.url}/api/health?ready`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, engine });

    let counts = await countsAfterStop();
    for (const batch of acked) for (const id of batch.requestIds) expect(counts.get(id), id).toBe(1);
    for (const [id, n] of counts) expect(n, id).toBe(1); // in-flight batches: stored once or not at all

    // A retrying sender re-sends everything it has not seen acknowledged, and more.
    server ??= await startConsole({ store: temp.store });
    for (const batch of sent) expect((await sendEnvoy(batch.body)).status).toBe(200);
    counts = await countsAfterStop();
    const all = sent.flatMap((b) => b.requestIds);
    expect(counts.size).toBe(all.length);
    for (const id of all) expect(counts.get(id), id).toBe(1);
  });
});
