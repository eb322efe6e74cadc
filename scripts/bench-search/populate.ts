// Fills the bench:search database with `events` access events spread evenly over the 7 days
// before now, in set-based SQL (generate_series + random draws shaped like mesh traffic), so
// 10 M events load in minutes rather than the hours the ingest route would take.
//
// Each day is loaded into a plain table and attached as its daily partition afterwards:
// ATTACH builds the partition's indexes in bulk (a sort per btree, one GIN build), several
// times faster than maintaining them row by row during the insert. The partition is the one
// meshward_create_event_partition would make (same name, same bounds), so ingest, retention
// and search cannot tell the difference.
import { sql } from 'drizzle-orm';
import { rows, type Database, type Db } from '@/db/client';
import { dayOf, partitionName } from '@/server/maintenance/partitions';

const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 7;
const CHUNK_ROWS = 250_000;

/** 8 namespaces × 5 services = 40. */
const NAMESPACES: Record<string, string[]> = {
  shop: ['cart', 'checkout', 'orders', 'wishlist', 'reviews'],
  payments: ['ledger', 'cards', 'refunds', 'fraud', 'payouts'],
  identity: ['users', 'sessions', 'tokens', 'profiles', 'mfa'],
  catalog: ['products', 'search', 'pricing', 'inventory', 'media'],
  shipping: ['rates', 'labels', 'tracking', 'returns', 'warehouses'],
  web: ['frontend', 'gateway', 'bff', 'notifications', 'admin'],
  support: ['tickets', 'chat', 'kb', 'feedback', 'escalations'],
  data: ['exports', 'reports', 'audit', 'etl', 'features'],
};
export const SERVICES = Object.entries(NAMESPACES).flatMap(([ns, names]) => names.map((n) => ({ ns, name: `${ns}/${n}`, short: n })));

const RESOURCES = [
  'orders', 'items', 'accounts', 'cards', 'refunds', 'invoices', 'users', 'sessions', 'tokens', 'products', 'prices', 'stock',
  'images', 'rates', 'labels', 'shipments', 'returns', 'tickets', 'messages', 'articles', 'reports', 'exports', 'jobs',
  'features', 'payouts', 'disputes', 'addresses', 'devices', 'consents', 'webhooks',
];
const SUBS = ['items', 'history', 'status', 'attachments', 'events', 'lines'];

/** ~300 endpoint templates: 8 for the first 20 services, 7 for the others. */
export function templates(): { i: number; svc: number; route: string; prefix: string; suffix: string | null }[] {
  const out: { i: number; svc: number; route: string; prefix: string; suffix: string | null }[] = [];
  for (let k = 0; k < 8; k++) {
    for (let svc = 0; svc < SERVICES.length; svc++) {
      if (k === 7 && svc >= 20) continue;
      const i = svc + 40 * k;
      const { ns } = SERVICES[svc];
      const res = RESOURCES[(svc * 7 + k * 11) % RESOURCES.length];
      const sub = SUBS[(svc + k) % SUBS.length];
      switch (k % 5) {
        case 0: out.push({ i, svc, route: `/api/${ns}/${res}`, prefix: `/api/${ns}/${res}`, suffix: null }); break;
        case 1: out.push({ i, svc, route: `/api/${ns}/${res}/{id}`, prefix: `/api/${ns}/${res}/`, suffix: '' }); break;
        case 2: out.push({ i, svc, route: `/api/${ns}/${res}/{id}/${sub}`, prefix: `/api/${ns}/${res}/`, suffix: `/${sub}` }); break;
        case 3: out.push({ i, svc, route: `/v2/${res}/{id}`, prefix: `/v2/${res}/`, suffix: '' }); break;
        default: out.push({ i, svc, route: `/api/${ns}/${res}/search`, prefix: `/api/${ns}/${res}/search`, suffix: null });
      }
    }
  }
  return out;
}

/** The bench's own lookup tables, outside the app's migrations: they only exist in the bench database. */
async function createLookups(db: Db): Promise<void> {
  await db.execute(sql`drop table if exists bench_search_services, bench_search_templates`);
  await db.execute(sql`create table bench_search_services (i int primary key, name text not null, ns text not null, short text not null)`);
  await db.execute(sql`create table bench_search_templates (i int primary key, svc int not null, route text not null, prefix text not null, suffix text)`);
  await db.execute(sql`insert into bench_search_services (i, name, ns, short)
    select (x->>'i')::int, x->>'name', x->>'ns', x->>'short' from jsonb_array_elements(${JSON.stringify(SERVICES.map((s, i) => ({ i, ...s })))}::jsonb) x`);
  await db.execute(sql`insert into bench_search_templates (i, svc, route, prefix, suffix)
    select (x->>'i')::int, (x->>'svc')::int, x->>'route', x->>'prefix', x->>'suffix' from jsonb_array_elements(${JSON.stringify(templates())}::jsonb) x`);
}

