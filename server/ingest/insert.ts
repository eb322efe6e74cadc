import { sql } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import type { ProxyPrincipal } from '@/server/fleet/tokens';
import { dirtyHoursCte, INSERTED_COLUMNS, LATE_EVENT_MS, MINUTE_ROLLUP_CTES } from '@/server/rollups/ingest-sql';
import type { AccessEventInput } from './event';

export interface InsertJob {
  events: AccessEventInput[];
  principal: ProxyPrincipal;
}

// Nulls are left out (json_to_recordset reads a missing key as NULL): a smaller text to parse.
const nn = <T>(v: T | null) => (v === null ? undefined : v);

function eventRow(e: AccessEventInput) {
  return {
    ts: e.ts,
    proxy_id: e.proxyId, request_id: e.requestId, source: e.source, cluster: nn(e.cluster), namespace: nn(e.namespace),
    src_service: e.srcService, dst_service: e.dstService, method: e.method, path: e.path, route: e.route, query: nn(e.query),
    status: e.status, response_flags: nn(e.responseFlags), duration_ms: nn(e.durationMs), bytes_in: nn(e.bytesIn),
    bytes_out: nn(e.bytesOut), client_ip: nn(e.clientIp), server_address: nn(e.serverAddress), user_agent: nn(e.userAgent),
    protocol: nn(e.protocol), token_id: nn(e.tokenId), user_id: nn(e.userId), mtls: nn(e.mtls), sensitive: nn(e.sensitive), sample: nn(e.sample),
  };
}

/** One row per proxy named in the jobs, so every sender shows up in the fleet registry. */
function proxyRows(jobs: InsertJob[]) {
  const byId = new Map<string, { id: string; token_id: string; cluster: string | null; service: string; last: number }>();
  for (const job of jobs) {
    for (const e of job.events) {
      const cur = byId.get(e.proxyId);
      if (!cur) byId.set(e.proxyId, { id: e.proxyId, token_id: job.principal.tokenId, cluster: e.cluster, service: e.dstService, last: e.ts });
      else if (e.ts > cur.last) cur.last = e.ts;
    }
  }
  // A fixed order keeps concurrent writers from locking the same rows in opposite orders.
  return [...byId.values()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map(({ last, ...p }) => ({ ...p, last_event_at: new Date(last).toISOString() }));
}

/**
 * Stores a group of batches with ONE statement: the events (duplicates of already stored
 * events skipped by the primary key), the per-proxy and the traffic minute rollups of what
 * was actually inserted (server/rollups/ingest-sql.ts), the hours of late events for the
 * compaction job, and the proxies' last-seen. Atomic: all of it is committed or none.
 */
export async function insertEvents(db: Db, jobs: InsertJob[], now: Date): Promise<number> {
  const events = jobs.flatMap((j) => j.events.map(eventRow));
  const lateBefore = new Date(now.getTime() - LATE_EVENT_MS);
  const hasLate = events.some((e) => e.ts < lateBefore.getTime());
  const [res] = await rows<{ inserted: number }>(
    db,
    sql`with data as (
      select * from json_to_recordset(${JSON.stringify(events)}::json) as x(
        ts bigint, proxy_id text, request_id text, source text, cluster text, namespace text,
        src_service text, dst_service text, method text, path text, route text, query text, status smallint,
        response_flags text, duration_ms float8, bytes_in bigint, bytes_out bigint, client_ip inet,
        server_address text, user_agent text, protocol text, token_id text, user_id text, mtls boolean,
        sensitive jsonb, sample text)
    ), ins as (
      insert into access_events (ts, received_at, proxy_id, request_id, source, cluster, namespace, src_service,
        dst_service, method, path, route, query, status, response_flags, duration_ms, bytes_in, bytes_out, client_ip,
        server_address, user_agent, protocol, token_id, user_id, mtls, sensitive, sample)
      select timestamptz 'epoch' + ts * interval '1 millisecond', ${now.toISOString()}::timestamptz, proxy_id, request_id, source, cluster, namespace, src_service,
        dst_service, method, path, route, query, status, response_flags, duration_ms, bytes_in, bytes_out, client_ip,
        server_address, user_agent, protocol, token_id, user_id, mtls, sensitive, sample
      from data
      on conflict do nothing
      returning ${sql.raw(INSERTED_COLUMNS)}
    )${sql.raw(MINUTE_ROLLUP_CTES)}
    ${hasLate ? dirtyHoursCte(lateBefore) : sql``}, stats as (
      insert into proxy_minute_stats (proxy_id, minute, events)
      select proxy_id, date_bin('1 minute', ts, timestamptz '2000-01-01 00:00:00+00'), count(*)::int
      from ins group by 1, 2 order by 1, 2
      on conflict (proxy_id, minute) do update set events = proxy_minute_stats.events + excluded.events
      returning 1
    ), px as (
      insert into proxies (id, token_id, cluster, service, first_seen_at, last_seen_at, last_event_at)
      select id, token_id, cluster, service, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, last_event_at
      from json_to_recordset(${JSON.stringify(proxyRows(jobs))}::json)
        as p(id text, token_id text, cluster text, service text, last_event_at timestamptz)
      on conflict (id) do update set
        token_id = excluded.token_id,
        cluster = coalesce(proxies.cluster, excluded.cluster),
        service = coalesce(proxies.service, excluded.service),
        last_seen_at = greatest(proxies.last_seen_at, excluded.last_seen_at),
        last_event_at = greatest(proxies.last_event_at, excluded.last_event_at)
      returning 1
    )
    select (select count(*) from ins)::int as inserted`,
  );
  return Number(res?.inserted ?? 0);
}
