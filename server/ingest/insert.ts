import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '@/db/client';
import type { ProxyPrincipal } from '@/server/fleet/tokens';
import { dirtyHoursCte, INSERTED_COLUMNS, LATE_EVENT_MS, MINUTE_ROLLUP_CTES } from '@/server/rollups/ingest-sql';
import type { AccessEventInput } from './event';

export interface InsertJob {
  events: AccessEventInput[];
  principal: Pick<ProxyPrincipal, 'tokenId'>;
}

type Column = readonly [name: string, type: string, value: (e: AccessEventInput) => unknown];

/**
 * The stored columns of an event, in the order of the `data` CTE. `ts` travels as epoch
 * milliseconds and becomes a timestamptz in SQL.
 */
const COLUMNS: readonly Column[] = [
  ['ts', 'bigint', (e) => e.ts],
  ['proxy_id', 'text', (e) => e.proxyId],
  ['request_id', 'text', (e) => e.requestId],
  ['source', 'text', (e) => e.source],
  ['cluster', 'text', (e) => e.cluster],
  ['namespace', 'text', (e) => e.namespace],
  ['src_service', 'text', (e) => e.srcService],
  ['dst_service', 'text', (e) => e.dstService],
  ['method', 'text', (e) => e.method],
  ['path', 'text', (e) => e.path],
  ['route', 'text', (e) => e.route],
  ['query', 'text', (e) => e.query],
  ['status', 'smallint', (e) => e.status],
  ['response_flags', 'text', (e) => e.responseFlags],
  ['duration_ms', 'float8', (e) => e.durationMs],
  ['bytes_in', 'bigint', (e) => e.bytesIn],
  ['bytes_out', 'bigint', (e) => e.bytesOut],
  ['client_ip', 'inet', (e) => e.clientIp],
  ['server_address', 'text', (e) => e.serverAddress],
  ['user_agent', 'text', (e) => e.userAgent],
  ['protocol', 'text', (e) => e.protocol],
  ['token_id', 'text', (e) => e.tokenId],
  ['user_id', 'text', (e) => e.userId],
  ['mtls', 'boolean', (e) => e.mtls],
  ['sensitive', 'jsonb', (e) => (e.sensitive === null ? null : JSON.stringify(e.sensitive))],
  ['sample', 'text', (e) => e.sample],
];
const NAMES = COLUMNS.map(([name]) => name);
const STORED = NAMES.filter((n) => n !== 'ts').join(', ');

/**
 * The events as one `unnest` of typed arrays, one array parameter per column: PostgreSQL
 * reads an array literal far faster than it maps a JSON document onto a record type
 * (json_to_recordset cost about a third of the bare insert), and building columns costs the
 * console less than JSON.stringify of every event.
 */
function eventArrays(jobs: InsertJob[]): SQL {
  const events = jobs.length === 1 ? jobs[0].events : jobs.flatMap((j) => j.events);
  const arrays = COLUMNS.map(([, type, value]) => sql`${arrayLiteral(events, value)}::${sql.raw(type)}[]`);
  return sql`unnest(${sql.join(arrays, sql`, `)}) as x(${sql.raw(NAMES.join(', '))})`;
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

function element(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  return NEEDS_ESCAPE.test(s) ? `"${s.replace(ESCAPED, '\\$&')}"` : `"${s}"`;
}

/**
 * A PostgreSQL array literal (`{"a",NULL,"b"}`) of `value` over `items`, sent as one text
 * parameter: the drivers' own array conversion cost the console about as much as the parse
 * it saves the database. Every element is quoted, so only `"` and `\` need escaping.
 */
export function arrayLiteral<T>(items: readonly T[], value: (item: T) => unknown = (x) => x): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = element(value(items[i]));
  return `{${parts.join(',')}}`;
}

/** One row per proxy named in the jobs, so every sender shows up in the fleet registry. */
function proxyArrays(jobs: InsertJob[]): SQL {
  const byId = new Map<string, { tokenId: string; cluster: string | null; service: string; last: number }>();
  for (const job of jobs) {
    for (const e of job.events) {
      const cur = byId.get(e.proxyId);
      if (!cur) byId.set(e.proxyId, { tokenId: job.principal.tokenId, cluster: e.cluster, service: e.dstService, last: e.ts });
      else if (e.ts > cur.last) cur.last = e.ts;
    }
  }
  // A fixed order keeps concurrent writers from locking the same rows in opposite orders.
  const ids = [...byId.keys()].sort();
  const p = ids.map((id) => byId.get(id)!);
  return sql`unnest(${arrayLiteral(ids)}::text[], ${arrayLiteral(p.map((x) => x.tokenId))}::text[],
    ${arrayLiteral(p.map((x) => x.cluster))}::text[], ${arrayLiteral(p.map((x) => x.service))}::text[],
    ${arrayLiteral(p.map((x) => x.last))}::bigint[]) with ordinality as p(id, token_id, cluster, service, last_ms, n)`;
}

/**
 * Stores a group of batches with ONE statement: the events (duplicates of already stored
 * events skipped by the primary key), the per-proxy and the traffic minute rollups of what
 * was actually inserted (server/rollups/ingest-sql.ts), the hours of late events for the
 * compaction job, and the proxies' last-seen. Atomic: all of it is committed or none.
 */
export async function insertEvents(db: Db, jobs: InsertJob[], now: Date): Promise<number> {
  const lateBefore = new Date(now.getTime() - LATE_EVENT_MS);
  const hasLate = jobs.some((j) => j.events.some((e) => e.ts < lateBefore.getTime()));
  const at = sql`${now.toISOString()}::timestamptz`;
  const [res] = await rows<{ inserted: number }>(
    db,
    sql`with data as (
      select * from ${eventArrays(jobs)}
    ), ins as (
      insert into access_events (ts, received_at, ${sql.raw(STORED)})
      select timestamptz 'epoch' + ts * interval '1 millisecond', ${at}, ${sql.raw(STORED)}
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
      select id, token_id, cluster, service, ${at}, ${at}, timestamptz 'epoch' + last_ms * interval '1 millisecond'
      from ${proxyArrays(jobs)}
      order by n
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
