// The result table of `/search`: the events a query matches in a range, newest first, a page at a time.
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '@/db/client';
import { accessEvents as ae } from '@/db/schema/access-events';
import { audited } from '@/server/audit/append';
import type { Ctx } from '@/server/context';
import { boundedRead } from './bounded';
import { decodeCursor, encodeCursor, type Position } from './cursor';
import { eventKey } from './event-key';
import { scopeInput, searchScope, type SearchOptions } from './scope';

export const MAX_PAGE = 500;

export const eventsInput = scopeInput.extend({
  limit: z.number().int().min(1).max(MAX_PAGE).default(100),
  /** `nextCursor` of the previous page of the same search */
  cursor: z.string().max(200).optional(),
});
export type EventsInput = z.input<typeof eventsInput>;

const sensitiveOutput = z.object({ class: z.string(), direction: z.string(), count: z.number() });

export const eventRowOutput = z.object({
  /** names this event for the detail view */
  key: z.string(),
  /** ISO 8601, UTC, to the millisecond */
  ts: z.string(),
  service: z.string(),
  caller: z.string(),
  method: z.string(),
  path: z.string(),
  endpoint: z.string(),
  status: z.number(),
  durationMs: z.number().nullable(),
  bytesIn: z.number().nullable(),
  bytesOut: z.number().nullable(),
  clientAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  token: z.string().nullable(),
  user: z.string().nullable(),
  proxy: z.string(),
  cluster: z.string().nullable(),
  namespace: z.string().nullable(),
  /** per class and direction, the values found (never the values themselves) */
  sensitive: z.array(sensitiveOutput),
  requestId: z.string(),
});
export type EventRow = z.infer<typeof eventRowOutput>;

/** The fields of an event a person picks as columns (saved searches, export): all but `key`. */
export const EVENT_COLUMNS = [
  'ts', 'service', 'caller', 'method', 'path', 'endpoint', 'status', 'durationMs', 'bytesIn', 'bytesOut', 'clientAddress',
  'userAgent', 'token', 'user', 'proxy', 'cluster', 'namespace', 'sensitive', 'requestId',
] as const satisfies readonly Exclude<keyof EventRow, 'key'>[];
export type EventColumn = (typeof EVENT_COLUMNS)[number];
export type EventFields = Omit<EventRow, 'key'>;

export const eventsOutput = z.object({ rows: z.array(eventRowOutput), nextCursor: z.string().nullable() });
export type EventsOutput = z.infer<typeof eventsOutput>;

/** An access event as the search's SELECT returns it (`ts` to the microsecond, for cursors and keys). */
export interface EventRecord {
  ts: string;
  id: string;
  proxy_id: string;
  request_id: string;
  dst_service: string;
  src_service: string;
  method: string;
  path: string;
  route: string;
  status: number;
  duration_ms: number | null;
  bytes_in: number | null;
  bytes_out: number | null;
  client_ip: string | null;
  user_agent: string | null;
  token_id: string | null;
  user_id: string | null;
  cluster: string | null;
  namespace: string | null;
  sensitive: unknown;
}

/**
 * One page of the events a query matches in [from, to), newest first. Keyset pagination on
 * (ts, id) descending: a page costs the same however deep, and rows that arrive meanwhile do
 * not shift the pages after. A page with rows is audited (PCI-DSS 10.2.1: reading the access
 * trail) with the query, range and row count, never the rows; an empty page read nothing, and
 * the histogram would tell the same.
 */
export async function searchEvents(ctx: Ctx, raw: EventsInput, opts: SearchOptions = {}): Promise<EventsOutput> {
  const input = eventsInput.parse(raw);
  const scope = searchScope(input, opts);
  const after = input.cursor ? decodeCursor(input, input.cursor) : null;
  return audited(ctx, async (tx, audit) => {
    const found = await boundedRead(tx, () => readEventPage(tx, scope, after, input.limit + 1));
    const page = found.slice(0, input.limit);
    const last = page[page.length - 1];
    if (page.length > 0) {
      audit({
        action: 'search.read',
        targetType: 'access_events',
        after: { query: input.q, from: input.from.toISOString(), to: input.to.toISOString(), rows: page.length, page: after ? 'next' : 'first' },
      });
    }
    return {
      rows: page.map(toRow),
      nextCursor: found.length > input.limit ? encodeCursor(input, { ts: last.ts, id: last.id }) : null,
    };
  });
}

/**
 * Up to `limit` events of `scope` after `after` (a keyset position), newest first, ties by id:
 * the one SELECT behind the result table and the export. Run it under boundedRead. The ORDER BY
 * names the table's columns: bare `ts, id` would sort by the text the SELECT makes of them
 * (`'99' > '100'`, which loses rows at the keyset, and no index serves it).
 */
export function readEventPage(tx: Db, scope: SQL, after: Position | null, limit: number): Promise<EventRecord[]> {
  const keyset = after ? sql` and (${ae.ts}, ${ae.id}) < (${after.ts}::timestamptz, ${after.id}::bigint)` : sql``;
  return rows<EventRecord>(tx, sql`select to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ts, id::text as id, proxy_id, request_id,
      dst_service, src_service, method, path, route, status::int as status, duration_ms, bytes_in::float8 as bytes_in,
      bytes_out::float8 as bytes_out, host(client_ip) as client_ip, user_agent, token_id, user_id, cluster, namespace, sensitive
    from ${ae} where ${scope}${keyset}
    order by ${ae.ts} desc, ${ae.id} desc limit ${limit}`);
}

function toRow(r: EventRecord): EventRow {
  return { key: eventKey({ ts: r.ts, proxyId: r.proxy_id, requestId: r.request_id }), ...eventFields(r) };
}

/** What a person sees of an event, but its key (which only the detail view needs). */
export function eventFields(r: EventRecord): EventFields {
  return {
    ts: `${r.ts.slice(0, 23)}Z`,
    service: r.dst_service,
    caller: r.src_service,
    method: r.method,
    path: r.path,
    endpoint: r.route,
    status: Number(r.status),
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    bytesIn: r.bytes_in === null ? null : Number(r.bytes_in),
    bytesOut: r.bytes_out === null ? null : Number(r.bytes_out),
    clientAddress: r.client_ip,
    userAgent: r.user_agent,
    token: r.token_id,
    user: r.user_id,
    proxy: r.proxy_id,
    cluster: r.cluster,
    namespace: r.namespace,
    sensitive: sensitiveCounts(r.sensitive),
    requestId: r.request_id,
  };
}

/** Counts per class and direction; paths and partial hashes stay for the detail view. */
function sensitiveCounts(value: unknown): EventRow['sensitive'] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(list)) return [];
  const byKey = new Map<string, EventRow['sensitive'][number]>();
  for (const m of list as { class?: unknown; direction?: unknown; count?: unknown }[]) {
    if (typeof m?.class !== 'string') continue;
    const direction = typeof m.direction === 'string' ? m.direction : 'unknown';
    const k = `${m.class}\u0000${direction}`;
    const seen = byKey.get(k) ?? { class: m.class, direction, count: 0 };
    seen.count += Number(m.count) || 0;
    byKey.set(k, seen);
  }
  return [...byKey.values()];
}