/**
 * `count` events with ts uniform in [from, to) into `table`. The distributions: destination
 * skewed over 40 services, 25% external callers and four internal callers per service, ~300
 * templates (ids skewed small), 85% 200s with 4xx/5xx tails, addresses in 10.1–10.4/16
 * (internal) and three public /16s (external), ~50 k tokens and ~20 k users with a power-law
 * skew (a hot token has tens of thousands of events, a typical one about a hundred), log-normal
 * sizes and durations, sensitive matches on 3% of events. Rows are written in time order, so the
 * heap follows ts as it does under live ingest (a page of results reads neighbouring pages).
 */
function chunkSql(table: string, chunk: string, from: number, to: number, count: number) {
  return sql`with r as (
    select n, timestamptz 'epoch' + (${from}::float8 + random() * ${to - from}::float8) * interval '1 millisecond' as ts,
      floor(power(random(), 1.5) * 40)::int as dst, random() as r_src, random() as r_tpl, random() as r_id, random() as r_method,
      random() as r_status, random() as r_ip1, random() as r_ip2, random() as r_ip3, random() as r_ua, random() as r_tok,
      random() as r_tokv, random() as r_usr, random() as r_usrv, random() as r_sens, random() as r_n1, random() as r_n2,
      random() as r_n3, random() as r_n4, random() as r_in, random() as r_q, random() as r_px
    from generate_series(1, ${count}::int) n
  ), e as (
    select r.*, r_src < 0.25 as ext, floor(r_px * 3)::int as px,
      (dst + 1 + floor(r_src * 4)::int * 7) % 40 as src,
      dst + 40 * floor(r_tpl * r_tpl * (case when dst < 20 then 8 else 7 end))::int as tpl,
      case when r_method < 0.70 then 'GET' when r_method < 0.90 then 'POST' when r_method < 0.95 then 'PUT'
        when r_method < 0.99 then 'DELETE' else 'PATCH' end as method,
      case when r_status < 0.85 then 200 when r_status < 0.88 then 201 when r_status < 0.90 then 204 when r_status < 0.91 then 304
        when r_status < 0.93 then 400 when r_status < 0.948 then 401 when r_status < 0.958 then 403 when r_status < 0.983 then 404
        when r_status < 0.988 then 429 when r_status < 0.994 then 500 when r_status < 0.997 then 502 else 503 end as status,
      sqrt(-2 * ln(r_n1 + 1e-12)) * cos(2 * pi() * r_n2) as z1, sqrt(-2 * ln(r_n3 + 1e-12)) * cos(2 * pi() * r_n4) as z2
    from r
  )
  insert into ${sql.identifier(table)} (ts, received_at, proxy_id, request_id, source, cluster, namespace, src_service, dst_service,
    method, path, route, query, status, response_flags, duration_ms, bytes_in, bytes_out, client_ip, server_address, user_agent,
    protocol, token_id, user_id, mtls, sensitive)
  select e.ts, e.ts + interval '1 second', d.short || '-' || (array['a1', 'b2', 'c3'])[1 + e.px], ${chunk} || e.n, 'otlp',
    (array['prod-eu-1', 'prod-us-1', 'prod-ap-1'])[1 + e.px], d.ns,
    case when e.ext then 'external' else s.name end, d.name, e.method,
    t.prefix || case when t.suffix is null then '' else floor(1 + power(e.r_id, 3) * 1000000)::bigint::text || t.suffix end,
    t.route,
    case when e.r_q < 0.2 then 'page=' || (1 + floor(e.r_q * 100)::int) || '&limit=50' end,
    e.status, case when e.status >= 500 then 'UF' end,
    round(exp(ln(25) + 0.9 * e.z1)::numeric, 3)::float8,
    case when e.method in ('GET', 'DELETE') or e.r_in < 0.3 then 0 else floor(e.r_in * 20000)::bigint end,
    case when e.status in (204, 304) then 0 else least(50000000, floor(exp(7.5 + 1.6 * e.z2)))::bigint end,
    (case when e.ext
      then (array['185.220', '91.198', '52.14'])[1 + floor(e.r_ip1 * 3)::int] || '.' || floor(power(e.r_ip2, 2) * 256)::int || '.' || (1 + floor(e.r_ip3 * 254)::int)
      else '10.' || (1 + floor(e.r_ip1 * 4)::int) || '.' || floor(power(e.r_ip2, 1.5) * 64)::int || '.' || (1 + floor(e.r_ip3 * 254)::int)
    end)::inet,
    d.short || '.' || d.ns || '.svc.cluster.local:8080',
    case
      when not e.ext then (array['grpc-go/1.64.0', 'okhttp/4.12.0', 'Go-http-client/2.0', 'Envoy/1.31.0', 'python-requests/2.32.3'])[1 + floor(e.r_ua * 5)::int]
      when e.r_ua < 0.0005 then 'sqlmap/1.8.4#stable (https://sqlmap.org)'
      when e.r_ua < 0.02 then 'python-requests/2.32.3'
      when e.r_ua < 0.03 then 'curl/8.8.0'
      when e.r_ua < 0.45 then 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36'
      when e.r_ua < 0.70 then 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1'
      when e.r_ua < 0.85 then 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'
      else 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0'
    end,
    case when e.ext then 'HTTP/1.1' else 'HTTP/2' end,
    case when e.r_tok < 0.8 then 'tok_' || lpad(to_hex((floor(power(e.r_tokv, 2) * 50000)::bigint * 2654435761) % 4294967296), 8, '0') end,
    case when e.r_usr < 0.6 then 'user-' || floor(power(e.r_usrv, 2) * 20000)::int end,
    not e.ext,
    case when e.r_sens < 0.03 then jsonb_build_array(jsonb_build_object(
      'class', (array['card_number', 'email', 'ssn', 'phone', 'iban'])[1 + floor(e.r_sens / 0.03 * 5)::int],
      'direction', case when e.r_q < 0.7 then 'response' else 'request' end, 'count', 1 + floor(e.r_in * 20)::int, 'path', '$.data')) end
  from e join bench_search_services d on d.i = e.dst join bench_search_services s on s.i = e.src join bench_search_templates t on t.i = e.tpl
  -- in time order, as ingest stores them: the heap follows ts, as it does in production
  order by e.ts`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Drops every partition of access_events (and with them every stored event). */
async function dropPartitions(db: Db): Promise<void> {
  const parts = await rows<{ name: string }>(db, sql`select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname = 'access_events'`);
  for (const p of parts) await db.execute(sql`drop table ${sql.identifier(p.name)}`);
  await db.execute(sql`drop table if exists ${sql.raw(Array.from({ length: 10 }, (_, i) => `bench_search_load_${i}`).join(', '))}`);
}

/** One day's events: loaded into a plain table, then attached as that day's partition (building its indexes). */
async function loadDay(db: Db, day: number, from: number, to: number, count: number, lane: number, log: (s: string) => void) {
  const name = partitionName(day);
  const staging = `bench_search_load_${lane}`;
  const t0 = performance.now();
  await db.execute(sql`drop table if exists ${sql.identifier(staging)}`);
  await db.execute(sql`create table ${sql.identifier(staging)} (like access_events including defaults)`);
  for (let done = 0, c = 0; done < count; c++) {
    const n = Math.min(CHUNK_ROWS, count - done);
    const a = from + ((to - from) * done) / count;
    const b = from + ((to - from) * (done + n)) / count;
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local synchronous_commit = off`);
      await tx.execute(chunkSql(staging, `bs${day}-${c}-`, a, b, n));
    });
    done += n;
  }
  const t1 = performance.now();
  const lo = iso(day * DAY_MS);
  const hi = iso((day + 1) * DAY_MS);
  // The parent's indexes built on the table before it is attached (ATTACH adopts matching ones):
  // lanes index their days in parallel, where ATTACH would build them under the parent's lock.
  await db.execute(sql`alter table ${sql.identifier(staging)} add constraint ${sql.identifier(`${name}_pkey`)} primary key (ts, proxy_id, request_id)`);
  for (const def of await parentIndexes(db)) {
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local maintenance_work_mem = '512MB'`));
      await tx.execute(sql.raw(def.replace(/^CREATE (UNIQUE )?INDEX (\S+) ON ONLY (\S+)/, `CREATE $1INDEX $2_${lane}_${day} ON ${staging}`)));
    });
  }
  await db.transaction(async (tx) => {
    // DDL takes no parameters: the bounds are timestamps this function wrote.
    // the range as a CHECK first, so ATTACH need not scan the table to prove it
    await tx.execute(sql`alter table ${sql.identifier(staging)} add constraint bench_range check (ts >= ${sql.raw(`'${lo}'`)}::timestamptz and ts < ${sql.raw(`'${hi}'`)}::timestamptz)`);
    await tx.execute(sql`alter table ${sql.identifier(staging)} rename to ${sql.identifier(name)}`);
    await tx.execute(sql`alter table access_events attach partition ${sql.identifier(name)} for values from (${sql.raw(`'${lo}'`)}) to (${sql.raw(`'${hi}'`)})`);
    await tx.execute(sql`alter table ${sql.identifier(name)} drop constraint bench_range`);
  });
  const t2 = performance.now();
  await db.execute(sql`vacuum (analyze) ${sql.identifier(name)}`);
  const t3 = performance.now();
  log(`${name}: ${count.toLocaleString('en-US')} events inserted in ${sec(t1 - t0)}, indexed in ${sec(t2 - t1)}, vacuumed in ${sec(t3 - t2)}`);
}

