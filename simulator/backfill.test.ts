import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rows, type Database } from '@/db/client';
import { createProxyToken } from '@/server/fleet/tokens';
import { serveTelemetry, telemetryRoute } from '@/server/http/telemetry-routes';
import type { Runtime } from '@/server/runtime';
import { actor, ctxFor, describeEachEngine } from '@/server/testing/db';
import { testRuntime } from '@/server/testing/runtime';
import { backfill } from './backfill';
import { TelemetrySender } from './sender';
import { SimStream } from './stream';
import { World } from './world';

describeEachEngine('simulator backfill through the ingest routes', (h) => {
  let rt: Runtime;
  let server: Server;
  let target: string;
  const count = async () => (await rows<{ n: number }>(h.db, sql`select count(*)::int as n from access_events where ts >= now() - interval '1 day'`))[0].n;

  beforeEach(async () => {
    rt = testRuntime(h.database as Database);
    server = createServer((req, res) => {
      const route = telemetryRoute(req);
      if (route) void serveTelemetry(route, req, res, rt);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rt.shutdown();
  });

  it('stores exactly the events it generated, over every wire format, and registers every proxy', async () => {
    const token = (await createProxyToken(ctxFor(h.db, actor('admin')), { name: 'simulator test', services: ['*'] })).token;
    const world = new World({ seed: 3, rate: 1, users: 200, scenarios: ['brute_force'], attackEveryMin: 5 });
    const to = Date.now();
    const stream = new SimStream(world, to - 6 * 60_000);
    const sender = new TelemetrySender({ target, tokenFor: () => token, maxNetworkRetries: 2 });
    try {
      await Promise.all(world.topology.proxies.map((p) => sender.heartbeat(p)));
      const chunks: number[] = [];
      const result = await backfill({ stream, to, sender, order: 'newest-first', chunkMs: 2 * 60_000, parallel: 2, onProgress: (p) => chunks.push(p.from) });
      expect(result.generated).toBeGreaterThan(200);
      expect(sender.stats).toMatchObject({ events: result.generated, rejected: 0, heartbeats: world.topology.proxies.length });
      expect(chunks).toEqual([...chunks].sort((a, b) => b - a)); // newest first
      expect(await count()).toBe(result.generated);
      const formats = new Set(world.topology.proxies.map((p) => p.format));
      expect(formats.size).toBe(3);
      const [{ n }] = await rows<{ n: number }>(h.db, sql`select count(*)::int as n from proxies`);
      expect(n).toBe(world.topology.proxies.length);
    } finally {
      sender.close();
    }
  });

  it('stops at a 401 with a fatal error instead of retrying', async () => {
    const world = new World({ seed: 3, rate: 1, users: 200, scenarios: [] });
    const stream = new SimStream(world, Date.now() - 60_000);
    const sender = new TelemetrySender({ target, tokenFor: () => 'mwp_not-a-real-token', maxNetworkRetries: 0 });
    try {
      await expect(backfill({ stream, to: Date.now(), sender, order: 'oldest-first', chunkMs: 60_000, parallel: 1 })).rejects.toThrow(/answered 401/);
      expect(await count()).toBe(0);
    } finally {
      sender.close();
    }
  });
});
