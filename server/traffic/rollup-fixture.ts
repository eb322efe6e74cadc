import type { Db } from '@/db/client';
import {
  edgeHour, edgeMinute, edgeRouteHour, edgeRouteMinute, sensitiveEdgeHour, sensitiveEdgeMinute, sensitiveTokenHour,
  sensitiveTokenMinute, serviceHour, serviceMinute, tokenEdgeHour, tokenHour, tokenMinute,
} from '@/db/schema';
import { emptyHistogram, latencyBucket } from '@/server/rollups/latency-histogram';
import type { Resolution } from './time-range';

/** A request as the tests describe it; the fixture rolls it up the way ingest and the rollup job do. */
export interface FixtureRequest {
  at: string | Date;
  src: string;
  dst: string;
  method?: string;
  route?: string;
  status?: number;
  durationMs?: number;
  bytesIn?: number;
  bytesOut?: number;
  mtls?: boolean;
  tokenId?: string;
  sensitive?: Array<{ class: string; direction: 'request' | 'response'; count: number }>;
  /** repeat this request n times (default 1) */
  n?: number;
}

const UNIT_MS: Record<Resolution, number> = { minute: 60_000, hour: 3600_000 };
const TABLES = {
  minute: { edge: edgeMinute, service: serviceMinute, edgeRoute: edgeRouteMinute, token: tokenMinute, tokenEdge: null, sensEdge: sensitiveEdgeMinute, sensToken: sensitiveTokenMinute },
  hour: { edge: edgeHour, service: serviceHour, edgeRoute: edgeRouteHour, token: tokenHour, tokenEdge: tokenEdgeHour, sensEdge: sensitiveEdgeHour, sensToken: sensitiveTokenHour },
} as const;

type Acc = Record<string, number | number[] | Date | string>;

function add(map: Map<string, Acc>, key: unknown[], base: Acc, counts: Record<string, number>, latencyMs?: number) {
  const k = JSON.stringify(key);
  let row = map.get(k);
  if (!row) {
    row = { ...base };
    for (const c of Object.keys(counts)) row[c] = 0;
    if (latencyMs !== undefined) {
      row.latency = emptyHistogram();
      row.latencySumMs = 0;
    }
    map.set(k, row);
  }
  for (const [c, v] of Object.entries(counts)) row[c] = (row[c] as number) + v;
  if (latencyMs !== undefined) {
    (row.latency as number[])[latencyBucket(latencyMs)] += 1;
    row.latencySumMs = (row.latencySumMs as number) + latencyMs;
  }
}

/** Writes the rollup rows of `requests` at the given resolutions (both, by default). */
export async function insertRollups(db: Db, requests: FixtureRequest[], resolutions: Resolution[] = ['minute', 'hour']) {
  for (const resolution of resolutions) {
    const maps = { edge: new Map<string, Acc>(), service: new Map<string, Acc>(), edgeRoute: new Map<string, Acc>(), token: new Map<string, Acc>(), tokenEdge: new Map<string, Acc>(), sensEdge: new Map<string, Acc>(), sensToken: new Map<string, Acc>() };
    for (const r of requests) {
      const ms = new Date(r.at).getTime();
      const bucket = new Date(Math.floor(ms / UNIT_MS[resolution]) * UNIT_MS[resolution]);
      const status = r.status ?? 200;
      for (let i = 0; i < (r.n ?? 1); i++) {
        const c = { requests: 1, errors: status >= 500 ? 1 : 0, clientErrors: status >= 400 && status < 500 ? 1 : 0 };
        const bytes = { bytesIn: r.bytesIn ?? 100, bytesOut: r.bytesOut ?? 1000 };
        const d = r.durationMs ?? 10;
        const method = r.method ?? 'GET';
        const route = r.route ?? '/';
        add(maps.edge, [bucket, r.src, r.dst], { bucket, srcService: r.src, dstService: r.dst }, { ...c, ...bytes, mtls: r.mtls ? 1 : 0 }, d);
        add(maps.service, [bucket, r.dst], { bucket, service: r.dst }, { ...c, ...bytes }, d);
        add(maps.edgeRoute, [bucket, r.src, r.dst, method, route], { bucket, srcService: r.src, dstService: r.dst, method, route }, { ...c, bytesOut: bytes.bytesOut });
        if (r.tokenId) {
          add(maps.token, [bucket, r.tokenId, r.src, r.dst, method, route], { bucket, tokenId: r.tokenId, srcService: r.src, dstService: r.dst, method, route }, { ...c, bytesOut: bytes.bytesOut });
          add(maps.tokenEdge, [bucket, r.dst, r.src, r.tokenId], { bucket, dstService: r.dst, srcService: r.src, tokenId: r.tokenId }, { requests: c.requests, errors: c.errors });
        }
        for (const s of r.sensitive ?? []) {
          add(maps.sensEdge, [bucket, r.src, r.dst, s.class, s.direction], { bucket, srcService: r.src, dstService: r.dst, dataClass: s.class, direction: s.direction }, { matches: s.count, events: 1 });
          if (r.tokenId) {
            add(maps.sensToken, [bucket, r.tokenId, s.class, s.direction], { bucket, tokenId: r.tokenId, dataClass: s.class, direction: s.direction }, { matches: s.count, events: 1 });
          }
        }
      }
    }
    const t = TABLES[resolution];
    // In slices: a statement takes at most 65,535 parameters.
    const write = async (table: NonNullable<(typeof t)[keyof typeof t]>, map: Map<string, Acc>) => {
      const all = [...map.values()];
      for (let i = 0; i < all.length; i += 1000) await db.insert(table).values(all.slice(i, i + 1000) as never);
    };
    await write(t.edge, maps.edge);
    await write(t.service, maps.service);
    await write(t.edgeRoute, maps.edgeRoute);
    await write(t.token, maps.token);
    // token_edge has hour rows only (its minutes are token_minute's)
    if (t.tokenEdge) await write(t.tokenEdge, maps.tokenEdge);
    await write(t.sensEdge, maps.sensEdge);
    await write(t.sensToken, maps.sensToken);
  }
}