/** The CREATE INDEX statements of access_events' own (partitioned) indexes, the primary key's aside. */
async function parentIndexes(db: Db): Promise<string[]> {
  const found = await rows<{ def: string }>(db, sql`select pg_get_indexdef(i.indexrelid) as def from pg_index i
    where i.indrelid = 'access_events'::regclass and not i.indisprimary order by i.indexrelid`);
  return found.map((r) => r.def);
}

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Replaces every stored event with `events` new ones over the 7 days before `endMs`, a day per
 * lane at a time (PostgreSQL: one lane per core; PGlite: one).
 */
export async function populate(database: Database, events: number, endMs: number, log: (s: string) => void): Promise<void> {
  const db = database.db;
  await dropPartitions(db);
  await createLookups(db);
  const startMs = endMs - HISTORY_DAYS * DAY_MS;
  const days: { day: number; from: number; to: number; count: number }[] = [];
  let assigned = 0;
  for (let day = dayOf(startMs); day <= dayOf(endMs - 1); day++) {
    const from = Math.max(startMs, day * DAY_MS);
    const to = Math.min(endMs, (day + 1) * DAY_MS);
    const count = Math.round((events * (to - startMs)) / (endMs - startMs)) - assigned;
    assigned += count;
    days.push({ day, from, to, count });
  }
  const lanes = database.engine === 'pglite' ? 1 : 2;
  const queue = [...days];
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    for (let d = queue.shift(); d; d = queue.shift()) await loadDay(db, d.day, d.from, d.to, d.count, lane, log);
  }));
  await fillRollups(db, new Date(startMs), new Date(endMs));
  await db.execute(sql`analyze access_events`);
}

