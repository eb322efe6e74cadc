// Rollup rows for the graph tests: written straight into the tables ingest fills.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  edgeHour, edgeMinute, edgeRouteHour, edgeRouteMinute, proxies, sensitiveEdgeHour, sensitiveEdgeMinute, serviceHour,
  serviceMinute, tokenEdgeHour, tokenHour, tokenMinute,
} from '@/db/schema';
import { emptyHistogram, latencyBucket } from '@/server/rollups/latency-histogram';

export function histogramOf(durationsMs: number[]): number[] {
  const h = emptyHistogram();
  for (const d of durationsMs) h[latencyBucket(d)] += 1;
  return h;
}

export interface EdgeFixture {
  bucket: Date;
  src: string;
  dst: string;
  requests: number;
  errors?: number;
  clientErrors?: number;
  mtls?: number;
  bytesIn?: number;
  bytesOut?: number;
  /** one duration per request by default: `requests` calls of `latencyMs` */
  latencyMs?: number;
  hour?: boolean;
}

/** An edge bucket, and the matching service bucket of its destination. */
export async function addEdge(db: Db, f: EdgeFixture) {
  const latency = histogramOf(new Array(f.requests).fill(f.latencyMs ?? 10));
  const common = {
    bucket: f.bucket, requests: f.requests, errors: f.errors ?? 0, clientErrors: f.clientErrors ?? 0,
    bytesIn: f.bytesIn ?? 0, bytesOut: f.bytesOut ?? 0, latency, latencySumMs: f.requests * (f.latencyMs ?? 10),
  };
  await db.insert(f.hour ? edgeHour : edgeMinute).values({ ...common, srcService: f.src, dstService: f.dst, mtls: f.mtls ?? 0 });
  const service = f.hour ? serviceHour : serviceMinute;
  // Several callers of one destination in one bucket add up, as ingest would.
  const at = and(eq(service.bucket, f.bucket), eq(service.service, f.dst));
  const [existing] = await db.select().from(service).where(at);
  if (existing) {
    await db.update(service).set({
      requests: existing.requests + common.requests,
      errors: existing.errors + common.errors,
      latency: existing.latency.map((c, i) => c + latency[i]),
    }).where(at);
  } else {
    await db.insert(service).values({ ...common, service: f.dst });
  }
}

export async function addRoute(db: Db, f: { bucket: Date; src: string; dst: string; method: string; route: string; requests: number; errors?: number; hour?: boolean }) {
  await db.insert(f.hour ? edgeRouteHour : edgeRouteMinute).values({
    bucket: f.bucket, srcService: f.src, dstService: f.dst, method: f.method, route: f.route, requests: f.requests, errors: f.errors ?? 0,
  });
}

export async function addToken(db: Db, f: { bucket: Date; token: string; src: string; dst: string; method: string; route: string; requests: number; errors?: number; hour?: boolean }) {
  await db.insert(f.hour ? tokenHour : tokenMinute).values({
    bucket: f.bucket, tokenId: f.token, srcService: f.src, dstService: f.dst, method: f.method, route: f.route, requests: f.requests, errors: f.errors ?? 0,
  });
  if (!f.hour) return;
  // The same calls without the route, added up as the compaction job would.
  const edge = tokenEdgeHour;
  await db.insert(edge).values({ bucket: f.bucket, dstService: f.dst, srcService: f.src, tokenId: f.token, requests: f.requests, errors: f.errors ?? 0 })
    .onConflictDoUpdate({
      target: [edge.dstService, edge.bucket, edge.srcService, edge.tokenId],
      set: { requests: sql`${edge.requests} + excluded.requests`, errors: sql`${edge.errors} + excluded.errors` },
    });
}

export async function addSensitive(db: Db, f: { bucket: Date; src: string; dst: string; dataClass: string; direction: 'request' | 'response'; matches: number; events?: number; hour?: boolean }) {
  await db.insert(f.hour ? sensitiveEdgeHour : sensitiveEdgeMinute).values({
    bucket: f.bucket, srcService: f.src, dstService: f.dst, dataClass: f.dataClass, direction: f.direction, matches: f.matches, events: f.events ?? f.matches,
  });
}

export async function addProxy(db: Db, f: { id: string; service: string; cluster: string | null; now: Date }) {
  await db.insert(proxies).values({ id: f.id, tokenId: 'pt_test', service: f.service, cluster: f.cluster, firstSeenAt: f.now, lastSeenAt: f.now });
}
