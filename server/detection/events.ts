// Access events as the engine sees them: from ingest (after discovery routed them, so `route` is
// the endpoint's template) and from the event table (warm-up and backtest), read in event-time
// order a page at a time.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import type { SensitiveMatch } from '@/db/schema/access-events';
import type { AccessEventInput } from '@/server/ingest/event';
import type { EngineEvent } from './types';

export function toEngineEvent(e: AccessEventInput): EngineEvent {
  return {
    ts: e.ts, requestId: e.requestId, srcService: e.srcService, dstService: e.dstService, method: e.method, path: e.path, query: e.query,
    status: e.status, durationMs: e.durationMs, bytesIn: e.bytesIn, bytesOut: e.bytesOut, clientIp: e.clientIp,
    userAgent: e.userAgent, tokenId: e.tokenId, userId: e.userId, sensitive: e.sensitive, endpoint: `${e.method} ${e.route}`,
  };
}

interface EventRow {
  ts_text: string;
  id_text: string;
  ts: Date | string;
  proxy_id: string;
  request_id: string;
  src_service: string;
  dst_service: string;
  method: string;
  path: string;
  query: string | null;
  route: string;
  status: number;
  duration_ms: number | null;
  bytes_in: number | string | null;
  bytes_out: number | string | null;
  client_ip: string | null;
  user_agent: string | null;
  token_id: string | null;
  user_id: string | null;
  sensitive: SensitiveMatch[] | null;
}

const num = (v: number | string | null) => (v === null ? null : Number(v));

function fromRow(r: EventRow): EngineEvent {
  return {
    ts: new Date(r.ts).getTime(), requestId: r.request_id, srcService: r.src_service, dstService: r.dst_service, method: r.method,
    path: r.path, query: r.query, status: Number(r.status), durationMs: r.duration_ms === null ? null : Number(r.duration_ms), bytesIn: num(r.bytes_in),
    bytesOut: num(r.bytes_out), clientIp: r.client_ip, userAgent: r.user_agent, tokenId: r.token_id, userId: r.user_id,
    sensitive: r.sensitive, endpoint: `${r.method} ${r.route}`,
  };
}

export interface ReadOptions {
  from: Date;
  to: Date;
  /** only events stored before this instant (warm-up: what an earlier process saw) */
  receivedBefore?: Date;
  /** at most this many, the newest ones: the start moves later when there are more */
  limit: number;
  pageSize?: number;
}

/** Where to start so that at most `limit` events (the newest) lie between it and `to`. */
async function startFor(db: Db, o: ReadOptions): Promise<string> {
  const received = o.receivedBefore ? sql`and received_at < ${o.receivedBefore.toISOString()}::timestamptz` : sql``;
  const [r] = await rows<{ ts_text: string }>(db, sql`
    select ts::text as ts_text from access_events
    where ts >= ${o.from.toISOString()}::timestamptz and ts < ${o.to.toISOString()}::timestamptz ${received}
    order by ts desc offset ${o.limit} limit 1`);
  return r ? r.ts_text : o.from.toISOString();
}

/**
 * Stored events between `from` and `to` in event-time order, one page at a time, at most `limit`
 * of them. Events of the same millisecond come in the order they were stored (`id` follows the
 * rows of each batch): a proxy logs a burst of parallel requests within a millisecond or two,
 * and in request-id order a walk through ids 1, 2, 3 … would replay shuffled and no longer be one
 * (the backtest and the warm-up would miss the scraper the live engine, fed in arrival order,
 * found). Keyset on (ts, id), each page bounded below by its first timestamp on the primary key.
 */
export async function* readEvents(db: Db, o: ReadOptions): AsyncGenerator<{ events: EngineEvent[]; first: number }> {
  const pageSize = o.pageSize ?? 5000;
  const received = o.receivedBefore ? sql`and received_at < ${o.receivedBefore.toISOString()}::timestamptz` : sql``;
  const start = await startFor(db, o);
  let cursor: { ts: string; id: string } | null = null;
  let total = 0;
  while (total < o.limit) {
    const after: ReturnType<typeof sql> = cursor
      ? sql`and ts >= ${cursor.ts}::timestamptz and (ts, id) > (${cursor.ts}::timestamptz, ${cursor.id}::bigint)`
      : sql`and ts >= ${start}::timestamptz`;
    const page: EventRow[] = await rows<EventRow>(db, sql`
      select ts::text as ts_text, id::text as id_text, ts, proxy_id, request_id, src_service, dst_service, method, path, query, route, status, duration_ms,
             bytes_in, bytes_out, host(client_ip) as client_ip, user_agent, token_id, user_id, sensitive
      from access_events
      where ts < ${o.to.toISOString()}::timestamptz ${after} ${received}
      order by ts, id limit ${Math.min(pageSize, o.limit - total)}`);
    if (!page.length) return;
    const last: EventRow = page[page.length - 1];
    cursor = { ts: last.ts_text, id: last.id_text };
    total += page.length;
    yield { events: page.map(fromRow), first: new Date(page[0].ts).getTime() };
    if (page.length < pageSize) return;
  }
}