/**
 * The minute rollups ingest would have written for the loaded events (the histogram reads them:
 * server/search/histogram-rollups.ts), in bucket order as live ingest writes them. Counters only;
 * the latency histogram is left empty, which search does not read.
 */
async function fillRollups(db: Db, from: Date, to: Date): Promise<void> {
  const range = sql`ts >= ${from.toISOString()}::timestamptz and ts < ${to.toISOString()}::timestamptz`;
  const bucketRange = sql`bucket >= ${from.toISOString()}::timestamptz and bucket < ${to.toISOString()}::timestamptz`;
  const counters = sql`count(*)::int, (count(*) filter (where status >= 500))::int, (count(*) filter (where status >= 400 and status < 500))::int,
    coalesce(sum(bytes_in), 0)::bigint, coalesce(sum(bytes_out), 0)::bigint, '{}'::int[]`;
  await db.execute(sql`delete from service_minute where ${bucketRange}`);
  await db.execute(sql`delete from edge_minute where ${bucketRange}`);
  await db.execute(sql`insert into service_minute (bucket, service, requests, errors, client_errors, bytes_in, bytes_out, latency)
    select date_trunc('minute', ts), dst_service, ${counters} from access_events where ${range} group by 1, 2 order by 1`);
  await db.execute(sql`insert into edge_minute (bucket, src_service, dst_service, requests, errors, client_errors, bytes_in, bytes_out, latency)
    select date_trunc('minute', ts), src_service, dst_service, ${counters} from access_events where ${range} group by 1, 2, 3 order by 1`);
  await db.execute(sql`analyze service_minute`);
  await db.execute(sql`analyze edge_minute`);
}
